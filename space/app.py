"""The Gradio Space: a web page and a programmatic API over the same proofreading core.

    python space/app.py                     # http://127.0.0.1:7860, embedded default model
    python space/app.py --host 0.0.0.0 --port 7861

API (see docs/API.md), callable with gradio_client or raw HTTP (`/gradio_api/call/proofread`):
    /proofread(email, temperature, top_p, max_tokens) -> Result JSON
    /score(email) -> Scores JSON

The page also reads a draft from the URL fragment (`#draft=<encodeURIComponent(text)>`) in the
browser, so the extension's fallback can open it ready to proofread; a fragment never reaches the
server. Email text is never logged.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import html
import logging
import os
import queue
import sys
import threading
from pathlib import Path
from typing import Callable, Iterator

log = logging.getLogger("space.app")


def _add_core_to_path() -> None:
    """In the Space bundle backend/ sits next to app.py; in the repo it is one level up."""
    here = Path(__file__).resolve().parent
    for root in (here, here.parent):
        if (root / "backend" / "__init__.py").is_file():
            if str(root) not in sys.path:
                sys.path.insert(0, str(root))
            return


_add_core_to_path()

from backend.config import Settings, stay_offline  # noqa: E402

stay_offline()  # Gradio and huggingface_hub read these at import time: the app must never phone home

import gradio as gr  # noqa: E402
from pydantic import ValidationError  # noqa: E402

from backend.input_checks import InputError  # noqa: E402
from backend.scoring import Scores  # noqa: E402
from backend.streaming import ProofreadEvents  # noqa: E402
from backend.types import Cancelled, Options, Proofreader, Result  # noqa: E402

# The free Space tier has 2 vCPUs, but os.cpu_count() in its container reports the host's cores;
# more llama.cpp threads than cores makes generation several times slower.
SPACE_THREADS = 2

EXAMPLES = [
    "hi john,\n\ni need the report by tomorow. why didnt you send it last week? send it now.\n\nmark",
    "Dear Ms. Alvarez,\n\nThank you for you're quick reply. Could we move the meeting to Thursday "
    "afternoon? I has a conflict on Wednesday.\n\nBest regards,\nPriya",
    "Hey team, the build is broke again and noone fixed it. This is ridiculous, fix it asap.",
    "Hello Sam,\n\nThanks for the update. The numbers look good to me.\n\nKind regards,\nLee",
]

# Reads `#draft=...` into the email box on load (and when only the fragment changes, e.g. a second
# "open in the Space" in the same tab), then removes it from the address bar so the draft does not
# linger in the browser history. Runs only in the browser: nothing is sent to the server.
PREFILL_JS = """
(current) => {
  const takeDraft = () => {
    const match = /(?:^#|&)draft=([^&]*)/.exec(window.location.hash || "");
    if (!match) return null;
    let draft = null;
    try { draft = decodeURIComponent(match[1]); } catch (e) { return null; }
    try { history.replaceState(null, "", window.location.pathname + window.location.search); } catch (e) {}
    return draft;
  };
  if (!window.__draftListener) {
    window.__draftListener = true;
    window.addEventListener("hashchange", () => {
      const draft = takeDraft();
      const box = document.querySelector("#email textarea");
      if (draft === null || !box) return;
      box.value = draft;
      box.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }
  const draft = takeDraft();
  return draft === null ? current : draft;
}
"""

CSS = """
#indicators-before, #indicators-after { min-height: 4em; }
.indicator { display: flex; gap: 1.5em; flex-wrap: wrap; align-items: baseline; }
.indicator .emoji { font-size: 1.6em; }
.reasons { margin: 0.3em 0 0 0; padding-left: 0.2em; list-style: none; font-size: 0.9em; }
.reasons .rude { color: #b42318; }
.reasons .polite { color: #067647; }
"""


LAUNCH_OPTIONS = {"css": CSS, "footer_links": ["api", "settings"]}


def _gr_error(error: InputError) -> gr.Error:
    # The code in the title lets API clients (backend.engines.space_engine) map it back to InputError.
    return gr.Error(error.message, title=f"Cannot proofread this draft ({error.code})", print_exception=False)


def _options(temperature: float | None, top_p: float | None, max_tokens: int | float | None) -> Options:
    try:
        return Options(
            temperature=0.0 if temperature is None else float(temperature),
            top_p=1.0 if top_p is None else float(top_p),
            max_tokens=int(max_tokens) if max_tokens else None,  # 0 / empty = scale with the draft
        )
    except (TypeError, ValueError, ValidationError) as error:
        message = "; ".join(e["msg"] for e in error.errors()) if isinstance(error, ValidationError) else str(error)
        raise gr.Error(f"Invalid generation options: {message}", title="Cannot proofread this draft (invalid_request)",
                       print_exception=False) from None


def indicators_html(scores: Scores | None, heading: str) -> str:
    """Sentiment and politeness with their emoji, and the politeness strategies that explain the score."""
    if scores is None:
        return f"<div class='indicator'><strong>{html.escape(heading)}</strong> <span>—</span></div>"
    sentiment, politeness = scores.sentiment, scores.politeness
    rated = "" if politeness.rating is None else f"; people would rate it {politeness.rating:.1f}/5"
    reasons = "".join(
        f"<li class='{r.effect}'>{'✓' if r.effect == 'polite' else '✗'} {html.escape(r.strategy.replace('_', ' '))}"
        + (f": “{html.escape(r.evidence)}”" if r.evidence else "")
        + "</li>"
        for r in politeness.reasons
        if r.present
    )
    return (
        f"<div class='indicator'><strong>{html.escape(heading)}</strong>"
        f"<span><span class='emoji'>{sentiment.emoji}</span> sentiment: {html.escape(sentiment.label)}"
        f" ({sentiment.value:+.2f})</span>"
        f"<span><span class='emoji'>{politeness.emoji}</span> politeness: {html.escape(politeness.label)}"
        f" ({politeness.value:.0%} polite{rated})</span></div>"
        + (f"<ul class='reasons'>{reasons}</ul>" if reasons else "")
    )


def diff_segments(result: Result) -> list[tuple[str, str | None]]:
    """Word diff for gr.HighlightedText: removed words marked '-', added words '+'."""
    segments: list[tuple[str, str | None]] = []
    for seg in result.diff:
        if seg.op == "equal":
            segments.append((seg.original, None))
            continue
        if seg.original:
            segments.append((seg.original, "-"))
        if seg.corrected:
            segments.append((seg.corrected, "+"))
    return segments


def _status(result: Result) -> str:
    t = result.timings
    head = "Changed." if result.changed else "No changes."
    lines = [f"**{head}** {t.total_ms / 1000:.1f} s ({t.generated_tokens} tokens generated)"]
    lines += [f"- ⚠️ {html.escape(w)}" for w in result.warnings]
    return "\n".join(lines)


class _LockedCore:
    """The proofreader as the page and its API call it: the model behind one lock (llama.cpp models
    are not thread-safe, and the page's streaming handler runs it on a thread of its own), and a
    refused draft scored as the page's error."""

    def __init__(self, proofreader: Proofreader) -> None:
        self.proofreader = proofreader
        self._lock = threading.Lock()

    def proofread(self, text: str, options: Options, on_token=None, cancelled=None) -> Result:
        with self._lock:
            return self.proofreader.proofread(text, options, on_token=on_token, cancelled=cancelled)

    def score(self, text: str) -> Scores:
        try:
            return self.proofreader.score(text)
        except InputError as error:
            raise _gr_error(error) from None


def api_endpoints(core: _LockedCore) -> tuple[Callable, Callable]:
    """The named, typed /proofread and /score endpoints (shown on the "Use via API" page)."""

    def proofread(email: str, temperature: float = 0.0, top_p: float = 1.0, max_tokens: int = 0) -> dict:
        """Proofread an email: fix spelling and grammar and soften a rude tone, keeping the meaning.

        Parameters:
            email: the email text (plain text, up to the Space's character limit).
            temperature: 0 = greedy decoding (default, reproducible); up to 2.
            top_p: nucleus sampling cut-off in (0, 1]; only used when temperature > 0.
            max_tokens: cap on generated tokens; 0 = scale with the length of the email.
        Returns:
            The Result JSON: original, corrected, changed, diff, scores_before, scores_after, fallbacks, warnings, model, timings.
        """
        options = _options(temperature, top_p, max_tokens)
        try:
            return core.proofread(email, options).model_dump(mode="json")
        except InputError as error:
            raise _gr_error(error) from None

    def score(email: str) -> dict:
        """Sentiment and politeness of an email, with the politeness strategies found (no rewrite).

        Parameters:
            email: the email text.
        Returns:
            The Scores JSON: sentiment and politeness, each {value, label, emoji, reasons}.
        """
        return core.score(email).model_dump(mode="json")

    return proofread, score


WAITING_HTML = "<div class='indicator'><strong>After</strong> <span>…</span></div>"


def ui_handlers(core: _LockedCore) -> tuple[Callable, Callable]:
    """The page's own handlers (private: not part of the API). Proofreading streams the correction."""

    def ui_proofread(email: str, temperature: float, top_p: float, max_tokens: float) -> Iterator[tuple]:
        options = _options(temperature, top_p, max_tokens)
        before = core.score(email)  # checks the input too: refused drafts stop here
        yield "", [], indicators_html(before, "Before"), WAITING_HTML, "Proofreading…"

        events = ProofreadEvents()

        def work() -> None:
            with contextlib.suppress(Cancelled):  # the page went away: nobody is reading
                events.run(functools.partial(core.proofread, email, options))

        threading.Thread(target=work, name="space-proofread", daemon=True).start()
        partial = ""
        try:
            while True:
                # Whatever else has arrived is drained too, so the page updates per batch, not per token.
                batch = [events.next()]
                while batch[-1][0] == "token":
                    try:
                        batch.append(events.next(block=False))
                    except queue.Empty:
                        break
                partial += "".join(value for kind, value in batch if kind == "token")
                kind, value = batch[-1]
                if kind == "error":
                    if isinstance(value, InputError):
                        raise _gr_error(value) from None
                    # Only the type: an exception's message can quote its input (pydantic does).
                    log.error("proofread failed: %s", type(value).__name__)
                    raise gr.Error("Proofreading failed; please try again.", print_exception=False) from None
                if kind == "result":
                    yield (value.corrected, diff_segments(value), indicators_html(value.scores_before, "Before"),
                           indicators_html(value.scores_after, "After"), _status(value))
                    return
                yield partial, [], indicators_html(before, "Before"), WAITING_HTML, "Proofreading…"
        finally:
            events.cancelled.set()  # the page went away or the run was cancelled: stop generating

    def ui_score(email: str) -> tuple[str, str]:
        return indicators_html(core.score(email), "Before"), "Scored (no rewrite)."

    return ui_proofread, ui_score


def build_app(proofreader: Proofreader, settings: Settings | None = None) -> gr.Blocks:
    """The web page and the /proofread and /score API over one proofreader instance.
    Launch it with `demo.launch(**LAUNCH_OPTIONS, ...)` (Gradio 6 takes the page CSS at launch).

    Every model call goes through one lock, and the events that use the model share one concurrency
    group of size 1 (others wait in Gradio's queue, up to `settings.queue_size`).
    """
    core = _LockedCore(proofreader)
    proofread, score = api_endpoints(core)
    ui_proofread, ui_score = ui_handlers(core)

    with gr.Blocks(title="Email proofreader", analytics_enabled=False) as demo:
        gr.Markdown(
            "# ✉️ Email proofreader\n"
            "Fixes spelling and grammar and softens a rude tone, keeping what you meant. "
            "Runs a small fine-tuned model on CPU; your text is not stored or logged."
        )
        with gr.Row():
            with gr.Column(scale=1):
                email = gr.Textbox(label="Your email", lines=12, max_lines=30, elem_id="email",
                                   placeholder="Paste or type your email here…")
                with gr.Row():
                    run = gr.Button("Proofread", variant="primary", elem_id="proofread-button")
                    score_button = gr.Button("Score only")
                    stop_button = gr.Button("Stop", variant="stop")
                with gr.Accordion("Generation controls", open=False):
                    temperature = gr.Slider(0.0, 2.0, value=0.0, step=0.05, label="Temperature",
                                            info="0 = greedy (most likely minimal edit, reproducible)")
                    top_p = gr.Slider(0.05, 1.0, value=1.0, step=0.05, label="Top-p",
                                      info="Only used when temperature > 0")
                    max_tokens = gr.Slider(0, 1024, value=0, step=8, label="Max new tokens", elem_id="max-tokens",
                                           info="0 = scale with the length of the email")
                gr.Examples(examples=[[e] for e in EXAMPLES], inputs=[email], label="Example emails")
            with gr.Column(scale=1):
                before_html = gr.HTML(indicators_html(None, "Before"), elem_id="indicators-before")
                corrected = gr.Textbox(label="Corrected email", lines=12, max_lines=30, interactive=False,
                                       buttons=["copy"], elem_id="corrected")
                after_html = gr.HTML(indicators_html(None, "After"), elem_id="indicators-after")
                diff = gr.HighlightedText(label="Changes", color_map={"-": "#f04438", "+": "#12b76a"},
                                          show_legend=False, combine_adjacent=True, elem_id="diff")
                status = gr.Markdown(elem_id="status")

        model_events = dict(concurrency_id="model", concurrency_limit=1)
        ui_inputs = [email, temperature, top_p, max_tokens]
        ui_outputs = [corrected, diff, before_html, after_html, status]
        running = run.click(ui_proofread, ui_inputs, ui_outputs, api_visibility="private", **model_events)
        submitted = email.submit(ui_proofread, ui_inputs, ui_outputs, api_visibility="private", **model_events)
        stop_button.click(None, None, None, cancels=[running, submitted])
        score_button.click(ui_score, [email], [before_html, status], api_visibility="private")

        gr.api(proofread, api_name="proofread", **model_events)
        gr.api(score, api_name="score")

        # Prefill from `#draft=...`: browser-only (fn=None), never sent to the server on load.
        demo.load(None, [email], [email], js=PREFILL_JS)

    demo.queue(default_concurrency_limit=1, max_size=max((settings or Settings()).queue_size, 1))
    return demo


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    on_space = bool(os.environ.get("SPACE_ID"))
    parser = argparse.ArgumentParser(description="Email proofreader web app and API (Gradio).")
    parser.add_argument("--host", default=os.environ.get("GRADIO_SERVER_NAME", "0.0.0.0" if on_space else "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("GRADIO_SERVER_PORT", "7860")))
    return parser.parse_args(argv)


def host_settings() -> Settings:
    """PROOFREAD_* settings, with the thread count a Space really has unless set explicitly."""
    settings = Settings()
    if os.environ.get("SPACE_ID") and "PROOFREAD_N_THREADS" not in os.environ:
        settings.n_threads = SPACE_THREADS
    return settings


def main(argv: list[str] | None = None) -> None:
    args = _parse_args(argv)
    settings = host_settings()
    from backend.factory import build_proofreader  # loads llama.cpp: import only when serving

    demo = build_app(build_proofreader(settings), settings)
    demo.launch(server_name=args.host, server_port=args.port, **LAUNCH_OPTIONS)


if __name__ == "__main__":
    main()
