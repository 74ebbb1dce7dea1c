"""Training throughput, before/after: tokens/s of LoRA training steps on the same batches.

    python -m training.bench_throughput --out training/build/bench/throughput.json [--batch 4 --steps 2]

Each configuration runs in its own process (the OpenMP wait policy is fixed at process start):
  baseline   full-vocabulary logits at every position (stock causal-LM loss) plus per-step entropy and
             top-1 accuracy over the full vocabulary (what trl logs), padding to max_length,
             default OpenMP wait policy
  fast_loss  lm_head + cross-entropy only at completion positions, no full-vocab metrics, dynamic padding
  optimized  fast_loss + OMP_WAIT_POLICY=PASSIVE (threads sleep at barriers instead of spinning, which
             collapses when the 2 cores are shared)
  bf16       optimized + bf16 autocast of the forward pass (train.bf16; pays off where the CPU has
             AVX512-BF16 or AMX-BF16, see training.cpu)
tokens/s counts real (non-padding) tokens. Loss values are printed to show the result is unchanged.
Timings on this shared machine are noisy: compare configurations from the same run."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

CONFIGS = {
    "baseline": {"fast": False, "pad_to_max": True, "env": {"OMP_WAIT_POLICY": "ACTIVE"}},
    "fast_loss": {"fast": True, "pad_to_max": False, "env": {"OMP_WAIT_POLICY": "ACTIVE"}},
    "optimized": {"fast": True, "pad_to_max": False, "env": {"OMP_WAIT_POLICY": "PASSIVE"}},
    "bf16": {"fast": True, "pad_to_max": False, "bf16": True, "env": {"OMP_WAIT_POLICY": "PASSIVE"}},
}


def worker(config: str, batch: int, steps: int, max_length: int, threads: int, data: Path) -> dict:
    import resource

    import torch
    import torch.nn.functional as F
    from peft import LoraConfig, get_peft_model

    from training.config import LoraConfig as RecipeLora
    from training.data.common import read_jsonl
    from training.cpu import has_fast_bf16
    from training.fast_loss import completion_loss
    from training.train import PadCollator, load_base, tokenize_examples
    from training.config import Recipe

    torch.set_num_threads(threads)
    torch.manual_seed(0)
    spec = CONFIGS[config]
    model, tokenizer = load_base(Recipe(name="bench"))
    lora = RecipeLora()
    model = get_peft_model(model, LoraConfig(r=lora.r, lora_alpha=lora.alpha, lora_dropout=0.0,
                                             target_modules=lora.target_modules, task_type="CAUSAL_LM"))
    rows = read_jsonl(data)[: batch * (steps + 1)]
    examples, _ = tokenize_examples(rows, tokenizer, max_length)
    collate = PadCollator(tokenizer.pad_token_id)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)
    timings, tokens, losses = [], [], []
    for step in range(steps + 1):  # step 0 warms up and is not counted
        chunk = examples[step * batch : (step + 1) * batch]
        inputs = collate(chunk)
        if spec["pad_to_max"]:
            pad = max_length - inputs["input_ids"].shape[1]
            inputs = {"input_ids": F.pad(inputs["input_ids"], (0, pad), value=tokenizer.pad_token_id),
                      "attention_mask": F.pad(inputs["attention_mask"], (0, pad), value=0),
                      "labels": F.pad(inputs["labels"], (0, pad), value=-100)}
        start = time.perf_counter()
        if spec["fast"]:
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=spec.get("bf16", False)):
                loss, _ = completion_loss(model, inputs["input_ids"], inputs["attention_mask"], inputs["labels"])
        else:
            out = model(**inputs)
            loss = out.loss
            with torch.no_grad():  # trl-style per-step metrics over the full vocabulary
                logits = out.logits[:, :-1]
                keep = inputs["labels"][:, 1:] != -100
                logp = torch.log_softmax(logits.float(), -1)
                entropy = -(logp.exp() * logp).sum(-1)[keep].mean()
                accuracy = (logits.argmax(-1) == inputs["labels"][:, 1:])[keep].float().mean()
                del entropy, accuracy, logits, logp
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        elapsed = time.perf_counter() - start
        if step > 0:
            timings.append(elapsed)
            tokens.append(int(inputs["attention_mask"].sum()))
            losses.append(round(float(loss), 5))
    return {"config": config, "batch": batch, "steps": steps, "threads": threads, "cpu_bf16": has_fast_bf16(),
            "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
            "s_per_step": round(sum(timings) / len(timings), 2),
            "tokens_per_s": round(sum(tokens) / sum(timings), 1),
            "real_tokens_per_step": round(sum(tokens) / len(tokens)),
            "losses": losses, "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
            "loadavg_after": open("/proc/loadavg").read().split()[:3]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("training/build/bench/throughput.json"))
    parser.add_argument("--data", type=Path, default=Path("training/build/data/mix-v1-gemma/train.jsonl"))
    parser.add_argument("--configs", nargs="*", default=list(CONFIGS))
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--steps", type=int, default=2)
    parser.add_argument("--max-length", type=int, default=384)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print("RESULT " + json.dumps(worker(args.worker, args.batch, args.steps, args.max_length, args.threads, args.data)))
        return
    results = []
    for config in args.configs:
        env = {**os.environ, **CONFIGS[config]["env"]}  # the offline variables: set by training/__init__.py
        cmd = [sys.executable, "-m", "training.bench_throughput", "--worker", config, "--batch", str(args.batch),
               "--steps", str(args.steps), "--max-length", str(args.max_length), "--threads", str(args.threads),
               "--data", str(args.data)]
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
        line = next(l for l in done.stdout.splitlines() if l.startswith("RESULT "))
        results.append(json.loads(line[7:]))
        print(json.dumps(results[-1]))
    base = results[0]["tokens_per_s"] if results and results[0]["config"] == "baseline" else None
    for r in results:
        r["speedup_vs_baseline"] = round(r["tokens_per_s"] / base, 2) if base else None
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"results": results, "data": str(args.data), "recorded": time.strftime("%Y-%m-%d %H:%M:%S")}, indent=2))
    print(args.out)


if __name__ == "__main__":
    main()
