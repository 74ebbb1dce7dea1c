"""Starts the real HTTP server for a benchmark (127.0.0.1, free port) and reads its memory use.

`python -m backend serve` is used, except when a few-shot prompt is wanted for the never-tuned base
model: then `python -m bench.server serve` runs the very same app (`create_app`) with `few_shot` set."""

from __future__ import annotations

import argparse


def start(decoding: str, adapter: str = "default", queue_size: int | None = None, few_shot: bool = False):
    """(process, url, how): `python -m backend serve` when it can serve what is asked, else this module."""
    from tests.conftest import start_backend

    env = {"PROOFREAD_DECODING": decoding, "PROOFREAD_ADAPTER": adapter}
    if queue_size is not None:
        env["PROOFREAD_QUEUE_SIZE"] = str(queue_size)
    if not few_shot:
        process, url = start_backend(env=env)
        return process, url, "backend serve"
    # `serve` has no few-shot switch (only evaluations of a never-tuned base need it): serve the same app here.
    process, url = start_backend(env=env, module="bench.server")
    return process, url, "bench.server (few-shot prompt)"


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

    parser = argparse.ArgumentParser(description="The API app with a few-shot prompt (benchmarks of the base model only).")
    parser.add_argument("command", choices=["serve"])  # same command line as `python -m backend serve`
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    settings = Settings(host=args.host, port=args.port)  # decoding, adapter: PROOFREAD_* from start()
    proofreader = Proofreader(settings)
    proofreader.few_shot = True
    uvicorn.run(create_app(settings, proofreader), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
