"""LoRA fine-tuning on CPU with peft + trl's SFTTrainer, loss on the completion only.

    python -m training.train --recipe training/recipes/gemma3-270m-proofread.yaml
    python -m training.train --recipe ... --resume            # continue from the last checkpoint
    python -m training.train --recipe ... --set train.max_steps=3 data.synthetic_errors=20 --run-dir /tmp/run

A run directory (training/runs/<recipe name>/ by default) records recipe.yaml, the data manifest
(hashes), library versions, metrics.jsonl (one line per log), loss.png, checkpoints every
`save_steps`, and the final adapter in adapter/.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import random
import resource
import shutil
import sys
import time
from pathlib import Path

for _var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# OpenMP threads that spin-wait at barriers collapse when the 2 cores are shared with other work:
# measured here under load ~12, one forward+backward of 2x289 tokens took 69.9 s with the default
# policy vs 14.6 s with PASSIVE (and 15.0 s with 1 thread). Must be set before torch is imported.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import yaml  # noqa: E402

from training.base_models import ensure_hf_model  # noqa: E402
from training.config import REPO_ROOT, Recipe, load_recipe  # noqa: E402
from training.cpu import use_bf16  # noqa: E402

RUNS_DIR = REPO_ROOT / "training" / "runs"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def library_versions() -> dict:
    import importlib.metadata as md

    names = ["torch", "transformers", "peft", "trl", "datasets", "accelerate", "llama-cpp-python", "gguf"]
    out = {"python": platform.python_version()}
    for name in names:
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            out[name] = None
    return out


def set_seeds(seed: int) -> None:
    import numpy as np
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def tokenize_examples(rows: list[dict], tokenizer, max_length: int) -> tuple[list[dict], int]:
    """input_ids = BOS + prompt + completion (tokenized apart, as serving does: the prompt is
    tokenized, then the model generates); labels mask the prompt. Over-long examples are dropped,
    never truncated (a truncated target teaches the model to stop mid-email)."""
    out, dropped = [], 0
    for row in rows:
        prompt = tokenizer(row["prompt"], add_special_tokens=True)["input_ids"]
        completion = tokenizer(row["completion"], add_special_tokens=False)["input_ids"]
        if len(prompt) + len(completion) > max_length:
            dropped += 1
            continue
        ids = prompt + completion
        out.append({"input_ids": ids, "labels": [-100] * len(prompt) + completion, "length": len(ids), "kind": row.get("kind", "")})
    return out, dropped


class PadCollator:
    """Dynamic padding to the longest sequence in the batch (never to max_length)."""

    def __init__(self, pad_id: int):
        self.pad_id = pad_id

    def __call__(self, features: list[dict]) -> dict:
        import torch

        width = max(len(f["input_ids"]) for f in features)
        ids = torch.full((len(features), width), self.pad_id, dtype=torch.long)
        labels = torch.full((len(features), width), -100, dtype=torch.long)
        mask = torch.zeros((len(features), width), dtype=torch.long)
        for i, f in enumerate(features):
            n = len(f["input_ids"])
            ids[i, :n] = torch.tensor(f["input_ids"])
            labels[i, :n] = torch.tensor(f["labels"])
            mask[i, :n] = 1
        return {"input_ids": ids, "attention_mask": mask, "labels": labels}


def make_trainer_class():
    from trl import SFTTrainer

    from training.fast_loss import completion_loss

    class FastSFTTrainer(SFTTrainer):
        """SFTTrainer whose loss projects only the completion positions through lm_head, with no
        per-step full-vocabulary entropy/accuracy. Counts the tokens it trains on for tokens/s."""

        loss_is_scaled_for_ga = True
        fast_loss = True
        bf16 = False  # autocast the forward pass to bf16 (the loss itself is computed in fp32)

        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            if not self.fast_loss:
                return super().compute_loss(model, inputs, return_outputs, num_items_in_batch)
            import torch

            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16):
                loss, _ = completion_loss(model, inputs["input_ids"], inputs["attention_mask"], inputs["labels"], num_items_in_batch)
            if model.training:
                self.seen_tokens = getattr(self, "seen_tokens", 0) + int(inputs["attention_mask"].sum())
            return (loss, None) if return_outputs else loss

        def prediction_step(self, model, inputs, prediction_loss_only, ignore_keys=None):
            import torch

            if not self.fast_loss:
                return super().prediction_step(model, inputs, prediction_loss_only, ignore_keys)
            inputs = self._prepare_inputs(inputs)
            with torch.no_grad(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=self.bf16):
                loss, _ = completion_loss(model, inputs["input_ids"], inputs["attention_mask"], inputs["labels"])
            return loss.detach(), None, None

    return FastSFTTrainer


PROGRESS_FILE = "progress.json"


def read_progress(checkpoint: Path | None) -> dict:
    """What the run had done when `checkpoint` was saved (zeros for a new run)."""
    path = checkpoint / PROGRESS_FILE if checkpoint else None
    if path and path.exists():
        return json.loads(path.read_text())
    return {"examples_seen": 0, "tokens_seen": 0, "train_seconds": 0.0, "sessions": 0}


def make_callbacks(run_dir: Path, examples_per_step: int, previous: dict):
    from transformers import TrainerCallback

    class RunLog(TrainerCallback):
        """metrics.jsonl (every log: tokens/s, seconds per step, peak RSS), loss.png at each save, and
        progress.json (examples and tokens seen, training seconds, summed over every session that resumed
        the run) in the run dir and in each checkpoint, so a resumed run counts from its checkpoint."""

        def __init__(self):
            self.start = None
            self.start_step = 0
            self.trainer = None

        def on_train_begin(self, args, state, control, **kw):
            self.start = time.time()
            self.start_step = state.global_step
            self.tokens_at_start = getattr(self.trainer, "seen_tokens", 0)

        def tokens_this_session(self) -> int:
            return getattr(self.trainer, "seen_tokens", 0) - self.tokens_at_start

        def on_log(self, args, state, control, logs=None, **kw):
            elapsed = time.time() - self.start
            steps = max(state.global_step - self.start_step, 1)
            record = {"step": state.global_step, "time": round(elapsed, 1), "s_per_step": round(elapsed / steps, 2),
                      "tokens_per_s": round(self.tokens_this_session() / max(elapsed, 1e-6), 1), "peak_rss_mb": round(peak_rss_mb()),
                      **{k: v for k, v in (logs or {}).items()}}
            with open(run_dir / "metrics.jsonl", "a") as handle:
                handle.write(json.dumps(record) + "\n")

        def progress(self, state) -> dict:
            return {"global_step": state.global_step,
                    "examples_seen": state.global_step * examples_per_step,
                    "tokens_seen": previous["tokens_seen"] + self.tokens_this_session(),
                    "train_seconds": round(previous["train_seconds"] + time.time() - self.start, 1),
                    "sessions": previous["sessions"] + 1,
                    "updated": time.strftime("%Y-%m-%d %H:%M:%S")}

        def on_save(self, args, state, control, **kw):
            text = json.dumps(self.progress(state), indent=2)
            checkpoint = run_dir / f"checkpoint-{state.global_step}"
            if checkpoint.exists():
                (checkpoint / PROGRESS_FILE).write_text(text)
            (run_dir / PROGRESS_FILE).write_text(text)
            plot_losses(run_dir)

    return RunLog()


def plot_losses(run_dir: Path) -> Path | None:
    path = run_dir / "metrics.jsonl"
    if not path.exists():
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    train = [(r["step"], r["loss"]) for r in rows if "loss" in r]
    evals = [(r["step"], r["eval_loss"]) for r in rows if "eval_loss" in r]
    fig, ax = plt.subplots(figsize=(7, 4))
    if train:
        ax.plot(*zip(*train), label="train loss")
    if evals:
        ax.plot(*zip(*evals), "o-", label="validation loss")
    ax.set_xlabel("step")
    ax.set_ylabel("cross-entropy (completion tokens)")
    ax.set_title(run_dir.name)
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    out = run_dir / "loss.png"
    fig.savefig(out, dpi=100)
    plt.close(fig)
    return out


def planned_steps(t, examples: int) -> int:
    """Optimizer steps the run will take: max_steps, or the epochs over the data."""
    if t.max_steps > 0:
        return t.max_steps
    return math.ceil(examples * t.epochs / (t.per_device_batch * t.grad_accumulation))


def last_checkpoint(run_dir: Path) -> Path | None:
    checkpoints = sorted(run_dir.glob("checkpoint-*"), key=lambda p: int(p.name.split("-")[1]))
    return checkpoints[-1] if checkpoints else None


def load_base(recipe: Recipe):
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder = ensure_hf_model(recipe.base)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32, attn_implementation="sdpa")
    return model, tokenizer


def train(recipe: Recipe, run_dir: Path, resume: bool = False, data_dir: Path | None = None, limit: int | None = None) -> dict:
    import torch
    from datasets import Dataset
    from peft import LoraConfig, get_peft_model
    from trl import SFTConfig

    from training.data.build import build_recipe_data
    from training.data.build import data_dir as recipe_data_dir
    from training.data.common import file_sha256, read_jsonl

    torch.set_num_threads(recipe.train.threads)
    set_seeds(recipe.seed)
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "recipe.yaml").write_text(yaml.safe_dump(recipe.to_dict(), sort_keys=False))

    data_dir = data_dir or recipe_data_dir(recipe)
    if not (data_dir / "train.jsonl").exists():
        build_recipe_data(recipe, data_dir)
    train_rows = read_jsonl(data_dir / "train.jsonl")[:limit]
    val_rows = read_jsonl(data_dir / "validation.jsonl")[: (limit or 10**9)]
    manifest = json.loads((data_dir / "manifest.json").read_text()) if (data_dir / "manifest.json").exists() else {}

    model, tokenizer = load_base(recipe)
    train_tok, dropped = tokenize_examples(train_rows, tokenizer, recipe.train.max_length)
    val_tok, _ = tokenize_examples(val_rows, tokenizer, recipe.train.max_length)
    info = {
        "recipe": recipe.to_dict(),
        "data_dir": str(data_dir),
        "data_hashes": {name: file_sha256(data_dir / name) for name in ("train.jsonl", "validation.jsonl")},
        "data_manifest": manifest,
        "train_examples": len(train_tok),
        "dropped_over_max_length": dropped,
        "train_tokens": sum(r["length"] for r in train_tok),
        "completion_tokens": sum(sum(1 for x in r["labels"] if x != -100) for r in train_tok),
        "versions": library_versions(),
        "threads": torch.get_num_threads(),
        "bf16_autocast": use_bf16(recipe.train.bf16),
        "command": " ".join(sys.argv),
    }
    (run_dir / "run_info.json").write_text(json.dumps(info, indent=2))

    if recipe.init_adapter:
        from peft import PeftModel

        model = PeftModel.from_pretrained(model, str(REPO_ROOT / recipe.init_adapter), is_trainable=True)
    else:
        peft_config = LoraConfig(r=recipe.lora.r, lora_alpha=recipe.lora.alpha, lora_dropout=recipe.lora.dropout,
                                 target_modules=recipe.lora.target_modules, task_type="CAUSAL_LM", bias="none")
        model = get_peft_model(model, peft_config)

    t = recipe.train
    args = SFTConfig(
        output_dir=str(run_dir),
        per_device_train_batch_size=t.per_device_batch,
        per_device_eval_batch_size=t.per_device_batch,
        gradient_accumulation_steps=t.grad_accumulation,
        learning_rate=t.learning_rate,
        lr_scheduler_type=t.lr_scheduler,
        warmup_steps=int(t.warmup_ratio * planned_steps(t, len(train_tok))),
        weight_decay=t.weight_decay,
        num_train_epochs=t.epochs,
        max_steps=t.max_steps,
        logging_steps=t.logging_steps,
        save_steps=t.save_steps,
        save_total_limit=t.save_total_limit,
        eval_strategy="steps" if val_tok and t.eval_steps > 0 else "no",
        eval_steps=t.eval_steps if t.eval_steps > 0 else None,
        max_grad_norm=t.max_grad_norm,
        gradient_checkpointing=t.gradient_checkpointing,
        seed=recipe.seed,
        data_seed=recipe.seed,
        train_sampling_strategy="group_by_length" if t.group_by_length else "random",
        length_column_name="length",
        max_length=t.max_length,
        report_to=[],
        disable_tqdm=False,
        dataloader_num_workers=0,
        use_cpu=True,
        remove_unused_columns=False,
        save_only_model=False,
        dataset_kwargs={"skip_prepare_dataset": True},
    )
    columns = ["input_ids", "labels", "length"]
    train_ds = Dataset.from_list([{k: r[k] for k in columns} for r in train_tok])
    val_ds = Dataset.from_list([{k: r[k] for k in columns} for r in val_tok]) if val_tok else None
    trainer_cls = make_trainer_class()
    trainer = trainer_cls(model=model, args=args, train_dataset=train_ds, eval_dataset=val_ds,
                          processing_class=tokenizer, data_collator=PadCollator(tokenizer.pad_token_id))
    trainer.fast_loss = t.fast_loss
    trainer.bf16 = use_bf16(t.bf16)
    checkpoint = last_checkpoint(run_dir) if resume else None
    log = make_callbacks(run_dir, t.per_device_batch * t.grad_accumulation, read_progress(checkpoint))
    log.trainer = trainer
    trainer.add_callback(log)

    started = time.time()
    result = trainer.train(resume_from_checkpoint=str(checkpoint) if checkpoint else None)
    seconds = time.time() - started
    adapter_dir = run_dir / "adapter"
    if adapter_dir.exists():
        shutil.rmtree(adapter_dir)
    trainer.model.save_pretrained(adapter_dir)
    tokenizer.save_pretrained(adapter_dir)
    steps_done = trainer.state.global_step - (int(checkpoint.name.split("-")[1]) if checkpoint else 0)
    progress = log.progress(trainer.state)
    (run_dir / PROGRESS_FILE).write_text(json.dumps(progress, indent=2))
    metrics = {
        "global_step": trainer.state.global_step,
        "bf16": trainer.bf16,
        **{k: progress[k] for k in ("examples_seen", "tokens_seen", "train_seconds", "sessions")},
        "train_seconds_this_session": round(seconds, 1),
        "s_per_step": round(seconds / max(steps_done, 1), 2),
        "tokens_per_s": round(getattr(trainer, "seen_tokens", 0) / max(seconds, 1e-6), 1),
        "peak_rss_mb": round(peak_rss_mb()),
        "train_loss": result.training_loss,
        "resumed_from": checkpoint.name if checkpoint else None,
    }
    if val_ds is not None:
        metrics["eval_loss"] = trainer.evaluate()["eval_loss"]
    (run_dir / "metrics.json").write_text(json.dumps(metrics, indent=2))
    plot_losses(run_dir)
    return metrics


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recipe", required=True)
    parser.add_argument("--set", nargs="*", default=[], dest="overrides", help="overrides like train.max_steps=10")
    parser.add_argument("--run-dir", type=Path, default=None)
    parser.add_argument("--data-dir", type=Path, default=None, help="prebuilt data folder (default: built from the recipe)")
    parser.add_argument("--limit", type=int, default=None, help="train on the first N examples only (smoke tests)")
    parser.add_argument("--resume", action="store_true", help="continue from the run dir's last checkpoint")
    args = parser.parse_args(argv)
    recipe = load_recipe(args.recipe, args.overrides)
    run_dir = args.run_dir or RUNS_DIR / recipe.name
    metrics = train(recipe, run_dir, resume=args.resume, data_dir=args.data_dir, limit=args.limit)
    print(json.dumps(metrics, indent=2))


if __name__ == "__main__":
    main()
