"""Request and error bodies of the HTTP API; responses reuse the core's own models."""

from __future__ import annotations

from pydantic import BaseModel, Field

from backend.types import ModelInfo, Options

EXAMPLE_EMAIL = "Hi Sam,\n\nI has attached the report you ask for. Send me your comments by friday.\n\nBest,\nDana"


class TextRequest(BaseModel):
    # No max_length here: an over-long draft gets a 413 from the core's size check, not a 422.
    text: str = Field(description="The email draft, plain text.", examples=[EXAMPLE_EMAIL])


class ProofreadRequest(TextRequest):
    options: Options = Field(default_factory=Options)


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
