"""What a classifier returns: a number, a label, an emoji, and (for politeness) the reasons."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Reason(BaseModel):
    """A politeness strategy found in (or missing from) the text, so the UI can say why."""

    strategy: str = Field(description="e.g. gratitude, please, hedge, direct_command")
    effect: Literal["polite", "rude"]
    present: bool = True
    evidence: str = ""


class Score(BaseModel):
    value: float = Field(description="sentiment in [-1, 1]; politeness as a probability of polite in [0, 1]")
    label: str
    emoji: str
    reasons: list[Reason] = Field(default_factory=list)


class PolitenessScore(Score):
    rating: float | None = Field(
        default=None,
        description="how people would rate the email, 1 (impolite) to 5 (polite) (backend/scoring/email_rating.py); "
        "none for a text under 30 words",
    )


class Scores(BaseModel):
    sentiment: Score
    politeness: PolitenessScore
