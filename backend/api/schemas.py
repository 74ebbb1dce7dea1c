"""Request and error bodies of the HTTP API; responses reuse the core's own models."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, model_validator

from backend.types import ModelInfo, Options

EXAMPLE_EMAIL = "Hi Sam,\n\nI has attached the report you ask for. Send me your comments by friday.\n\nBest,\nDana"


class TextRequest(BaseModel):
    # No max_length here: an over-long draft gets a 413 from the core's size check, not a 422.
    text: str = Field(description="The email draft, plain text.", examples=[EXAMPLE_EMAIL])


class ProofreadRequest(TextRequest):
    options: Options = Field(default_factory=Options)

    @model_validator(mode="before")
    @classmethod
    def _only_known_fields(cls, body: Any) -> Any:
        # A top-level "temperature" would otherwise be ignored without a word and the request run greedy.
        unknown = sorted(set(body) - set(cls.model_fields)) if isinstance(body, dict) else []
        if unknown:
            names = ", ".join(str(name).encode("ascii", "backslashreplace").decode() for name in unknown)
            raise ValueError(
                f"unknown field(s) {names}: a request has only `text` and `options`; generation settings "
                f"({', '.join(Options.model_fields)}) go inside `options`, e.g. "
                '{"text": "...", "options": {"temperature": 0.2}}'
            )
        return body


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorDetail


class QueueState(BaseModel):
    waiting: int
    capacity: int
    cancelled_total: int = Field(0, description="Jobs dropped because their client went away.")


class Health(BaseModel):
    status: str
    model_loaded: bool
    model: ModelInfo
    versions: dict[str, str]
    queue: QueueState
