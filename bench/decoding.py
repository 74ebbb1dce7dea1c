"""Plain greedy vs draft-and-verify greedy on the same emails, interleaved in one run.

    python -m bench.decoding                 # 30/100/250-word emails, 4 each, 3 rounds
    python -m bench.decoding --temperature 0.7   # plain sampling vs draft-and-verify sampling
    python -m bench.decoding --quick         # seconds; used by the test suite
    python -m bench.decoding --adapter none  # the base model (it echoes the email)
    python -m bench.decoding --compare-build /tmp/site-old   # this llama.cpp build against another one

`--compare-build DIR` takes a folder holding another llama-cpp-python build (`pip install --no-deps
--target DIR WHEEL`) and runs the bench once per round in a child process for each build, alternating
which goes first; it prints and writes (bench/out/decoding-builds.json) each build's system info and the
time ratio this build / the other, per length and method (median over rounds).

Prints and writes bench/out/decoding.json: per length, both methods' p50 time, first-token time and
tokens/s, the time ratio (draft_verify / greedy, median of per-email pairs), whether every output
was identical (to plain greedy, and to step-by-step greedy computed with draft_verify's attention
kernel), and the draft acceptance rate. With `--temperature` > 0 both methods sample (top_p 0.95, the same seed
per round) and the outputs are not compared: the two draw different random numbers, so only the time
ratio means something (and bench/out/decoding-sampled.json is written). Wall time on a shared machine is noisy: compare the
ratios, which are measured back to back.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import bench_settings, emails, make_proofreader, peak_rss_mb, summary, write_result
from bench.engine_tools import email_prompt, keep_cached, shared_prefix_tokens


def run_one(proofreader, method: str, prompt: str, max_tokens: int, email: str, prefix: int,
            temperature: float = 0.0, seed: int = 0) -> dict:
    engine = proofreader.engine
    keep_cached(proofreader, prefix)
    engine.decoding = method
    first = []
    started = time.perf_counter()
    generation = engine.generate(
        prompt, max_tokens=max_tokens, temperature=temperature, top_p=0.95 if temperature > 0 else 1.0, seed=seed,
        on_token=lambda _piece: first.append(time.perf_counter()) if not first else None, email=email,
    )
    total = time.perf_counter() - started
    row = {
        "seconds": total,
        "first_token_s": (first[0] - started) if first else total,
        "prompt_tokens": generation.prompt_tokens,
        "generated_tokens": generation.generated_tokens,
        "gen_tokens_per_s": generation.generated_tokens / (generation.generate_ms / 1000) if generation.generate_ms else None,
        "finish_reason": generation.finish_reason,
        "text": generation.text,
    }
    if method == "draft_verify":
        stats = engine._draft_verifier().stats
        row.update(acceptance=stats.acceptance, batches=stats.batches, drafted=stats.drafted, accepted=stats.accepted,
                   prompt_tokens_reused=stats.prompt_tokens_reused)
    return row


def one_kernel_greedy(proofreader, prompt: str, max_tokens: int, email: str, prefix: int) -> str:
    """Step-by-step greedy with the attention kernel draft_verify uses (its decoder with no drafts, single
    steps on one thread): the output draft_verify must equal token for token (bench/NOTES.md)."""
    decoder = proofreader.engine._draft_verifier()
    saved, decoder.max_draft = decoder.max_draft, 0
    try:
        return run_one(proofreader, "draft_verify", prompt, max_tokens, email, prefix)["text"]
    finally:
        decoder.max_draft = saved


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, nargs="+", default=[30, 100, 250])
    parser.add_argument("--emails", type=int, default=4, help="Emails per length.")
    parser.add_argument("--rounds", type=int, default=3, help="Timed runs of each method per email.")
    parser.add_argument("--few-shot", choices=["auto", "on", "off"], default="auto",
                        help="Prompt with copy examples; auto = on when no adapter is loaded (the base model then copies like the fine-tuned one).")
    parser.add_argument("--adapter", default="default", help="'default' (shipped LoRA if present), 'none' or a path.")
    parser.add_argument("--quick", action="store_true", help="One 30-word email, one round, 16 tokens.")
    parser.add_argument("--temperature", type=float, default=0.0, help="> 0: time sampling instead of greedy.")
    parser.add_argument("--compare-build", type=Path, default=None,
                        help="Folder with another llama-cpp-python build (pip install --target): time this build against it.")
    parser.add_argument("--result-file", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.words, args.emails, args.rounds = [30], 1, 1
    if args.compare_build:
        return compare_builds(args)

    # copy_margin 0: this bench measures what drafting saves on exactly greedy's tokens (the margin is a
    # quality choice, timed with the rest of the served settings by bench.latency).
    chosen = bench_settings(args.adapter, "greedy", args.few_shot).model_copy(update={"copy_margin": 0.0})
    proofreader, scorer = make_proofreader(chosen)
    prefix = shared_prefix_tokens(proofreader)
    results = {"model": proofreader.model_info.model_dump(), "scorer": scorer, "cached_prefix_tokens": prefix, "few_shot": chosen.few_shot,
               "temperature": args.temperature, "lengths": {}}
    sampled = args.temperature > 0  # sampled outputs are not compared (see the module docstring)
    name = "decoding-sampled" if sampled else "decoding"
    print(f"model: {results['model']}  cached prefix: {prefix} tokens")
    # Warm-up: load pages, build the draft decoder, cache the instruction.
    warm_prompt, _ = email_prompt(proofreader, "Hi Ann,\nThanks.\nBo")
    for method in ("greedy", "draft_verify"):
        run_one(proofreader, method, warm_prompt, 8, "Hi Ann,\nThanks.\nBo", prefix)

    for words in args.words:
        source, batch = emails(words, args.emails)
        rows = {"greedy": [], "draft_verify": []}
        pairs, identical, one_kernel = [], [], []
        for index, email in enumerate(batch):
            prompt, max_tokens = email_prompt(proofreader, email)
            if args.quick:
                max_tokens = 16
            reference = None if sampled else one_kernel_greedy(proofreader, prompt, max_tokens, email, prefix)
            for round_ in range(args.rounds):
                order = ("greedy", "draft_verify") if (index + round_) % 2 == 0 else ("draft_verify", "greedy")
                pair = {m: run_one(proofreader, m, prompt, max_tokens, email, prefix, args.temperature, round_) for m in order}
                if not sampled:
                    identical.append(pair["greedy"]["text"] == pair["draft_verify"]["text"])
                    one_kernel.append(reference == pair["draft_verify"]["text"])
                pairs.append(pair["draft_verify"]["seconds"] / pair["greedy"]["seconds"])
                for method, row in pair.items():
                    row.pop("text")
                    rows[method].append(row)
        entry = {"source": source, "emails": len(batch), "rounds": args.rounds, "identical": None if sampled else all(identical),
                 "identical_count": "not compared" if sampled else f"{sum(identical)}/{len(identical)}",
                 "identical_one_kernel_count": "not compared" if sampled else f"{sum(one_kernel)}/{len(one_kernel)}",
                 "time_ratio_p50": statistics.median(pairs), "time_ratio_all": pairs}
        for method, method_rows in rows.items():
            entry[method] = {
                "seconds": summary([r["seconds"] for r in method_rows]),
                "first_token_s": summary([r["first_token_s"] for r in method_rows]),
                "gen_tokens_per_s_p50": statistics.median([r["gen_tokens_per_s"] or 0 for r in method_rows]),
                "generated_tokens_mean": statistics.mean(r["generated_tokens"] for r in method_rows),
                "prompt_tokens_mean": statistics.mean(r["prompt_tokens"] for r in method_rows),
            }
        dv = rows["draft_verify"]
        entry["draft_verify"]["acceptance_mean"] = statistics.mean(r["acceptance"] for r in dv)
        entry["draft_verify"]["batches_mean"] = statistics.mean(r["batches"] for r in dv)
        results["lengths"][str(words)] = entry
        if args.result_file:  # a child of --compare-build
            continue
        write_result(name, results, args.quick)  # a run stopped early still leaves its results
        g, d = entry["greedy"], entry["draft_verify"]
        print(
            f"{words:4d} words: {'plain sampling' if sampled else 'greedy'} p50 {g['seconds']['p50']:.2f}s (first {g['first_token_s']['p50']:.2f}s, "
            f"{g['gen_tokens_per_s_p50']:.0f} tok/s) | draft_verify p50 {d['seconds']['p50']:.2f}s "
            f"(first {d['first_token_s']['p50']:.2f}s, {d['gen_tokens_per_s_p50']:.0f} tok/s, acceptance "
            f"{d['acceptance_mean']:.0%}) | ratio {entry['time_ratio_p50']:.2f} | identical {entry['identical_count']}"
            f" (to one-kernel greedy {entry['identical_one_kernel_count']})"
        )
    results["peak_rss_mb"] = peak_rss_mb()
    if args.result_file:
        from backend.llama_runtime import system_info

        results["system_info"] = system_info()
        args.result_file.write_text(json.dumps(results))
        return results
    path = write_result(name, results, args.quick)
    print(f"wrote {path}")
    return results


def compare_builds(args) -> dict:
    """Each round runs the bench once with this environment's llama_cpp and once with the one in
    args.compare_build (first on PYTHONPATH), in child processes, alternating the order."""
    builds = {"this": os.environ.get("PYTHONPATH", ""), "other": os.pathsep.join(filter(None, [str(args.compare_build), os.environ.get("PYTHONPATH", "")]))}
    runs: dict[str, list[dict]] = {"this": [], "other": []}
    with tempfile.TemporaryDirectory() as tmp:
        for round_ in range(args.rounds):
            for build in (("this", "other") if round_ % 2 == 0 else ("other", "this")):
                out = Path(tmp) / f"{build}-{round_}.json"
                cmd = [sys.executable, "-m", "bench.decoding", "--words", *map(str, args.words), "--emails", str(args.emails),
                       "--rounds", "1", "--adapter", args.adapter, "--few-shot", args.few_shot, "--result-file", str(out)]
                subprocess.run(cmd, env={**os.environ, "PYTHONPATH": builds[build]}, check=True, stdout=subprocess.DEVNULL)
                runs[build].append(json.loads(out.read_text()))
    results = {"other_build": str(args.compare_build), "rounds": args.rounds, "emails": args.emails,
               "system_info": {b: runs[b][0]["system_info"] for b in runs}, "lengths": {}}
    for b in runs:
        print(f"{b:5s} build: {results['system_info'][b]}")
    for words in map(str, args.words):
        entry = {}
        for method in ("greedy", "draft_verify"):
            ratios = [t["lengths"][words][method]["seconds"]["p50"] / o["lengths"][words][method]["seconds"]["p50"]
                      for t, o in zip(runs["this"], runs["other"])]
            entry[method] = {"time_ratio_this_over_other_p50": statistics.median(ratios), "ratios": ratios,
                             "this_p50_s": statistics.median(r["lengths"][words][method]["seconds"]["p50"] for r in runs["this"]),
                             "other_p50_s": statistics.median(r["lengths"][words][method]["seconds"]["p50"] for r in runs["other"])}
        results["lengths"][words] = entry
        print(f"{int(words):4d} words: time this/other  greedy {entry['greedy']['time_ratio_this_over_other_p50']:.3f} "
              f"({entry['greedy']['this_p50_s']:.2f} s vs {entry['greedy']['other_p50_s']:.2f} s) | draft_verify "
              f"{entry['draft_verify']['time_ratio_this_over_other_p50']:.3f} ({entry['draft_verify']['this_p50_s']:.2f} s vs "
              f"{entry['draft_verify']['other_p50_s']:.2f} s)")
    path = write_result("decoding-builds", results, args.quick)
    print(f"wrote {path}")
    return results


if __name__ == "__main__":
    main()
