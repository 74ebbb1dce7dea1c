"""Whether bf16 training pays off on this CPU."""

from __future__ import annotations

from backend.cpu_features import cpu_flags


def has_fast_bf16() -> bool:
    """bf16 matrix instructions (AVX512-BF16 or AMX-BF16): there oneDNN runs bf16 matmuls natively, and
    autocast trained 1.68x faster than fp32 here (training.bench_throughput); without them bf16 is emulated."""
    return bool(cpu_flags() & {"avx512_bf16", "amx_bf16"})


def use_bf16(setting: str) -> bool:
    if setting not in ("auto", "on", "off"):
        raise ValueError(f"train.bf16 must be auto, on or off, not {setting!r}")
    return setting == "on" or (setting == "auto" and has_fast_bf16())
