"""Load time and per-email latency of the classifiers (`Scorer`), on real emails.

    python -m bench.classifiers [--n 200] [--threads N]

Prints the cold load time of Scorer() (in a fresh process) and p50/p95/max per-email latency of
Scorer.score() over AESLC dev emails (../shared/data/emails; falls back to the check set). Timings on a
shared machine are noisy: the run also reports the 1-minute load average. Email text is never printed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def cold_load_seconds() -> float:
    code = "import time; t = time.perf_counter(); from backend.scoring import Scorer; Scorer(); print(time.perf_counter() - t)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def emails(n: int) -> list[str]:
    path = Path(os.environ.get("SHARED_DATA", ROOT.parent / "shared" / "data")) / "emails" / "aeslc_dev.jsonl"
    if path.exists():
        bodies = [json.loads(line)["body"] for line in path.open(encoding="utf-8")]
        random.Random(0).shuffle(bodies)
        return [b for b in bodies if b.strip()][:n]
    rows = [json.loads(line) for line in (ROOT / "tests" / "scoring" / "email_check_set.jsonl").open()]
    return [r[k] for r in rows for k in ("rude", "neutral", "polite")][:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--threads", type=int, default=0, help="onnxruntime intra-op threads (0: the default, 1)")
    args = parser.parse_args()
    if args.threads:
        os.environ["SCORING_THREADS"] = str(args.threads)
    loads = [cold_load_seconds() for _ in range(3)]
    from backend.scoring import Scorer

    scorer = Scorer()
    texts = emails(args.n + 5)
    for t in texts[args.n :]:
        scorer.score(t)  # warm-up on other emails: the embedder caches sentence vectors
    texts = texts[: args.n]
    times, cpu, words = [], [], []
    for t in texts:
        start, start_cpu = time.perf_counter(), time.process_time()
        scorer.score(t)
        times.append(1000 * (time.perf_counter() - start))
        cpu.append(1000 * (time.process_time() - start_cpu))
        words.append(len(t.split()))
    times, cpu = np.array(times), np.array(cpu)
    print(f"load  Scorer() cold, fresh process: min {min(loads):.2f} s, median {np.median(loads):.2f} s (3 runs)")
    print(f"score {len(texts)} emails (median {int(np.median(words))} words): p50 {np.percentile(times, 50):.1f} ms, "
          f"p95 {np.percentile(times, 95):.1f} ms, max {times.max():.1f} ms, min {times.min():.1f} ms")
    # CPU time of this process: what the scoring itself costs, less sensitive to other jobs on the
    # machine than wall time (with 2 threads it counts both, so it overstates the wall time on idle cores).
    print(f"      CPU time per email: p50 {np.percentile(cpu, 50):.1f} ms, p95 {np.percentile(cpu, 95):.1f} ms")
    short = times[np.array(words) <= 100]
    if len(short):
        print(f"      emails <= 100 words ({len(short)}): p50 {np.percentile(short, 50):.1f} ms, p95 {np.percentile(short, 95):.1f} ms")
    print(f"load average (1 min) {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
