"""Plain greedy vs draft-and-verify greedy on the same emails, interleaved in one run.

    python -m bench.decoding                 # 30/100/250-word emails, 4 each, 3 rounds
    python -m bench.decoding --quick         # seconds; used by the test suite
    python -m bench.decoding --adapter none  # the base model (it echoes the email)

Prints and writes bench/out/decoding.json: per length, both methods' p50 time, first-token time and
tokens/s, the time ratio (draft_verify / greedy, median of per-email pairs), whether every output
was identical (to plain greedy, and to step-by-step greedy computed with draft_verify's attention
kernel), and the draft acceptance rate. Wall time on a shared machine is noisy: compare the
ratios, which are measured back to back.
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench.common import emails, make_proofreader, peak_rss_mb, summary, write_result
from bench.engine_tools import email_prompt, keep_cached, shared_prefix_tokens


def run_one(proofreader, method: str, prompt: str, max_tokens: int, email: str, prefix: int) -> dict:
    engine = proofreader.engine
    keep_cached(proofreader, prefix)
    engine.decoding = method
    first = []
    started = time.perf_counter()
    generation = engine.generate(
        prompt, max_tokens=max_tokens, temperature=0.0,
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
    args = parser.parse_args(argv)
    if args.quick:
        args.words, args.emails, args.rounds = [30], 1, 1

    proofreader, scorer = make_proofreader(adapter=args.adapter, decoding="greedy")
    proofreader.few_shot = args.few_shot == "on" or (args.few_shot == "auto" and proofreader.engine.adapter_path is None)
    prefix = shared_prefix_tokens(proofreader)
    results = {"model": proofreader.model_info.model_dump(), "scorer": scorer, "cached_prefix_tokens": prefix, "few_shot": proofreader.few_shot, "lengths": {}}
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
            reference = one_kernel_greedy(proofreader, prompt, max_tokens, email, prefix)
            for round_ in range(args.rounds):
                order = ("greedy", "draft_verify") if (index + round_) % 2 == 0 else ("draft_verify", "greedy")
                pair = {m: run_one(proofreader, m, prompt, max_tokens, email, prefix) for m in order}
                identical.append(pair["greedy"]["text"] == pair["draft_verify"]["text"])
                one_kernel.append(reference == pair["draft_verify"]["text"])
                pairs.append(pair["draft_verify"]["seconds"] / pair["greedy"]["seconds"])
                for method, row in pair.items():
                    row.pop("text")
                    rows[method].append(row)
        entry = {"source": source, "emails": len(batch), "rounds": args.rounds, "identical": all(identical),
                 "identical_count": f"{sum(identical)}/{len(identical)}",
                 "identical_one_kernel_count": f"{sum(one_kernel)}/{len(one_kernel)}",
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
        write_result("decoding", results, args.quick)  # a run stopped early still leaves its results
        g, d = entry["greedy"], entry["draft_verify"]
        print(
            f"{words:4d} words: greedy p50 {g['seconds']['p50']:.2f}s (first {g['first_token_s']['p50']:.2f}s, "
            f"{g['gen_tokens_per_s_p50']:.0f} tok/s) | draft_verify p50 {d['seconds']['p50']:.2f}s "
            f"(first {d['first_token_s']['p50']:.2f}s, {d['gen_tokens_per_s_p50']:.0f} tok/s, acceptance "
            f"{d['acceptance_mean']:.0%}) | ratio {entry['time_ratio_p50']:.2f} | identical {entry['identical_count']}"
            f" (to one-kernel greedy {entry['identical_one_kernel_count']})"
        )
    results["peak_rss_mb"] = peak_rss_mb()
    path = write_result("decoding", results, args.quick)
    print(f"wrote {path}")
    return results


if __name__ == "__main__":
    main()
