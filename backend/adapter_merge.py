"""Folds a LoRA adapter into its base GGUF once, so serving runs one plain model.

llama.cpp applies a runtime adapter as two extra small matrix products (plus a scale and an add) on
every adapted weight of every layer. On this 2-core machine that cost 26% of the prompt's evaluation
and 19% of each generated token (bench/NOTES.md, "Merged adapter"). Merged weights do the same
arithmetic in one product: W' = W + (alpha / r) * B @ A.

The merged weights are stored as Q8_0, whatever the base's own type (here Q4_K, Q5_0, Q6_K, Q8_0):
re-quantizing to 4-5 bits would round a good part of the small LoRA update away, and Q8_0 products
are also the fastest kind on this CPU. Every other tensor (norms, the 262k-row embedding) is copied
byte for byte. The file is rebuilt only when its inputs change: its name carries a digest of the
base, the adapter and MERGE_VERSION.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np

# Bump when the merge's output for the same inputs changes, so cached files are not reused.
MERGE_VERSION = "1-q8_0"


def merged_model_path(base: Path, adapter: Path, cache_dir: Path) -> Path:
    """The merged GGUF for `base` + `adapter`, built into `cache_dir` on first use (~15 s)."""
    from backend.model_files import file_sha256

    key = f"{file_sha256(base).hexdigest()} {file_sha256(adapter).hexdigest()} {MERGE_VERSION}"
    key = hashlib.sha256(key.encode()).hexdigest()[:16]
    target = Path(cache_dir) / "merged" / f"{base.stem}+{adapter.stem}-{key}.gguf"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
        try:
            merge_adapter(base, adapter, partial)
            partial.replace(target)  # atomic: a concurrent or interrupted build never leaves half a file
        finally:
            partial.unlink(missing_ok=True)
    return target


def merge_adapter(base: Path, adapter: Path, out: Path) -> None:
    import gguf
    from gguf import GGMLQuantizationType, GGUFValueType

    base_reader = gguf.GGUFReader(str(base))
    adapter_reader = gguf.GGUFReader(str(adapter))
    if adapter_reader.fields["adapter.type"].contents() != "lora":
        raise ValueError(f"{adapter.name} is not a LoRA adapter")
    architecture = base_reader.fields["general.architecture"].contents()
    if adapter_reader.fields["general.architecture"].contents() != architecture:
        raise ValueError(f"{adapter.name} was not made for a {architecture} model")
    alpha = float(adapter_reader.fields["adapter.lora.alpha"].contents())
    lora = {tensor.name: tensor for tensor in adapter_reader.tensors}

    writer = gguf.GGUFWriter(str(out), arch=architecture)
    for name, field in base_reader.fields.items():
        if name.startswith("GGUF.") or name == "general.architecture":
            continue  # the writer adds these itself
        value_type = field.types[0]
        writer.add_key_value(name, field.contents(), value_type, field.types[-1] if value_type == GGUFValueType.ARRAY else None)

    merged = 0
    for tensor in base_reader.tensors:
        lora_a = lora.get(f"{tensor.name}.lora_a")
        if lora_a is None:
            writer.add_tensor(tensor.name, tensor.data, raw_shape=tensor.data.shape, raw_dtype=tensor.tensor_type)
            continue
        a = np.asarray(lora_a.data, dtype=np.float32)  # (r, in)
        b = np.asarray(lora[f"{tensor.name}.lora_b"].data, dtype=np.float32)  # (out, r)
        weight = gguf.quants.dequantize(tensor.data, tensor.tensor_type).astype(np.float32)  # (out, in)
        # llama.cpp scales a runtime adapter by alpha / rank (llama-adapter.cpp): the same here.
        data = gguf.quants.quantize(weight + (alpha / a.shape[0]) * (b @ a), GGMLQuantizationType.Q8_0)
        writer.add_tensor(tensor.name, data, raw_shape=data.shape, raw_dtype=GGMLQuantizationType.Q8_0)
        merged += 1
    if merged * 2 != len(lora):
        raise ValueError(f"{adapter.name} adapts tensors the base does not have ({merged * 2} of {len(lora)} matched)")
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
