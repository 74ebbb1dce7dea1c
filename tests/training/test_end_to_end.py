"""A tiny run of the whole pipeline: data -> 2 LoRA steps (+1 resumed) -> GGUF adapter -> loaded by
llama-cpp-python on the PyPI Q4_K_M base -> same greedy tokens as torch -> evaluation table.
Keeps the pipeline from rotting; a few minutes on 2 shared cores."""

import json
from pathlib import Path

import pytest

from backend import llama_builds
from tests.training.conftest import needs_data

RECIPE = Path(__file__).resolve().parents[2] / "training" / "recipes" / "gemma3-270m-proofread.yaml"


@needs_data()
@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_tiny_pipeline_end_to_end(tmp_path):
    from training.config import DataConfig, load_recipe
    from training.data.build import build_examples
    from training.data.common import write_jsonl
    from training.evaluate import ModelSpec, run
    from training.export import export_adapter, verify
    from training.train import train

    cfg = DataConfig(synthetic_errors=6, unchanged=3, tone_pairs=3, instructions=2, validation_per_kind=1, max_email_words=40)
    train_rows, val_rows, info = build_examples(cfg, "gemma", limit_emails=400)
    assert {r["kind"] for r in train_rows} >= {"jfleg", "synthetic", "unchanged", "tone", "instruction"}
    shortest = sorted(train_rows, key=lambda r: len(r["prompt"]) + len(r["completion"]))
    data_dir = tmp_path / "data"
    write_jsonl(data_dir / "train.jsonl", shortest[:8])
    write_jsonl(data_dir / "validation.jsonl", sorted(val_rows, key=lambda r: len(r["prompt"]))[:2])
    (data_dir / "manifest.json").write_text(json.dumps(info))

    run_dir = tmp_path / "run"
    overrides = ["train.max_steps=2", "train.per_device_batch=2", "train.save_steps=1", "train.eval_steps=0",
                 "train.logging_steps=1", "lora.r=4", "lora.alpha=8", "train.learning_rate=1e-3"]
    metrics = train(load_recipe(RECIPE, overrides), run_dir, data_dir=data_dir)
    assert metrics["global_step"] == 2
    for name in ("recipe.yaml", "run_info.json", "metrics.jsonl", "metrics.json", "loss.png", "checkpoint-2", "adapter"):
        assert (run_dir / name).exists(), name
    info = json.loads((run_dir / "run_info.json").read_text())
    assert info["data_hashes"]["train.jsonl"] and info["versions"]["torch"]

    first = json.loads((run_dir / "checkpoint-2" / "progress.json").read_text())
    assert first["examples_seen"] == 4 and first["tokens_seen"] > 0 and first["sessions"] == 1
    resumed = train(load_recipe(RECIPE, [*overrides[:-1], "train.max_steps=3"]), run_dir, resume=True, data_dir=data_dir)
    assert resumed["global_step"] == 3 and resumed["resumed_from"] == "checkpoint-2"
    # a resumed run counts on from its checkpoint: examples, tokens and training seconds across sessions
    assert resumed["examples_seen"] == 6 and resumed["sessions"] == 2
    assert resumed["tokens_seen"] > first["tokens_seen"] and resumed["train_seconds"] > first["train_seconds"]

    # a second stage starts from the first one's adapter (init_adapter), not from a fresh LoRA (B = 0)
    from safetensors.torch import load_file

    stage2 = tmp_path / "stage2"
    train(load_recipe(RECIPE, [*overrides[:-1], "train.max_steps=1", "train.learning_rate=1e-12",
                               f"init_adapter={run_dir / 'adapter'}"]), stage2, data_dir=data_dir)
    before, after = (load_file(d / "adapter" / "adapter_model.safetensors") for d in (run_dir, stage2))
    lora_b = [k for k in before if "lora_B" in k]
    assert lora_b and any(before[k].abs().max() > 0 for k in lora_b)
    assert all((before[k] - after[k]).abs().max() < 1e-6 for k in before)

    gguf = export_adapter(run_dir / "adapter", run_dir / "adapter.gguf", "gemma3-270m")
    assert gguf.stat().st_size > 100_000
    # ... and a GGUF adapter turns back into a peft folder that exports to the same tensors (a stage can
    # start from the shipped model when the run that made it is gone)
    import numpy as np
    from gguf import GGUFReader

    from training.adapter_from_gguf import convert

    again = export_adapter(convert(gguf, tmp_path / "from-gguf"), tmp_path / "again.gguf", "gemma3-270m")
    tensors = [{t.name: np.array(t.data) for t in GGUFReader(str(path)).tensors} for path in (gguf, again)]
    assert tensors[0].keys() == tensors[1].keys() and all(np.array_equal(tensors[0][k], tensors[1][k]) for k in tensors[0])
    report = verify(run_dir / "adapter", gguf, "gemma3-270m", max_new_tokens=12,
                    emails=["we was planning to meet on monday.", "Please send me the file.", "Their is a problem with the invoice."])
    # llama.cpp multiplies Q4_K_M weights with 8-bit-quantized activations, torch uses fp32: a 3-step adapter
    # leaves the base's near-ties ("Please send" / "Send"), which either side may resolve its own way. So
    # where the two part, torch's own logits must nearly tie there (seen: 0.005 to 0.33 apart; a broken
    # export, e.g. a wrong LoRA scale, parts at clear winners), and they must run the same model for a
    # while on at least one prompt. How many prompts agree fully moves with the prompt text (2 of 3 with
    # the long instruction, 0 of 3 with the short one, every divergence a near-tie).
    assert all(d.get("torch_logit_gap", 0) < 1.0 for d in report["details"]), report
    assert max(d["common_prefix_tokens"] for d in report["details"]) >= 8, report

    # Applied at run time, as the sweeps do: merging would leave a 290 MB copy of this throwaway adapter
    # in the user's cache on every run.
    results = run([ModelSpec("tiny", "gemma3-270m", str(gguf), merge=False)], tmp_path / "eval", limit=2, clean_limit=1,
                  save_outputs=False, fce_limit=2, cweb_limit=2)
    row = results["models"][0]
    assert row["jfleg_sentences"] == 2 and row["gleu"] is not None and 0 <= row["clean_unchanged"] <= 1
    assert row["fce_sentences"] == 2 and 0 <= row["fce_f05"] <= 100 and 0 <= row["cweb_kept_unchanged"] <= 1
    assert "| tiny |" in (tmp_path / "eval" / "results.md").read_text()
    # the results name the llama.cpp kernels that ran: the model's outputs differ a little between them
    assert results["llama_kernels"] in {b.name for b in llama_builds.BUILDS}
