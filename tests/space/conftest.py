"""One real Gradio server for the Space tests: build_app over the session's real Proofreader,
launched in-process on a free port with telemetry off (tests/conftest.py sets the env vars)."""

from __future__ import annotations

import pytest

from tests.conftest import free_port

# Small caps keep each real generation to a few seconds on 2 busy cores.
MAX_TOKENS = 24


@pytest.fixture(scope="session")
def space_url(proofreader):
    from space.app import LAUNCH_OPTIONS, build_app

    demo = build_app(proofreader)
    _, url, _ = demo.launch(
        **LAUNCH_OPTIONS,
        server_name="127.0.0.1", server_port=free_port(), prevent_thread_lock=True, quiet=True, show_error=True
    )
    yield url.rstrip("/") + "/"
    demo.close()


@pytest.fixture(scope="session")
def space_client(space_url):
    from gradio_client import Client

    return Client(space_url, verbose=False, analytics_enabled=False)
