"""Export a trained LoRA adapter to GGUF for llama.cpp.

    python -m training.export --run training/runs/gemma3-270m-proofread            # -> <run>/adapter.gguf
    python -m training.export --run ... --out models/gemma3-270m-proofread-lora.gguf --verify
    python -m training.export --run ... --merged-q8 /tmp/merged-q8_0.gguf           # optional merged model

The adapter GGUF loads on the original PyPI Q4_K_M base: `Llama(model_path=<base>, lora_path=<adapter>)`
(backend `Settings(adapter=<path>)`). The backend merges it into the base at load time
(backend/adapter_merge.py); `--merged-q8` writes that same merged model to a file.
`--verify` compares greedy outputs of the torch model (dequantized base + adapter) and llama.cpp.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from training.base_models import BASES, ensure_hf_model, gguf_path
from training.llama_cpp_tools import run_converter

VERIFY_EMAILS = [
    "Hi Sam,\nI has send the report yesterday. Let me know if their is any issue.\nThanks,\nDana",
    "Please find attached the agenda for tomorrow's meeting.",
    "we was planning to meet on monday but the room are booked.",
]


def adapter_dir_of(run_or_adapter: Path) -> Path:
    run_or_adapter = Path(run_or_adapter)
    if (run_or_adapter / "adapter_config.json").exists():
        return run_or_adapter
    if (run_or_adapter / "adapter" / "adapter_config.json").exists():
        return run_or_adapter / "adapter"
    raise FileNotFoundError(f"no adapter_config.json in {run_or_adapter} or {run_or_adapter}/adapter")


def base_of(adapter_dir: Path, default: str = "gemma3-270m") -> str:
    for candidate in (adapter_dir / "recipe.yaml", adapter_dir.parent / "recipe.yaml"):
        if candidate.exists():
            import yaml

            return yaml.safe_load(candidate.read_text()).get("base", default)
    return default


def export_adapter(adapter_dir: Path, out: Path, base: str, outtype: str = "f16") -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    run_converter("convert_lora_to_gguf.py", ["--base", str(ensure_hf_model(base)), "--outtype", outtype,
                                              "--outfile", str(out), str(adapter_dir)])
    return out


def torch_greedy(adapter_dir: Path, base: str, prompts: list[str], max_new_tokens: int) -> list[tuple[list[int], list]]:
    """Per prompt: the greedy token ids and the logits at each step (to tell a near-tie from a real disagreement)."""
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder = ensure_hf_model(base)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32)
    model = PeftModel.from_pretrained(model, adapter_dir).eval()
    stop = tokenizer.convert_tokens_to_ids(BASES[base].stop_token)
    outputs = []
    with torch.no_grad():
        for prompt in prompts:
            ids = tokenizer(prompt, return_tensors="pt", add_special_tokens=True)
            gen = model.generate(**ids, max_new_tokens=max_new_tokens, do_sample=False, output_logits=True,
                                 return_dict_in_generate=True,
                                 eos_token_id=[tokenizer.eos_token_id, stop], pad_token_id=tokenizer.pad_token_id)
            new = gen.sequences[0, ids["input_ids"].shape[1]:].tolist()
            outputs.append(([t for t in new if t not in (tokenizer.eos_token_id, stop)], [step[0] for step in gen.logits]))
    return outputs


def llama_greedy(adapter_gguf: Path, base: str, prompts: list[str], max_new_tokens: int) -> list[list[int]]:
    from backend.engines.llama_engine import LlamaEngine

    engine = LlamaEngine(gguf_path(base), adapter_gguf, BASES[base].chat_format, n_ctx=1024, n_threads=2)
    outputs = []
    for prompt in prompts:
        prompt_ids = engine.llm.tokenize(prompt.encode(), add_bos=True, special=True)
        out = []
        for token in engine.llm.generate(prompt_ids, temp=0.0, top_k=1, repeat_penalty=1.0, reset=True):
            if token in engine.stop_ids or len(out) >= max_new_tokens:
                break
            out.append(token)
        outputs.append(out)
    return outputs


def verify(adapter_dir: Path, adapter_gguf: Path, base: str, max_new_tokens: int = 48, emails: list[str] | None = None) -> dict:
    """Greedy token ids from torch (fp32, dequantized base + adapter) vs llama.cpp (Q4_K_M + GGUF adapter)."""
    from backend import prompts as P
    from training.data.scoring import load_scorer

    scorer, _ = load_scorer("auto")
    chat_format = BASES[base].chat_format
    texts = [P.render_prompt(P.messages(e, scorer.score(e)), chat_format) for e in (emails or VERIFY_EMAILS)]
    a = torch_greedy(adapter_dir, base, texts, max_new_tokens)
    b = llama_greedy(adapter_gguf, base, texts, max_new_tokens)
    rows = []
    for (x, logits), y in zip(a, b):
        agree = next((i for i, (p, q) in enumerate(zip(x, y)) if p != q), min(len(x), len(y)))
        row = {"identical": x == y, "common_prefix_tokens": agree, "torch_tokens": len(x), "llama_tokens": len(y)}
        if agree < min(len(x), len(y)):
            # How far below torch's own choice torch ranks llama.cpp's token where they part: a near-tie
            # (Q4_K_M weights and 8-bit activations against fp32) or a real disagreement.
            row["torch_logit_gap"] = round(float(logits[agree][x[agree]] - logits[agree][y[agree]]), 3)
        rows.append(row)
    return {"prompts": len(rows), "identical": sum(r["identical"] for r in rows), "details": rows}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run", type=Path, required=True, help="run dir (uses <run>/adapter) or an adapter/checkpoint dir")
    parser.add_argument("--out", type=Path, default=None, help="adapter GGUF path (default <run>/adapter.gguf)")
    parser.add_argument("--outtype", default="f16", choices=["f32", "f16", "bf16", "q8_0"])
    parser.add_argument("--base", default=None, choices=sorted(BASES))
    parser.add_argument("--merged-q8", type=Path, default=None, help="also write a merged Q8_0 GGUF here")
    parser.add_argument("--verify", action="store_true", help="compare greedy outputs torch vs llama.cpp")
    parser.add_argument("--verify-json", type=Path, default=None, help="also write the comparison here (for training.report)")
    args = parser.parse_args(argv)
    adapter_dir = adapter_dir_of(args.run)
    base = args.base or base_of(adapter_dir)
    out = args.out or (args.run if args.run.is_dir() else adapter_dir) / "adapter.gguf"
    export_adapter(adapter_dir, out, base, args.outtype)
    report = {"adapter_gguf": str(out), "bytes": out.stat().st_size, "base": base}
    if args.merged_q8:
        from backend.adapter_merge import merge_adapter

        merge_adapter(gguf_path(base), out, args.merged_q8)
        report["merged_q8"] = str(args.merged_q8)
    if args.verify:
        report["verify"] = verify(adapter_dir, out, base)
        if args.verify_json:
            args.verify_json.parent.mkdir(parents=True, exist_ok=True)
            args.verify_json.write_text(json.dumps(report["verify"], indent=2))
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
