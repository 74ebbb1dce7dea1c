"""Fixtures shared by every test folder: offline environment, free ports, a real proofreader
and a real uvicorn server running the real GGUF model."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

# Nothing in the test suite may reach the internet.
for _name, _value in {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
}.items():
    os.environ.setdefault(_name, _value)

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_backend(*extra_args: str, env: dict | None = None, module: str = "backend") -> tuple[subprocess.Popen, str]:
    """Starts `python -m <module> serve` (the backend, or a benchmark's variant of it) on a free port
    and waits until /v1/health answers."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", module, "serve", "--host", "127.0.0.1", "--port", str(port), *extra_args],
        cwd=REPO_ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    # Loading the model took over 120 s at nice 10 beside a training run on this 2-core machine.
    deadline = time.monotonic() + 300
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
    raise RuntimeError("backend did not become healthy in 300 s")


def stop_backend(process: subprocess.Popen) -> str:
    """Stops the server and returns everything it logged (tests check it holds no email text)."""
    process.terminate()
    try:
        output, _ = process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output.decode(errors="replace")


def read_events(response: httpx.Response) -> list[tuple[str, dict]]:
    """A server-sent event stream as (event, data) pairs."""
    events, event = [], None
    for line in response.iter_lines():
        if line.startswith("event: "):
            event = line[len("event: ") :]
        elif line.startswith("data: "):
            events.append((event, json.loads(line[len("data: ") :])))
    return events


@pytest.fixture(scope="session")
def live_backend():
    """Base URL of a real uvicorn server with the real default model (shared by API and browser tests)."""
    process, url = start_backend()
    yield url
    stop_backend(process)


@pytest.fixture(scope="session")
def proofreader():
    """One real in-process Proofreader (default settings: embedded Gemma + shipped adapter if present)."""
    from backend.config import Settings
    from backend.proofreader import Proofreader

    return Proofreader(Settings())


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.exists():
        pytest.skip(f"shared data folder not found at {SHARED_DATA}")
    return SHARED_DATA
