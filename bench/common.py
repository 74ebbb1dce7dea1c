"""Shared by the bench commands: test emails of a given length, percentiles, peak RSS, JSON output.

Emails never reach a log or a result file: results hold ids, lengths and timings only."""

from __future__ import annotations

import json
import os
import platform
import random
import resource
import subprocess
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
FALLBACK = BENCH_DIR / "emails_fallback.txt"


def aeslc_dev_path() -> Path:
    """AESLC dev emails in the shared data sets (Settings.data_dir)."""
    return settings().data_dir / "emails" / "aeslc_dev.jsonl"


def _source_bodies() -> tuple[str, list[str]]:
    aeslc_dev = aeslc_dev_path()
    if aeslc_dev.exists():
        with aeslc_dev.open(encoding="utf-8") as handle:
            bodies = [json.loads(line)["body"] for line in handle if line.strip()]
        return "aeslc_dev", [b.strip() for b in bodies if len(b.split()) >= 15]
    return "fallback", [b.strip() for b in FALLBACK.read_text(encoding="utf-8").split("===") if b.strip()]


def cut_words(text: str, words: int) -> str:
    """The first `words` words of `text`, keeping its line breaks."""
    out: list[str] = []
    count = 0
    for line in text.split("\n"):
        kept = []
        for word in line.split():
            if count == words:
                break
            kept.append(word)
            count += 1
        out.append(" ".join(kept))
        if count == words:
            break
    return "\n".join(out).strip()


def emails(words: int, n: int, seed: int = 0) -> tuple[str, list[str]]:
    """`n` emails of exactly `words` words: one email, or several joined as paragraphs when one is too short."""
    source, bodies = _source_bodies()
    rng = random.Random(f"{seed}-{words}")
    result = []
    for _ in range(n):
        parts: list[str] = []
        while sum(len(p.split()) for p in parts) < words:
            parts.append(rng.choice(bodies))
        result.append(cut_words("\n\n".join(parts), words))
    return source, result


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = (len(ordered) - 1) * q / 100
    low = int(index)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (index - low)


def summary(values: list[float]) -> dict:
    return {
        "n": len(values),
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "min": min(values) if values else None,
        "max": max(values) if values else None,
    }


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> dict:
    try:
        revision = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True, text=True, timeout=5
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        revision = ""
    return {
        "time": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "git": revision,
        "cpus": os.cpu_count(),
        "load_avg_1m": os.getloadavg()[0],
        "llama_threads": settings().n_threads,  # PROOFREAD_N_THREADS changes it; 1 when a core is busy
        "python": platform.python_version(),
    }


def write_result(name: str, data: dict, quick: bool) -> Path:
    """bench/out/<name>.json (or <name>.quick.json, which the report ignores)."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"{name}{'.quick' if quick else ''}.json"
    data = {"bench": name, "quick": quick, "machine": machine(), **data}
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return path


def settings(**overrides):
    from backend.config import Settings

    return Settings(**overrides)


def bench_settings(adapter: str, decoding: str, few_shot: str):
    """The Settings a bench runs: `few_shot` "on", "off" or "auto" (on when no adapter is loaded: the
    base model then copies like the fine-tuned one)."""
    chosen = settings(adapter=adapter, decoding=decoding)
    return chosen.model_copy(update={"few_shot": few_shot == "on" or (few_shot == "auto" and chosen.resolved_adapter() is None)})


def server_environment(chosen) -> dict[str, str]:
    """PROOFREAD_* variables that make `python -m backend serve` run what `chosen` describes."""
    return {"PROOFREAD_ADAPTER": chosen.adapter, "PROOFREAD_DECODING": chosen.decoding,
            "PROOFREAD_FEW_SHOT": str(chosen.few_shot).lower()}


def make_proofreader(chosen):
    """(proofreader, scorer name): the local model as `chosen` describes it, with the real classifiers
    (their weights are committed), built as served."""
    from backend.factory import build_proofreader

    return build_proofreader(chosen), "classifiers"
