"""The core's data shapes: options in, a result out. Shared by the CLI, HTTP API, Space and evaluation."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from backend.scoring.types import Scores


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
    warnings: list[str] = Field(default_factory=list)
    model: ModelInfo
    timings: Timings
