"""End-to-end latency of 30-, 100- and 250-word emails, in process and through the HTTP server.

    python -m bench.latency                          # default decoding from Settings
    python -m bench.latency --decoding draft_verify  # or greedy
    python -m bench.latency --quick                  # seconds; used by the test suite

In process (Proofreader.proofread): p50/p95 total, time to the first streamed token, classifier
time, prompt and generation tokens/s, and the overhead ratio = (backend total - classifier time) /
raw llama.cpp generation of the same prompt and the same number of tokens (plain `Llama.generate`,
no detokenising, streaming or guards), measured back to back with the same cache state.
Over HTTP (/v1/proofread/stream on a real server): p50/p95 total and time to the first token event.
Peak RSS of this process and of the server. Writes bench/out/latency.json.
"""

from __future__ import annotations

import argparse
import time

import httpx

from backend.api import server_process
from bench.common import bench_settings, emails, make_proofreader, peak_rss_mb, server_environment, summary, write_result
from bench.engine_tools import email_prompt, keep_cached, shared_prefix_tokens


def raw_generate_s(proofreader, prompt: str, n_tokens: int, prefix: int) -> float:
    """Plain llama.cpp: the same prompt, the same number of greedy tokens, nothing else."""
    llm = proofreader.engine.llm
    prompt_ids = llm.tokenize(prompt.encode(), add_bos=True, special=True)
    keep_cached(proofreader, prefix)
    started = time.perf_counter()
    count = 0
    if n_tokens > 0:
        for _ in llm.generate(prompt_ids, temp=0.0, top_k=40, top_p=1.0, min_p=0.0, repeat_penalty=1.0, reset=True):
            count += 1
            if count >= n_tokens:
                break
    return time.perf_counter() - started


def in_process(proofreader, batch: list[str], prefix: int, max_tokens: int | None) -> dict:
    from backend.types import Options

    totals, firsts, scores, overheads, overall = [], [], [], [], []
    gen_tps = []
    for email in batch:
        first: list[float] = []
        keep_cached(proofreader, prefix)
        started = time.perf_counter()
        result = proofreader.proofread(
            email, Options(max_tokens=max_tokens), on_token=lambda _p: first.append(time.perf_counter()) if not first else None
        )
        total = time.perf_counter() - started
        t = result.timings
        # Built after the timed run: it scores the email, which would fill the scorer's vector cache.
        prompt, _ = email_prompt(proofreader, email)
        raw = raw_generate_s(proofreader, prompt, t.generated_tokens + 1, prefix)  # +1: the stop token
        totals.append(total)
        firsts.append((first[0] - started) if first else total)
        scores.append(t.score_ms / 1000)
        overheads.append((total - t.score_ms / 1000) / raw)
        overall.append(total / raw)
        if t.generate_ms and t.generated_tokens:
            # Timings.generate_ms holds prompt + generation; engine_speeds() splits them.
            gen_tps.append(t.generated_tokens / (t.generate_ms / 1000))
    return {
        "total_s": summary(totals),
        "first_token_s": summary(firsts),
        "classifier_s": summary(scores),
        "overhead_ratio_p50": summary(overheads)["p50"],
        "overhead_ratio_all": overheads,
        "total_over_raw_p50": summary(overall)["p50"],
        "tokens_per_s_incl_prompt_p50": summary(gen_tps)["p50"],
    }


def engine_speeds(proofreader, batch: list[str], prefix: int) -> dict:
    """Prompt tokens/s (uncached part) and generation tokens/s from the engine's own timings."""
    prompt_tps, gen_tps = [], []
    for email in batch:
        prompt, max_tokens = email_prompt(proofreader, email)
        keep_cached(proofreader, prefix)
        g = proofreader.engine.generate(prompt, max_tokens=max_tokens, email=email)
        if g.prompt_ms:
            prompt_tps.append((g.prompt_tokens - prefix) / (g.prompt_ms / 1000))
        if g.generate_ms and g.generated_tokens > 1:
            gen_tps.append((g.generated_tokens - 1) / (g.generate_ms / 1000))
    return {"prompt_tokens_per_s_p50": summary(prompt_tps)["p50"], "gen_tokens_per_s_p50": summary(gen_tps)["p50"]}


def over_http(url: str, batch: list[str], max_tokens: int | None) -> dict:
    totals, firsts, failures = [], [], 0
    with httpx.Client(timeout=300) as client:
        for email in batch:
            body = {"text": email, "options": {"temperature": 0, "max_tokens": max_tokens}}
            started = time.perf_counter()
            first = None
            result = None
            with client.stream("POST", f"{url}/v1/proofread/stream", json=body) as response:
                event = None
                for line in response.iter_lines():
                    if line.startswith("event: "):
                        event = line[7:]
                        if event == "token" and first is None:
                            first = time.perf_counter()
                    elif line.startswith("data: ") and event in ("result", "error"):
                        result = event
            total = time.perf_counter() - started
            if result != "result":
                failures += 1
                continue
            totals.append(total)
            firsts.append((first or time.perf_counter()) - started)
    return {"total_s": summary(totals), "first_token_s": summary(firsts), "failures": failures}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=int, nargs="+", default=[30, 100, 250])
    parser.add_argument("--emails", type=int, default=4, help="Emails per length.")
    parser.add_argument("--rounds", type=int, default=2,
                        help="Each length is timed on emails x rounds different emails (the scorer caches sentence "
                             "vectors, so timing an email twice would score it almost for free).")
    parser.add_argument("--decoding", choices=["greedy", "draft_verify"], default=None, help="Default: Settings().decoding.")
    parser.add_argument("--few-shot", choices=["auto", "on", "off"], default="auto",
                        help="Prompt with copy examples; auto = on when no adapter is loaded (the base model then copies like the fine-tuned one).")
    parser.add_argument("--adapter", default="default")
    parser.add_argument("--no-http", action="store_true", help="Skip the HTTP server part.")
    parser.add_argument("--quick", action="store_true", help="One 30-word email, 8 tokens, one round.")
    args = parser.parse_args(argv)
    max_tokens = None
    if args.quick:
        args.words, args.emails, args.rounds, max_tokens = [30], 1, 1, 8

    from backend.config import Settings

    decoding = args.decoding or Settings().decoding
    chosen = bench_settings(args.adapter, decoding, args.few_shot)
    proofreader, scorer = make_proofreader(chosen)
    prefix = shared_prefix_tokens(proofreader)
    results = {"model": proofreader.model_info.model_dump(), "decoding": decoding, "scorer": scorer,
               "cached_prefix_tokens": prefix, "few_shot": chosen.few_shot, "lengths": {}}
    print(f"model: {results['model']}  decoding: {decoding}  scorer: {scorer}")
    proofreader.proofread("Hi Ann,\nThanks for the notes.\nBo")  # warm-up
    for words in args.words:
        source, batch = emails(words, args.emails * args.rounds, seed=1)
        entry = {"source": source, "emails": len(batch), "rounds": 1}
        entry["in_process"] = in_process(proofreader, batch, prefix, max_tokens)
        entry["engine"] = engine_speeds(proofreader, batch[: args.emails], prefix)
        results["lengths"][str(words)] = entry
        ip = entry["in_process"]
        print(f"{words:4d} words in process: p50 {ip['total_s']['p50']:.2f}s p95 {ip['total_s']['p95']:.2f}s "
              f"first token p50 {ip['first_token_s']['p50']:.2f}s classifiers p50 {ip['classifier_s']['p50']*1000:.0f}ms "
              f"overhead x{ip['overhead_ratio_p50']:.3f} | prompt {entry['engine']['prompt_tokens_per_s_p50'] or 0:.0f} tok/s "
              f"gen {entry['engine']['gen_tokens_per_s_p50'] or 0:.0f} tok/s")
    results["peak_rss_mb_in_process"] = peak_rss_mb()
    del proofreader  # free the model before the server loads its own

    if not args.no_http:
        process, url = server_process.start_backend(env=server_environment(chosen))
        try:
            results["http"] = {"server": "backend serve"}
            over_http(url, ["Hi Ann,\nThanks for the notes.\nBo"], max_tokens)  # warm-up
            for words in args.words:
                _, batch = emails(words, args.emails * args.rounds, seed=1)  # a fresh server: none cached
                h = over_http(url, batch, max_tokens)
                results["lengths"][str(words)]["http"] = h
                if h["total_s"]["n"]:
                    print(f"{words:4d} words over HTTP: p50 {h['total_s']['p50']:.2f}s p95 {h['total_s']['p95']:.2f}s "
                          f"first token p50 {h['first_token_s']['p50']:.2f}s failures {h['failures']}")
            results["http"]["server_peak_rss_mb"] = server_process.peak_rss_mb(process.pid)
        finally:
            log = server_process.stop_backend(process)
            results["http"]["server_log_lines"] = len(log.splitlines())
    path = write_result(f"latency.{decoding}", results, args.quick)
    print(f"wrote {path}")
    return results


if __name__ == "__main__":
    main()
