"""Concurrent clients against the real server: throughput, p95, 503 rejections, nothing lost.

    python -m bench.concurrency                 # 1, 4, 16, 64 clients
    python -m bench.concurrency --quick         # 1 and 4 clients, 8 tokens; used by the test suite

Each client sends its requests one after another (no retries: a 503 counts as a rejection), so
every request ends as ok, rejected (503 busy) or error; "lost" counts requests with no answer at
all and must stay 0. Emails are 30 words, a different one for every request of the run (the scorer
caches sentence vectors, so repeated emails would be cheaper than real traffic). Writes
bench/out/concurrency.json.
"""

from __future__ import annotations

import argparse
import asyncio
import time

import httpx

from backend.api import server_process
from bench.common import bench_settings, emails, server_environment, summary, write_result


async def client_run(client: httpx.AsyncClient, url: str, texts: list[str], max_tokens: int | None, outcomes: list):
    for text in texts:
        started = time.perf_counter()
        try:
            response = await client.post(f"{url}/v1/proofread", json={"text": text, "options": {"max_tokens": max_tokens}})
            kind = "ok" if response.status_code == 200 else "rejected" if response.status_code == 503 else f"http_{response.status_code}"
        except httpx.HTTPError as exc:
            kind = f"error_{type(exc).__name__}"
        outcomes.append((kind, time.perf_counter() - started))


async def level(url: str, clients: int, per_client: int, pool: list[str], max_tokens: int | None) -> dict:
    outcomes: list = []
    limits = httpx.Limits(max_connections=clients + 4, max_keepalive_connections=clients + 4)
    async with httpx.AsyncClient(timeout=600, limits=limits) as client:
        started = time.perf_counter()
        await asyncio.gather(*[
            client_run(client, url, [pool[(c * per_client + i) % len(pool)] for i in range(per_client)], max_tokens, outcomes)
            for c in range(clients)
        ])
        wall = time.perf_counter() - started
    sent = clients * per_client
    ok = [s for kind, s in outcomes if kind == "ok"]
    rejected = [s for kind, s in outcomes if kind == "rejected"]
    errors = [kind for kind, _ in outcomes if kind not in ("ok", "rejected")]
    return {
        "clients": clients, "sent": sent, "ok": len(ok), "rejected_503": len(rejected), "errors": len(errors),
        "error_kinds": sorted(set(errors)), "lost": sent - len(outcomes), "wall_s": wall,
        "throughput_rps": len(ok) / wall if wall else None,
        "latency_ok_s": summary(ok), "latency_rejected_s": summary(rejected),
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 16, 64])
    parser.add_argument("--requests", type=int, default=None,
                        help="Requests per client (default: 3 for 1 client, 2 for 4, 1 above).")
    parser.add_argument("--decoding", choices=["greedy", "draft_verify"], default=None)
    parser.add_argument("--adapter", default="default")
    parser.add_argument("--max-tokens", type=int, default=None)
    parser.add_argument("--quick", action="store_true", help="1 and 4 clients, one request each, 8 tokens.")
    args = parser.parse_args(argv)
    if args.quick:
        args.clients, args.requests, args.max_tokens = [1, 4], 1, 8

    from backend.config import Settings

    decoding = args.decoding or Settings().decoding
    queue_size = Settings().queue_size
    plan = [(c, args.requests or (3 if c == 1 else 2 if c <= 4 else 1)) for c in args.clients]
    needed = 1 + sum(c * n for c, n in plan)
    pool = list(dict.fromkeys(emails(30, 2 * needed, seed=2)[1]))[:needed]  # emails() may draw one body twice
    process, url = server_process.start_backend(env=server_environment(bench_settings(args.adapter, decoding, "off")))
    results = {"decoding": decoding, "server": "backend serve", "queue_size": queue_size, "email_words": 30, "levels": []}
    try:
        asyncio.run(level(url, 1, 1, pool[:1], args.max_tokens))  # warm-up
        used = 1
        for clients, per_client in plan:
            row = asyncio.run(level(url, clients, per_client, pool[used : used + clients * per_client], args.max_tokens))
            used += clients * per_client
            results["levels"].append(row)
            lat = row["latency_ok_s"]
            print(f"{clients:3d} clients: {row['ok']}/{row['sent']} ok, {row['rejected_503']} rejected (503), "
                  f"{row['errors']} errors, {row['lost']} lost | {row['throughput_rps']:.2f} req/s | "
                  f"p50 {lat['p50'] or 0:.2f}s p95 {lat['p95'] or 0:.2f}s")
        results["server_peak_rss_mb"] = server_process.peak_rss_mb(process.pid)
    finally:
        server_process.stop_backend(process)
    path = write_result(f"concurrency.{decoding}", results, args.quick)
    print(f"wrote {path}")
    return results


if __name__ == "__main__":
    main()
