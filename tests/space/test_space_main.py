"""`python space/app.py` from the repo root serves the API and never logs the email text."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx
import pytest

from tests.conftest import REPO_ROOT, free_port


@pytest.fixture(scope="module")
def app_process():
    port = free_port()
    # The env vars that tests/conftest.py sets are dropped, to see that app.py turns telemetry off itself.
    env = {k: v for k, v in os.environ.items()
           if k not in ("GRADIO_ANALYTICS_ENABLED", "HF_HUB_DISABLE_TELEMETRY", "HF_HUB_OFFLINE", "PYTHONPATH")}
    env["PYTHONUNBUFFERED"] = "1"  # keep the log even though the process is stopped with SIGTERM
    process = subprocess.Popen(
        [sys.executable, "space/app.py", "--port", str(port)],
        cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"space/app.py exited early:\n{process.stdout.read().decode(errors='replace')}")
        try:
            if httpx.get(url + "gradio_api/info", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.5)
    else:
        process.kill()
        pytest.fail("space/app.py did not answer in 180 s")
    yield process, url
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=30)


def test_app_script_serves_the_api_and_logs_no_email_text(app_process):
    from gradio_client import Client

    process, url = app_process
    secret = "Zanzibar-4417 quarterly invoice"
    client = Client(url, verbose=False, analytics_enabled=False)
    scores = client.predict(email=f"Thanks for the {secret}.", api_name="/score")
    assert scores["politeness"]["label"]
    result = client.predict(email=f"pls send the {secret} by friday", max_tokens=4, api_name="/proofread")
    assert result["original"].endswith("by friday")
    with pytest.raises(Exception):
        client.predict(email=f"<html><body><div>{secret}</div></body></html>", api_name="/score")

    process.terminate()
    output, _ = process.communicate(timeout=30)
    log = output.decode(errors="replace")
    assert "127.0.0.1" in log  # it did log its address: the capture works
    assert "Zanzibar" not in log and "invoice" not in log


@pytest.mark.fast
def test_on_a_space_it_binds_all_interfaces_on_7860_with_two_threads(monkeypatch):
    from space.app import SPACE_THREADS, _parse_args, host_settings

    for name in ("GRADIO_SERVER_NAME", "GRADIO_SERVER_PORT", "PROOFREAD_N_THREADS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SPACE_ID", "owner/email-proofreader")
    args = _parse_args([])
    assert (args.host, args.port) == ("0.0.0.0", 7860)
    assert host_settings().n_threads == SPACE_THREADS
    monkeypatch.setenv("PROOFREAD_N_THREADS", "3")
    assert host_settings().n_threads == 3


@pytest.mark.fast
def test_locally_it_binds_loopback_unless_told_otherwise(monkeypatch):
    from space.app import _parse_args

    for name in ("GRADIO_SERVER_NAME", "GRADIO_SERVER_PORT", "SPACE_ID"):
        monkeypatch.delenv(name, raising=False)
    assert (_parse_args([]).host, _parse_args([]).port) == ("127.0.0.1", 7860)
    assert _parse_args(["--host", "0.0.0.0", "--port", "7861"]).port == 7861
