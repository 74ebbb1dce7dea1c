"""Starts the real HTTP server for a benchmark (127.0.0.1, free port) and reads its memory use.

`python -m backend serve` is used when the classifiers load; while their weights are not built
yet (or a few-shot prompt is wanted for the base model), `python -m bench.server` serves the very
same app (`create_app`) with a neutral stub scorer and/or `few_shot` set."""

from __future__ import annotations

import argparse
import os

from bench.common import make_scorer


def start(decoding: str, adapter: str = "default", queue_size: int | None = None, few_shot: bool = False):
    """(process, url, how): `python -m backend serve` when it can serve what is asked, else this module."""
    from tests.conftest import start_backend

    env = {"PROOFREAD_DECODING": decoding, "PROOFREAD_ADAPTER": adapter}
    if queue_size is not None:
        env["PROOFREAD_QUEUE_SIZE"] = str(queue_size)
    _, scorer = make_scorer()
    if scorer == "classifiers" and not few_shot:
        process, url = start_backend(env=env)
        return process, url, "backend serve"
    if few_shot:
        env["BENCH_FEW_SHOT"] = "1"
    process, url = _start_stub(env)
    return process, url, f"bench.server ({scorer} scorer{', few-shot prompt' if few_shot else ''})"


def _start_stub(env: dict):
    from tests.conftest import start_backend

    return start_backend(env=env, module="bench.server")


def peak_rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def main() -> None:
    import uvicorn

    from backend.api.app import create_app
    from backend.config import Settings
    from backend.proofreader import Proofreader

    parser = argparse.ArgumentParser(description="The API app with a neutral stub scorer (benchmarks only).")
    parser.add_argument("command", choices=["serve"])  # same command line as `python -m backend serve`
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    settings = Settings(host="127.0.0.1", port=args.port)
    scorer, _ = make_scorer()
    proofreader = Proofreader(settings, scorer=scorer)
    proofreader.few_shot = os.environ.get("BENCH_FEW_SHOT") == "1"
    uvicorn.run(create_app(settings, proofreader), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
