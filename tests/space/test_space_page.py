"""The web page in headless Chromium: #draft= prefill (browser-only), a streamed proofread, screenshot."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import REPO_ROOT

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = REPO_ROOT / "test-artifacts" / "screenshots" / "space.png"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
# Polls the corrected box while a proofread runs, to see the text arrive in pieces.
WATCH_CORRECTED = """() => {
  window.__seen = [];
  window.__record = () => {
    const box = document.querySelector('#corrected textarea');
    if (box && box.value && window.__seen[window.__seen.length - 1] !== box.value) window.__seen.push(box.value);
  };
  window.__watch = setInterval(window.__record, 25);
}"""


@pytest.fixture(scope="module")
def page():
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        yield page
        browser.close()


def test_draft_fragment_prefills_the_box_without_reaching_the_server(page, space_url):
    marker = "Hello there"
    requests: list[str] = []
    page.on("request", lambda r: requests.append(f"{r.url} {r.post_data or ''}"))
    page.goto(space_url + "#draft=Hello%20there", wait_until="networkidle")
    email_box = page.locator("#email textarea")
    email_box.wait_for(timeout=60_000)
    page.wait_for_function("() => document.querySelector('#email textarea').value === 'Hello there'", timeout=30_000)
    assert email_box.input_value() == marker
    assert page.evaluate("window.location.hash") == ""  # read once, then dropped from the address bar
    assert not [r for r in requests if marker in r or quote(marker) in r]


def test_fragment_with_newlines_ampersands_and_unicode_round_trips(page, space_url):
    draft = "Hi Zoë & team,\n\nthanks — see you at 10:30? 100% sure.\n\nAna"
    page.goto("about:blank")
    page.goto(space_url + "#draft=" + quote(draft, safe=""), wait_until="networkidle")
    page.locator("#email textarea").wait_for(timeout=60_000)
    page.wait_for_function(
        "(draft) => document.querySelector('#email textarea').value === draft", arg=draft, timeout=30_000
    )


def test_proofread_streams_into_the_page_and_shows_indicators(page, space_url):
    # Two parts (over chunk_words=160 words): the page shows the first once the guards have accepted it.
    paragraph = "hi sam, i has attached the report you ask for. send me you're comments now. " * 6
    draft = paragraph.strip() + "\n\n" + paragraph.strip()
    # The page is already open: only the fragment changes (no reload), as when a second draft is
    # sent to the same tab; the box must still take it, and the server must get it on Proofread.
    assert page.url.rstrip("/").startswith(space_url.rstrip("/"))
    page.goto(space_url + "#draft=" + quote(draft, safe=""))
    page.wait_for_function(
        "(draft) => document.querySelector('#email textarea').value === draft", arg=draft, timeout=60_000
    )
    page.get_by_text("Generation controls").click()
    tokens = page.locator("#max-tokens input[type=number]")
    tokens.fill("16")
    tokens.press("Enter")
    page.evaluate(WATCH_CORRECTED)
    page.locator("#proofread-button").click()
    page.wait_for_function(
        "() => /Changed\\.|No changes\\./.test(document.querySelector('#status').innerText)", timeout=240_000
    )
    # The last value can land between two polls and together with the status: read it once more.
    seen = page.evaluate("() => { clearInterval(window.__watch); window.__record(); return window.__seen; }")
    before = page.locator("#indicators-before").inner_text()
    after = page.locator("#indicators-after").inner_text()
    assert "politeness" in before and "sentiment" in before
    assert re.search(r"people would rate it [1-5]\.\d/5", before)  # the email rating: this draft is long enough
    assert page.locator("#indicators-before li").count() >= 1  # the politeness reasons
    assert "politeness" in after
    corrected = page.locator("#corrected textarea").input_value().lower()
    assert "sam" in corrected and "report" in corrected  # the server proofread this draft, not the last one
    assert len(seen) >= 2, f"expected the correction to arrive in pieces, saw {len(seen)} update(s)"
    # Only text the guards accepted is shown: every update is the start of the final correction.
    final = page.locator("#corrected textarea").input_value()
    assert all(final.startswith(value) for value in seen), "the page showed text the final result does not have"
    assert "tokens generated" in page.locator("#status").inner_text()
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    assert SCREENSHOT.stat().st_size > 10_000
