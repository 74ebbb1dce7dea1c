"""Worst case per request against a running server: maximum-size drafts.

    python -m backend serve --port 8000 &          # the server under test (any version)
    python -m bench.worst_case --url http://127.0.0.1:8000 --pid $!

For each kind of 20,000-character draft (a repetitive one, prose joined from the bench emails, one
with a 17,625-character run without spaces) it prints the HTTP status, the wall time, the number of
warnings and of distinct warnings, the generated tokens and, with --pid, the server's peak RSS so far.
Output: JSON on stdout; no email text. The chunked 300 MB upload is measured by its test
(tests/robustness/test_probe_findings.py), which prints the server's peak RSS before and after.
"""

from __future__ import annotations

import argparse
import json
import time

import httpx

from backend.api.server_process import peak_rss_mb
from bench.common import emails, machine

MAX_CHARS = 20_000


def _fill(unit: str, limit: int = MAX_CHARS) -> str:
    return (unit * (limit // len(unit) + 1))[:limit].rstrip()


def drafts() -> dict[str, str]:
    repeated = "i has send you the report yesterday, please check it and tell me what you thinks about it. "
    _, prose = emails(3_300, 1)
    return {
        "repetitive": _fill("Hi team,\n\n" + repeated * 5 + "\n\n"),
        "prose": prose[0][:MAX_CHARS].rstrip(),
        "unbroken_run": "Hi Sam,\n\nThe key is below.\n\n" + _fill("x7Qz", 17_625) + "\n\nBest,\nDana",
    }


def time_draft(url: str, text: str) -> dict:
    started = time.perf_counter()
    response = httpx.post(f"{url}/v1/proofread", json={"text": text}, timeout=3_600)
    seconds = time.perf_counter() - started
    row = {"chars": len(text), "status": response.status_code, "seconds": round(seconds, 1)}
    if response.status_code == 200:
        result = response.json()
        row.update(
            changed=result["changed"],
            warnings=len(result["warnings"]),
            distinct_warnings=len(set(result["warnings"])),
            generated_tokens=result["timings"]["generated_tokens"],
        )
    else:
        row["error_code"] = response.json().get("error", {}).get("code")
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="The running server, e.g. http://127.0.0.1:8000")
    parser.add_argument("--pid", type=int, help="The server's process id, to sample its memory")
    parser.add_argument("--kinds", default="repetitive,prose,unbroken_run", help="Which drafts, comma-separated")
    args = parser.parse_args()
    report = {"machine": machine(), "drafts": {}}
    for kind, text in drafts().items():
        if kind in args.kinds.split(","):
            report["drafts"][kind] = time_draft(args.url, text)
            if args.pid:
                report["drafts"][kind]["server_peak_rss_mb"] = round(peak_rss_mb(args.pid))
            print(kind, json.dumps(report["drafts"][kind]), flush=True)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
