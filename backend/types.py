"""The core's contract, shared by the CLI, HTTP API, Space and evaluation: what a proofreader is
(`Proofreader`), what goes in (`Options`), what comes out (`Result`), and every way a proofread ends.

How a proofread can be configured: `Options` per call (below), `backend.config.Settings` per process.

How a proofread can end:
- a `Result`. `changed` says whether the text differs; `fallbacks` says why any part of the draft came
  back as it was instead of rewritten (`Fallback`, each reason once); `warnings` says the same in words.
- `InputError` (backend/input_checks.py): the draft is refused, with a stable `code` (`empty`,
  `too_large`, `binary`, `html`, `not_text`); nothing was generated.
- `Cancelled`: the caller's `cancelled()` returned True (its client went away); there is no result.
- `SpaceError` (backend/engines/space_engine.py, engine=space only): the remote Space could not be
  reached or failed; the draft is unchanged.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Callable, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from backend.scoring.types import Scores

TokenCallback = Callable[[str], None]


class Cancelled(Exception):
    """The caller no longer wants the result (client gone, stream cancelled)."""


class Options(BaseModel):
    """Generation controls. Greedy decoding (temperature 0) is the default: proofreading wants the
    most likely minimal edit, and it makes results reproducible."""

    # JSON parsers accept NaN and Infinity; refused as "not a finite number", not as "should be <= 2".
    model_config = ConfigDict(allow_inf_nan=False)

    temperature: float = Field(0.0, ge=0.0, le=2.0)
    top_p: float = Field(1.0, gt=0.0, le=1.0)
    max_tokens: int | None = Field(
        None, ge=1, le=4096, description="Cap on generated tokens; default scales with the input length."
    )
    seed: int = 0


class Fallback(StrEnum):
    """Why a part of the draft came back as it was instead of rewritten. The value is the stable code
    clients match on; `text` is how the warnings put it."""

    # The draft was never sent to the model (backend/input_checks.py, `unchanged_reason`).
    NO_WORDS = "no_words"
    NOT_ENGLISH = "not_english"
    # A part the model could not read at once (a long link or a run without spaces).
    TOO_LONG_FOR_CONTEXT = "too_long_for_context"
    # The request's model time (Settings.max_generate_seconds) ran out before these parts.
    OUT_OF_TIME = "out_of_time"
    # The model's rewrite was refused by a guard (backend/guards.py): the user never gets a damaged email.
    EMPTY_REWRITE = "empty_rewrite"
    FAR_LONGER = "far_longer"
    DROPPED_TEXT = "dropped_text"
    REPEATS = "repeats"
    LINES_CHANGED = "lines_changed"
    BRACKETS_CHANGED = "brackets_changed"
    SYMBOL_CHANGED = "symbol_changed"
    CHANGED_FACT = "changed_fact"
    TENSE_CHANGED = "tense_changed"
    DROPPED_CONTENT = "dropped_content"
    ADDED_CONTENT = "added_content"
    CUT_OFF = "cut_off"

    @property
    def guarded(self) -> bool:
        """A part kept by the guards (its rewrite refused, or too long to read): what evaluation counts
        as a guard fallback. Not a draft never sent to the model, nor parts left when time ran out."""
        return self not in (Fallback.NO_WORDS, Fallback.NOT_ENGLISH, Fallback.OUT_OF_TIME)

    @property
    def text(self) -> str:
        """A whole sentence for a draft never sent to the model; else the reason, as in "Kept your
        original text: <reason>." (backend/proofreader.py writes the warning, with how many parts)."""
        return _FALLBACK_TEXT[self]


_FALLBACK_TEXT = {
    Fallback.NO_WORDS: "There are no words to proofread; the draft is unchanged.",
    Fallback.NOT_ENGLISH: "The draft does not look like English; only English is proofread, so it is unchanged.",
    Fallback.TOO_LONG_FOR_CONTEXT: "a part is too long for the model to read at once (a long link or text without spaces)",
    Fallback.OUT_OF_TIME: "proofreading ran out of time",
    Fallback.EMPTY_REWRITE: "the model returned nothing",
    Fallback.FAR_LONGER: "the rewrite is far longer than the draft",
    Fallback.DROPPED_TEXT: "the rewrite dropped much of the draft",
    Fallback.REPEATS: "the rewrite repeats itself",
    Fallback.LINES_CHANGED: "the rewrite added, removed, merged or split lines",
    Fallback.BRACKETS_CHANGED: "the rewrite changed brackets",
    Fallback.SYMBOL_CHANGED: "the rewrite dropped or changed an emoji or symbol",
    Fallback.CHANGED_FACT: "the rewrite changed a number, date, link or address",
    Fallback.TENSE_CHANGED: "the rewrite changed the tense of a verb next to a date",
    Fallback.DROPPED_CONTENT: "the rewrite left out much of what the draft says",
    Fallback.ADDED_CONTENT: "the rewrite adds content that is not in the draft",
    Fallback.CUT_OFF: "the rewrite was cut off at the token limit",
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
        description="Why parts of the draft were kept as they were, each reason once (long drafts are proofread in parts).",
    )
    warnings: list[str] = Field(default_factory=list, description="The same, in words for a person, with how many parts.")
    model: ModelInfo
    timings: Timings


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
