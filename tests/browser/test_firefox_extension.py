"""The extension in Firefox ESR: button, proofread, panel, Apply and one-step undo on both fixture
sites, and the fallback with the backend down. Driven by puppeteer-core (WebDriver BiDi, no geckodriver) from a Node script, so it runs in
the same pytest command as the Chromium tests."""

from __future__ import annotations

import json
import subprocess

from tests.browser.conftest import EXTENSION, SCREENSHOTS, require

FIREFOX = "/usr/bin/firefox-esr"


def test_firefox_button_proofread_apply_undo_and_fallback(stub_backend):
    require(FIREFOX, "apt-get install -y firefox-esr")
    require(str(EXTENSION / "node_modules" / "puppeteer-core"), "npm ci --prefix extension")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    run = subprocess.run(
        ["node", str(EXTENSION / "test" / "browser" / "firefox-flow.mjs"), "--backend", stub_backend.url, "--firefox", FIREFOX, "--screenshots", str(SCREENSHOTS)],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert run.returncode == 0, f"{run.stdout}\n{run.stderr[-3000:]}"
    checks = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    done = {(c["check"], c.get("site")) for c in checks if c["ok"]}
    for site in ("gmail", "outlook"):
        for check in ("button", "proofread", "apply", "undo"):
            assert (check, site) in done, f"{check} on {site} did not pass: {run.stdout}"
    assert ("fallback", "gmail") in done, "backend down: fallback message, draft untouched, web app opened"
    assert all(c["exactHtml"] for c in checks if c["check"] == "undo"), "Ctrl+Z restored the text but not the exact markup"
    # The draft reached the backend without the signature.
    sent = [r["body"]["text"] for r in stub_backend.requests if r["path"].startswith("/v1/proofread")]
    assert sent and not any("Alex Doe" in text for text in sent)
