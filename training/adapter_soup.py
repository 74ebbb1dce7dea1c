"""Interpolate two LoRA adapters of one base: w x (stage a's change) + (1 - w) x (stage b's change), exactly.

    python -m training.adapter_soup --a training/runs/gemma3-270m-tone-stage4 --b training/runs/gemma3-270m-tone-stage5 \
        --weight 0.5 --out training/runs/soup-stage4-stage5-0.5      # then: python -m training.export --run <out>

A later stage trades one skill for another (stage 5 left more clean emails alone and corrected less than stage 4);
a point between them can keep more of both, at no training cost. Averaging the A and B factors would not average
the changes (B A is not linear in them), so the ranks are stacked instead: A' = [A_a; A_b], B' = [w B_a, (1 - w) B_b],
so B' A' = w B_a A_a + (1 - w) B_b A_b. The rank doubles (a larger adapter file, the same speed within noise on
CPU: the LoRA matmuls are a few percent of the model's), and alpha doubles with it so the scale alpha / r stays."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file

from training.export import adapter_dir_of


def soup(a: Path, b: Path, weight: float, out: Path) -> Path:
    dir_a, dir_b = adapter_dir_of(a), adapter_dir_of(b)
    config_a = json.loads((dir_a / "adapter_config.json").read_text())
    config_b = json.loads((dir_b / "adapter_config.json").read_text())
    for key in ("r", "lora_alpha", "target_modules", "base_model_name_or_path"):
        if key == "target_modules" and sorted(config_a[key]) == sorted(config_b[key]):
            continue
        if config_a.get(key) != config_b.get(key):
            raise ValueError(f"the adapters differ in {key}: {config_a.get(key)} vs {config_b.get(key)}")
    if config_a.get("use_rslora") or config_a.get("use_dora") or config_b.get("use_rslora") or config_b.get("use_dora"):
        raise ValueError("rsLoRA / DoRA adapters scale differently: not supported")
    weights_a = load_file(str(dir_a / "adapter_model.safetensors"))
    weights_b = load_file(str(dir_b / "adapter_model.safetensors"))
    if weights_a.keys() != weights_b.keys():
        raise ValueError("the adapters hold different tensors")
    stacked = {}
    for name, tensor_a in weights_a.items():
        tensor_b = weights_b[name]
        if "lora_A" in name:  # (r, in): stack the ranks
            stacked[name] = torch.cat([tensor_a, tensor_b], dim=0).contiguous()
        elif "lora_B" in name:  # (out, r): weight each stage's change
            stacked[name] = torch.cat([weight * tensor_a, (1.0 - weight) * tensor_b], dim=1).contiguous()
        else:
            raise ValueError(f"not a LoRA factor: {name}")
    out.mkdir(parents=True, exist_ok=True)
    save_file(stacked, str(out / "adapter_model.safetensors"))
    config = {**config_a, "r": 2 * config_a["r"], "lora_alpha": 2 * config_a["lora_alpha"]}
    (out / "adapter_config.json").write_text(json.dumps(config, indent=2))
    for extra in ("tokenizer.json", "tokenizer_config.json"):
        if (dir_a / extra).exists():
            shutil.copy(dir_a / extra, out / extra)
    (out / "soup.json").write_text(json.dumps({"a": str(dir_a), "b": str(dir_b), "weight_of_a": weight}, indent=2))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--a", type=Path, required=True, help="run or adapter dir")
    parser.add_argument("--b", type=Path, required=True, help="run or adapter dir, same base, rank and modules")
    parser.add_argument("--weight", type=float, required=True, help="share of a's change (0..1)")
    parser.add_argument("--out", type=Path, required=True, help="adapter dir to write")
    args = parser.parse_args(argv)
    if not 0.0 <= args.weight <= 1.0:
        parser.error("--weight must be within 0..1")
    print(soup(args.a, args.b, args.weight, args.out))


if __name__ == "__main__":
    main()
