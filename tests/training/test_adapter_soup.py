"""The adapter soup changes the weights by exactly w x one adapter's change + (1 - w) x the other's."""

import json

import pytest
import torch
from safetensors.torch import load_file, save_file

from training.adapter_soup import soup

MODULE = "base_model.model.model.layers.0.self_attn.q_proj"


def _adapter(path, seed, r=4, alpha=8, modules=("q_proj", "v_proj")):
    g = torch.Generator().manual_seed(seed)
    path.mkdir(parents=True)
    save_file({f"{MODULE}.lora_A.weight": torch.randn(r, 6, generator=g),
               f"{MODULE}.lora_B.weight": torch.randn(5, r, generator=g)}, str(path / "adapter_model.safetensors"))
    (path / "adapter_config.json").write_text(json.dumps({"r": r, "lora_alpha": alpha, "target_modules": list(modules),
                                                          "base_model_name_or_path": "gemma3-270m"}))
    return path


def _change(path):
    w = load_file(str(path / "adapter_model.safetensors"))
    config = json.loads((path / "adapter_config.json").read_text())
    return config["lora_alpha"] / config["r"] * w[f"{MODULE}.lora_B.weight"] @ w[f"{MODULE}.lora_A.weight"]


@pytest.mark.parametrize("weight", [0.0, 0.3, 1.0])
def test_the_soup_is_the_weighted_sum_of_the_two_changes(tmp_path, weight):
    a, b = _adapter(tmp_path / "a", 1), _adapter(tmp_path / "b", 2, modules=("v_proj", "q_proj"))
    out = soup(a, b, weight, tmp_path / "soup")
    assert torch.allclose(_change(out), weight * _change(a) + (1 - weight) * _change(b), atol=1e-5)
    assert json.loads((out / "adapter_config.json").read_text())["r"] == 8


def test_adapters_of_another_shape_are_refused(tmp_path):
    with pytest.raises(ValueError, match="differ in r"):
        soup(_adapter(tmp_path / "a", 1), _adapter(tmp_path / "b", 2, r=8, alpha=16), 0.5, tmp_path / "soup")
