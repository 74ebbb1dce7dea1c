"""Fixtures shared by every test folder: offline environment, a real proofreader and a real uvicorn
server running the real GGUF model, and one reader of server-sent events."""

from __future__ import annotations

import json

import httpx
import pytest

from backend.config import REPO_ROOT, Settings, stay_offline

stay_offline()  # nothing in the test suite may reach the internet

# Helpers the test folders import from here (one implementation, shared with the benchmarks).
from backend.api.server_process import free_port, start_backend, stop_backend  # noqa: E402

__all__ = ["REPO_ROOT", "free_port", "read_events", "start_backend", "stop_backend"]


def read_events(response: httpx.Response) -> list[tuple[str, dict]]:
    """A server-sent event stream as (event, data) pairs (comment lines, the heartbeat, are skipped)."""
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
    """One real in-process proofreader (default settings: embedded Gemma + shipped adapter if present)."""
    from backend.factory import build_proofreader

    return build_proofreader(Settings())
