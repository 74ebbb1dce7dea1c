"""The core's contract, shared by the CLI, HTTP API, Space and evaluation: what a proofreader is
(`Proofreader`), what goes in (`Options`), what comes out (`Result`), and every way a proofread ends.

How a proofread can be configured: `Options` per call (below), `backend.config.Settings` per process.

How a proofread can end:
- a `Result`. `changed` says whether the text differs; `fallbacks` names every part of the draft that
  came back as it was instead of rewritten, and why (`Fallback`); `warnings` says the same in words.
- `InputError` (backend/input_checks.py): the draft is refused, with a stable `code` (`empty`,
  `too_large`, `binary`, `html`, `not_text`); nothing was generated.
- `Cancelled`: the caller's `cancelled()` returned True (its client went away); there is no result.
- `SpaceError` (backend/engines/space_engine.py, engine=space only): the remote Space could not be
  reached or failed; the draft is unchanged.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Callable, Literal, Protocol

from pydantic import BaseModel, Field, computed_field

from backend.scoring.types import Scores

TokenCallback = Callable[[str], None]


class Cancelled(Exception):
    """The caller no longer wants the result (client gone, stream cancelled)."""


class Options(BaseModel):
    """Generation controls. Greedy decoding (temperature 0) is the default: proofreading wants the
    most likely minimal edit, and it makes results reproducible."""

    temperature: float = Field(0.0, ge=0.0, le=2.0)
    top_p: float = Field(1.0, gt=0.0, le=1.0)
    max_tokens: int | None = Field(
        None, ge=1, le=4096, description="Cap on generated tokens; default scales with the input length."
    )
    seed: int = 0


class Fallback(StrEnum):
    """Why a part of the draft came back as it was instead of rewritten. The value is the stable
    code clients match on; `message` is what a person reads (the `warnings` of a `Result`)."""

    # Never sent to the model (backend/input_checks.py, `unchanged_reason`).
    NO_WORDS = "no_words"
    NOT_ENGLISH = "not_english"
    # The model's rewrite was refused by a guard (backend/guards.py): the user never gets a damaged email.
    EMPTY_REWRITE = "empty_rewrite"
    FAR_LONGER = "far_longer"
    DROPPED_TEXT = "dropped_text"
    REPEATS = "repeats"
    CHANGED_FACT = "changed_fact"
    ADDED_CONTENT = "added_content"
    CUT_OFF = "cut_off"

    @property
    def refused_rewrite(self) -> bool:
        """True when the model wrote something and a guard refused it (evaluation counts these)."""
        return self not in (Fallback.NO_WORDS, Fallback.NOT_ENGLISH)

    @property
    def message(self) -> str:
        return _FALLBACK_MESSAGES[self]


_FALLBACK_MESSAGES = {
    Fallback.NO_WORDS: "There are no words to proofread; the draft is unchanged.",
    Fallback.NOT_ENGLISH: "The draft does not look like English; only English is proofread, so it is unchanged.",
    Fallback.EMPTY_REWRITE: "Kept your original text: the model returned nothing.",
    Fallback.FAR_LONGER: "Kept your original text: the rewrite is far longer than the draft.",
    Fallback.DROPPED_TEXT: "Kept your original text: the rewrite dropped much of the draft.",
    Fallback.REPEATS: "Kept your original text: the rewrite repeats itself.",
    Fallback.CHANGED_FACT: "Kept your original text: the rewrite changed a number, date, link or address.",
    Fallback.ADDED_CONTENT: "Kept your original text: the rewrite adds content that is not in the draft.",
    Fallback.CUT_OFF: "Kept your original text: the rewrite was cut off at the token limit.",
}


class DiffSegment(BaseModel):
    """One piece of a word-level diff. Joining every `original` gives the original text and joining
    every `corrected` gives the corrected text, so a client can reject single changes by taking
    `original` instead of `corrected` for that segment."""

    op: Literal["equal", "insert", "delete", "replace"]
    original: str
    corrected: str


class ModelInfo(BaseModel):
    engine: str
    base: str
    adapter: str | None = None
    adapter_merged: bool = False  # folded into the base weights (backend/adapter_merge.py), not applied per step
    chat_format: str


class Timings(BaseModel):
    score_ms: float = 0.0
    generate_ms: float = 0.0
    total_ms: float = 0.0
    prompt_tokens: int = 0
    generated_tokens: int = 0


class Result(BaseModel):
    original: str
    corrected: str
    changed: bool
    diff: list[DiffSegment]
    scores_before: Scores
    scores_after: Scores
    fallbacks: list[Fallback] = Field(
        default_factory=list,
        description="One per part of the draft kept as it was instead of rewritten (long drafts are proofread in parts).",
    )
    model: ModelInfo
    timings: Timings

    @computed_field
    @property
    def warnings(self) -> list[str]:
        """The fallbacks in words, for display."""
        return [fallback.message for fallback in self.fallbacks]


class Proofreader(Protocol):
    """What the API, CLI, Space app and evaluation use. `backend.factory.build_proofreader(settings)`
    builds one: `LlamaProofreader` (backend/proofreader.py, the local model), `SpaceProofreader`
    (backend/engines/space_engine.py, a remote Gradio Space) or `HarperProofreader`
    (training/baselines/harper_proofreader.py, the rule-based baseline)."""

    @property
    def model_info(self) -> ModelInfo: ...

    def score(self, text: str) -> Scores:
        """Sentiment and politeness of `text`; raises InputError for a refused draft."""
        ...

    def proofread(
        self,
        text: str,
        options: Options | None = None,
        on_token: TokenCallback | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Result:
        """The corrected email. `on_token` receives the correction as it is written (an engine that
        answers in one piece calls it once); `cancelled` is polled, and True ends it with `Cancelled`."""
        ...
