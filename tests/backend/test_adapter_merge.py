"""The LoRA adapter folded into its base (backend/adapter_merge.py): the arithmetic on small GGUF files
written here, then the real base + shipped adapter against llama.cpp's own runtime adapter."""

from __future__ import annotations

from pathlib import Path

import gguf
import numpy as np
import pytest

from backend import prompts
from backend.adapter_merge import merge_adapter, merged_model_path

Q = gguf.GGMLQuantizationType


def write_base(path: Path, weight: np.ndarray, norm: np.ndarray) -> None:
    writer = gguf.GGUFWriter(str(path), arch="gemma3")
    writer.add_string("general.name", "tiny")
    writer.add_uint32("gemma3.block_count", 1)
    q5 = gguf.quants.quantize(weight, Q.Q5_0)
    writer.add_tensor("blk.0.attn_q.weight", q5, raw_shape=q5.shape, raw_dtype=Q.Q5_0)
    writer.add_tensor("blk.0.attn_norm.weight", norm)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def write_adapter(path: Path, a: np.ndarray, b: np.ndarray, alpha: float, target: str = "blk.0.attn_q.weight") -> None:
    writer = gguf.GGUFWriter(str(path), arch="gemma3")
    writer.add_string("general.type", "adapter")
    writer.add_string("adapter.type", "lora")
    writer.add_float32("adapter.lora.alpha", alpha)
    writer.add_tensor(f"{target}.lora_a", a.astype(np.float16))
    writer.add_tensor(f"{target}.lora_b", b.astype(np.float16))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


@pytest.fixture()
def tiny(tmp_path):
    rng = np.random.default_rng(0)
    weight = rng.normal(0, 0.05, (96, 64)).astype(np.float32)  # (out, in)
    norm = rng.normal(1, 0.1, 64).astype(np.float32)
    a = rng.normal(0, 0.1, (4, 64)).astype(np.float32)  # (r, in)
    b = rng.normal(0, 0.1, (96, 4)).astype(np.float32)  # (out, r)
    write_base(tmp_path / "base.gguf", weight, norm)
    write_adapter(tmp_path / "adapter.gguf", a, b, alpha=8.0)
    return tmp_path, weight, norm, a, b


@pytest.mark.fast
def test_merge_adds_the_scaled_update_and_copies_other_tensors(tiny):
    folder, weight, norm, a, b = tiny
    merge_adapter(folder / "base.gguf", folder / "adapter.gguf", folder / "merged.gguf")
    base = {t.name: t for t in gguf.GGUFReader(str(folder / "base.gguf")).tensors}
    merged = {t.name: t for t in gguf.GGUFReader(str(folder / "merged.gguf")).tensors}
    q = merged["blk.0.attn_q.weight"]
    assert q.tensor_type == Q.Q8_0
    base_weight = gguf.quants.dequantize(base["blk.0.attn_q.weight"].data, Q.Q5_0)
    a16, b16 = a.astype(np.float16).astype(np.float32), b.astype(np.float16).astype(np.float32)
    expected = base_weight + (8.0 / 4) * (b16 @ a16)
    got = gguf.quants.dequantize(q.data, Q.Q8_0)
    update = np.abs(expected - base_weight).mean()
    # Q8_0 rounding is far below the update; dropping the update (or scaling it wrong) is not.
    assert np.abs(got - expected).max() < 0.1 * update
    assert np.array_equal(merged["blk.0.attn_norm.weight"].data, norm)
    reader = gguf.GGUFReader(str(folder / "merged.gguf"))
    assert reader.fields["gemma3.block_count"].contents() == 1


@pytest.mark.fast
def test_an_adapter_for_tensors_the_base_lacks_is_refused(tiny, tmp_path):
    folder, _, _, a, b = tiny
    write_adapter(folder / "other.gguf", a, b, alpha=8.0, target="blk.7.attn_q.weight")
    with pytest.raises(ValueError, match="does not have"):
        merge_adapter(folder / "base.gguf", folder / "other.gguf", folder / "merged.gguf")


@pytest.mark.fast
def test_the_merged_file_is_built_once_and_rebuilt_when_the_adapter_changes(tiny):
    folder, _, _, a, b = tiny
    cache = folder / "cache"
    first = merged_model_path(folder / "base.gguf", folder / "adapter.gguf", cache)
    stamp = first.stat().st_mtime_ns
    assert merged_model_path(folder / "base.gguf", folder / "adapter.gguf", cache) == first
    assert first.stat().st_mtime_ns == stamp
    write_adapter(folder / "adapter.gguf", a, 2 * b, alpha=8.0)
    second = merged_model_path(folder / "base.gguf", folder / "adapter.gguf", cache)
    assert second != first and second.exists()
    assert not list(cache.rglob("*.partial"))


# --- the real base and shipped adapter ----------------------------------------------------------


def last_logits(llm) -> np.ndarray:
    import ctypes

    import llama_cpp

    pointer = llama_cpp.llama_get_logits_ith(llm.ctx, -1)
    return np.ctypeslib.as_array(ctypes.cast(pointer, ctypes.POINTER(ctypes.c_float)), shape=(llm.n_vocab(),)).copy()


def test_the_served_model_is_merged_and_predicts_like_the_runtime_adapter(proofreader):
    """Next-token logits of the merged model vs llama.cpp applying the same adapter at run time."""
    from llama_cpp import Llama

    engine = proofreader.engine
    assert engine.adapter_path is not None and engine.adapter_merged
    assert proofreader.model_info.adapter_merged
    runtime = Llama(model_path=str(engine.model_path), lora_path=str(engine.adapter_path), n_ctx=512,
                    n_threads=2, verbose=False)
    plain = Llama(model_path=str(engine.model_path), n_ctx=512, n_threads=2, verbose=False)
    # The prompt as served: an off-format one ("Proofread: I has sent...") magnifies the Q8_0 rounding of the
    # adapter's delta (measured 0.994 for the stage-3 adapter, 0.998 for stage 2; on this prompt 0.9992 / 0.9991).
    email = "Hi Sam,\nwe was planning to meet on monday.\nDana"
    prompt = prompts.render_prompt(prompts.messages(email, proofreader.score(email)), "gemma")
    logits = {}
    for name, llm in (("merged", engine.llm), ("runtime", runtime), ("plain", plain)):
        ids = llm.tokenize(prompt.encode(), add_bos=True, special=True)
        llm.reset()
        llm.eval(ids)
        logits[name] = last_logits(llm)
    engine.llm.reset()  # the engine's cache bookkeeping no longer matches this prompt
    close = np.corrcoef(logits["merged"], logits["runtime"])[0, 1]
    far = np.corrcoef(logits["plain"], logits["runtime"])[0, 1]
    # The adapter changes the base's predictions; the merge must keep that change, not just the base.
    assert close > 0.995
    assert np.abs(logits["merged"] - logits["runtime"]).mean() < 0.25 * np.abs(logits["plain"] - logits["runtime"]).mean()
    assert far < close
