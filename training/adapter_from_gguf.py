"""A GGUF LoRA adapter back into a peft adapter folder, so a new training stage can start from the
shipped model (`models/*.gguf`) on a machine that no longer has the run that made it.

    python -m training.adapter_from_gguf models/gemma3-270m-proofread-lora.gguf training/runs/shipped/adapter

The inverse of llama.cpp's convert_lora_to_gguf.py for Gemma 3: tensor names map back one to one, and
`lora_a` / `lora_b` keep their layout ([r, in] and [out, r], as peft stores them). Values are the GGUF's
(f16 when exported with the default outtype): starting a stage from them is starting from exactly what
is served."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

# llama.cpp's Gemma 3 tensor names -> the module they came from in transformers' Gemma3ForCausalLM
_MODULES = {
    "attn_q": "self_attn.q_proj", "attn_k": "self_attn.k_proj", "attn_v": "self_attn.v_proj",
    "attn_output": "self_attn.o_proj", "ffn_gate": "mlp.gate_proj", "ffn_up": "mlp.up_proj", "ffn_down": "mlp.down_proj",
}
_NAME = re.compile(r"blk\.(\d+)\.(\w+)\.weight\.lora_([ab])")


def peft_key(gguf_name: str) -> str:
    match = _NAME.fullmatch(gguf_name)
    if not match or match.group(2) not in _MODULES:
        raise ValueError(f"not a Gemma 3 LoRA tensor this converter knows: {gguf_name}")
    layer, module, side = match.groups()
    return f"base_model.model.model.layers.{layer}.{_MODULES[module]}.lora_{side.upper()}.weight"


def convert(gguf_file: Path, out_dir: Path, base_model: str = "gemma3-270m", dropout: float = 0.05) -> Path:
    import numpy as np
    import torch
    from gguf import GGUFReader
    from peft import LoraConfig
    from safetensors.torch import save_file

    reader = GGUFReader(str(gguf_file))
    if reader.fields["general.type"].contents() != "adapter" or reader.fields["adapter.type"].contents() != "lora":
        raise SystemExit(f"{gguf_file} is not a LoRA adapter GGUF")
    alpha = float(reader.fields["adapter.lora.alpha"].contents())
    tensors = {peft_key(t.name): torch.from_numpy(np.array(t.data, dtype=np.float32)) for t in reader.tensors}
    ranks = {t.shape[0] for k, t in tensors.items() if ".lora_A." in k}
    if len(ranks) != 1:
        raise SystemExit(f"{gguf_file}: LoRA ranks differ between tensors ({sorted(ranks)})")
    modules = sorted({k.split(".")[-3] for k in tensors})
    out_dir.mkdir(parents=True, exist_ok=True)
    LoraConfig(r=ranks.pop(), lora_alpha=alpha, lora_dropout=dropout, target_modules=modules, task_type="CAUSAL_LM",
               base_model_name_or_path=base_model).save_pretrained(str(out_dir))
    save_file(tensors, str(out_dir / "adapter_model.safetensors"))
    (out_dir / "source.json").write_text(json.dumps({"gguf": str(gguf_file), "tensors": len(tensors)}, indent=1))
    return out_dir


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("gguf", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--dropout", type=float, default=0.05, help="LoRA dropout for further training (GGUF keeps none; the recipes use 0.05)")
    args = parser.parse_args(argv)
    print(convert(args.gguf, args.out, dropout=args.dropout))


if __name__ == "__main__":
    main()
