"""Load time and per-email latency of the classifiers (`Scorer`), on real emails.

    python -m bench.classifiers [--n 200] [--threads N]
    python -m bench.classifiers --quick          # 10 emails, one load; used by the test suite

Prints the cold load time of Scorer() (in a fresh process) and p50/p95/max per-email latency of
Scorer.score() over AESLC dev emails (../shared/data/emails; falls back to the check set), and writes
them to bench/out/classifiers.json for `python -m bench.report`. Timings on a shared machine are
noisy: the run also records the 1-minute load average. Email text is never printed.
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

from bench.common import aeslc_dev_path, settings, summary, write_result

ROOT = Path(__file__).resolve().parents[1]


def cold_load_seconds() -> float:
    code = "import time; t = time.perf_counter(); from backend.scoring import Scorer; Scorer(); print(time.perf_counter() - t)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def emails(n: int) -> tuple[str, list[str]]:
    path = aeslc_dev_path()
    if path.exists():
        bodies = [json.loads(line)["body"] for line in path.open(encoding="utf-8")]
        random.Random(0).shuffle(bodies)
        return "aeslc_dev", [b for b in bodies if b.strip()][:n]
    rows = [json.loads(line) for line in (ROOT / "tests" / "scoring" / "email_check_set.jsonl").open()]
    return "check_set", [r[k] for r in rows for k in ("rude", "neutral", "polite")][:n]


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--threads", type=int, default=0, help="onnxruntime intra-op threads (0: Settings.scoring_threads)")
    parser.add_argument("--quick", action="store_true", help="10 emails and one cold load.")
    args = parser.parse_args(argv)
    if args.quick:
        args.n = 10
    if args.threads:
        os.environ["PROOFREAD_SCORING_THREADS"] = str(args.threads)  # for the cold-load processes too
    loads = [cold_load_seconds() for _ in range(1 if args.quick else 3)]
    from backend.scoring import Scorer
    from backend.scoring.embedding import shared_embedder

    chosen = settings()
    scorer = Scorer(settings=chosen)
    source, texts = emails(args.n + 5)
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
    result = {
        "emails": source,
        "encoder": shared_embedder(chosen).model.name,  # the built file's name carries its digest
        "scoring_threads": chosen.scoring_threads,
        "load_s": summary(loads),
        "median_words": summary(words)["p50"],
        "wall_ms": summary(times),
        # CPU time of this process: what the scoring itself costs, less sensitive to other jobs on the
        # machine than wall time (with 2 threads it counts both, so it overstates the wall time on idle cores).
        "cpu_ms": summary(cpu),
        "wall_ms_up_to_100_words": summary([t for t, w in zip(times, words) if w <= 100]),
    }
    path = write_result("classifiers", result, args.quick)
    wall, short = result["wall_ms"], result["wall_ms_up_to_100_words"]
    print(f"load  Scorer() cold, fresh process: min {min(loads):.2f} s, median {result['load_s']['p50']:.2f} s ({len(loads)} runs)")
    print(f"score {wall['n']} emails (median {result['median_words']:.0f} words): p50 {wall['p50']:.1f} ms, "
          f"p95 {wall['p95']:.1f} ms, max {wall['max']:.1f} ms, min {wall['min']:.1f} ms")
    print(f"      CPU time per email: p50 {result['cpu_ms']['p50']:.1f} ms, p95 {result['cpu_ms']['p95']:.1f} ms")
    if short["n"]:
        print(f"      emails <= 100 words ({short['n']}): p50 {short['p50']:.1f} ms, p95 {short['p95']:.1f} ms")
    print(f"load average (1 min) {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; wrote {path}")
    return result


if __name__ == "__main__":
    main()
