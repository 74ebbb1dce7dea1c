"""Browser fixtures: Debian's Chromium with the packaged extension loaded, the fixture pages served
at the real sites' URLs, a stub backend and the real one.

How the fixture pages get the real URLs: Playwright's request routing answers every request for
https://mail.google.com/** and https://outlook.office.com/** with the fixture page, so the browser
sees the live origin (https, the manifest's own match patterns) and nothing leaves the machine.
The extension under test is the Chrome package built by extension/scripts/package.mjs, unchanged.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.browser.stub_backend import StubBackend

REPO_ROOT = Path(__file__).resolve().parents[2]
EXTENSION = REPO_ROOT / "extension"
FIXTURES = EXTENSION / "test" / "fixtures"
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SITES = {
    "gmail": ("https://mail.google.com/mail/u/0/", FIXTURES / "gmail.html"),
    "outlook": ("https://outlook.office.com/mail/", FIXTURES / "outlook.html"),
}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require(path: str, install: str) -> None:
    if not shutil.which(path) and not Path(path).exists():
        pytest.fail(f"{path} is missing: {install}", pytrace=False)


def screenshot(page, name: str, full_page: bool = False) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


@pytest.fixture(scope="session")
def chrome_extension(tmp_path_factory) -> Path:
    require("node", "install Node 20")
    out = tmp_path_factory.mktemp("extension-chrome")
    subprocess.run(
        ["node", str(EXTENSION / "scripts" / "package.mjs"), "--unpacked", str(out), "--browser", "chrome"],
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture(scope="session")
def stub_backend():
    with StubBackend() as stub:
        yield stub


@pytest.fixture(scope="session")
def slow_stub_backend():
    with StubBackend(token_delay=0.4) as stub:
        yield stub


def serve(html: str):
    def handler(route, _request):
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)

    return handler


# Package scope: Playwright's sync API keeps an asyncio loop running on the main thread while it is
# open, which would break every later test that starts its own (Gradio, asyncio.run, Playwright).
@pytest.fixture(scope="package")
def browser_context(chrome_extension, tmp_path_factory):
    require(CHROMIUM, "apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            viewport={"width": 1280, "height": 800},
            args=[*CHROMIUM_ARGS, f"--disable-extensions-except={chrome_extension}", f"--load-extension={chrome_extension}"],
        )
        for url, fixture in SITES.values():
            context.route(f"{url.split('/mail')[0]}/**", serve(fixture.read_text(encoding="utf-8")))
        worker = context.service_workers[0] if context.service_workers else context.wait_for_event("serviceworker", timeout=15000)
        context.extension_worker = worker
        context.extension_id = worker.url.split("/")[2]
        yield context
        context.close()


def set_settings(context, **settings) -> None:
    """Writes the extension's settings through its background worker (as the options page would)."""
    context.extension_worker.evaluate("s => chrome.storage.sync.set({settings: s})", settings)


@pytest.fixture
def open_site(browser_context):
    """open_site("gmail", backend=url, **settings) -> a page on the fixture with the extension running."""
    pages = []

    def open_(site: str, backend: str, hash_: str = "", **settings):
        set_settings(browser_context, **{"backendUrl": backend, "spaceUrl": backend, **settings})
        page = browser_context.new_page()
        pages.append(page)
        page.goto(SITES[site][0] + hash_)
        page.wait_for_function("document.documentElement.dataset.emailProofreader !== undefined")
        return page

    yield open_
    for page in pages:
        page.close()


def own_text(page, index: int = 0) -> str:
    """The draft's text as the user sees it (innerText of the body)."""
    return page.locator(EDITOR).nth(index).evaluate("e => e.innerText")


EDITOR = '[g_editable="true"], [id^="editorParent"] [contenteditable="true"]'
BUTTON = "button.ep-proofread"
PANEL = ".ep-panel-host .panel"

