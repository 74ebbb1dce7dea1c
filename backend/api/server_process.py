"""`python -m backend serve` in a child process on a free local port: for the benchmarks and the
tests that need a real server (real uvicorn, real model). Settings go in as PROOFREAD_* variables."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx

from backend.config import REPO_ROOT

# Loading the model took over 120 s at nice 10 beside a training run on this 2-core machine.
STARTUP_SECONDS = 300


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_backend(*extra_args: str, env: dict | None = None) -> tuple[subprocess.Popen, str]:
    """Starts the server (extra CLI flags, extra environment) and waits until /v1/health answers."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "backend", "serve", "--host", "127.0.0.1", "--port", str(port), *extra_args],
        cwd=REPO_ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"backend exited early:\n{process.stdout.read().decode(errors='replace')}")
        try:
            if httpx.get(f"{url}/v1/health", timeout=2).status_code == 200:
                return process, url
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"backend did not become healthy in {STARTUP_SECONDS} s")


def stop_backend(process: subprocess.Popen) -> str:
    """Stops the server and returns everything it logged (tests check it holds no email text)."""
    process.terminate()
    try:
        output, _ = process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output.decode(errors="replace")


def peak_rss_mb(pid: int) -> float | None:
    """The peak resident memory of a running process (Linux), or None where it cannot be read."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None
