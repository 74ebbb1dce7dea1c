"""Stand-ins for the core, for tests of what sits above it (the HTTP contract, the browser UI). Their
results are built with the core's own `Result` and `word_diff`, so their shape cannot drift from it."""

from __future__ import annotations

import re
import threading
from typing import Callable

from backend.diff import word_diff
from backend.input_checks import check_input
from backend.scoring import NeutralScorer, Scores
from backend.types import Cancelled, ModelInfo, Options, Result, Timings, TokenCallback

FAKE_MODEL = ModelInfo(engine="fake", base="fake.gguf", chat_format="none")


def make_result(original: str, corrected: str, scores_before: Scores, scores_after: Scores, model: ModelInfo) -> Result:
    return Result(
        original=original,
        corrected=corrected,
        changed=corrected != original,
        diff=word_diff(original, corrected),
        scores_before=scores_before,
        scores_after=scores_after,
        model=model,
        timings=Timings(),
    )


class FakeProofreader:
    """A `Proofreader` with no model: "I has" becomes "I have", streamed word by word.

    `fails_with`: proofread raises it (after the input checks, as a model failure would).
    `hold`: proofread waits until it is set (or until cancelled), to keep the worker busy."""

    def __init__(self, max_input_chars: int = 20_000, fails_with: Exception | None = None,
                 hold: threading.Event | None = None) -> None:
        self.max_input_chars = max_input_chars
        self.fails_with = fails_with
        self.hold = hold
        self.calls = 0

    @property
    def model_info(self) -> ModelInfo:
        return FAKE_MODEL

    def score(self, text: str) -> Scores:
        check_input(text, self.max_input_chars)
        return NeutralScorer().score(text)

    def proofread(
        self,
        text: str,
        options: Options | None = None,
        on_token: TokenCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Result:
        check_input(text, self.max_input_chars)
        self.calls += 1
        while self.hold is not None and not self.hold.wait(0.01):
            if cancelled is not None and cancelled():
                raise Cancelled()
        if self.fails_with is not None:
            raise self.fails_with
        corrected = text.replace("I has", "I have")
        for piece in re.findall(r"\s*\S+\s*", corrected):
            if cancelled is not None and cancelled():
                raise Cancelled()
            if on_token is not None:
                on_token(piece)
        scores = self.score(text)
        return make_result(text, corrected, scores, scores, FAKE_MODEL)
