"""Sentiment and politeness scores of a text, behind one `Scorer.score(text) -> Scores` interface."""

from __future__ import annotations

from typing import TYPE_CHECKING

from backend.scoring.email_rating import EmailRater
from backend.scoring.embedding import SentenceEmbedder, shared_embedder
from backend.scoring.politeness import PolitenessClassifier
from backend.scoring.sentiment import SentimentClassifier
from backend.scoring.text_units import units as split_units
from backend.scoring.types import PolitenessScore, Reason, Score, Scores

if TYPE_CHECKING:
    from backend.config import Settings

__all__ = ["NeutralScorer", "PolitenessScore", "Reason", "Score", "Scores", "Scorer"]


class Scorer:
    """Loads both classifiers once (they share one embedding model); `score()` is cheap afterwards.

    The email is split into sentences and embedded once; both heads read the same vectors.
    Nothing here logs the text."""

    def __init__(self, embedder: SentenceEmbedder | None = None, settings: Settings | None = None, rater: EmailRater | None = None) -> None:
        """`rater`: the served email rating unless given (the tone check rates each rated email with a fit that never
        saw its scenario)."""
        from backend.config import Settings

        settings = settings or Settings()
        embedder = embedder or shared_embedder(settings)
        self._embedder = embedder
        self._sentiment = SentimentClassifier(embedder)
        self._politeness = PolitenessClassifier(embedder, without_evidence=settings.rude_without_evidence(), rater=rater or EmailRater(),
                                                rude_rating_below=settings.rude_rating_below, rude_command_below=settings.rude_command_below)

    def score(self, text: str) -> Scores:
        units = split_units(text)
        embeddings = self._embedder.embed(units)
        return Scores(
            sentiment=self._sentiment.score(text, units, embeddings),
            politeness=self._politeness.score(text, units, embeddings),
        )


class NeutralScorer:
    """Fixed neutral scores, no model: prompts that must not depend on the classifiers (decoder
    comparisons in bench/decoding.py and tests/serving), and fakes of the core."""

    def score(self, text: str) -> Scores:
        return Scores(
            sentiment=Score(value=0.0, label="neutral", emoji="😐"),
            politeness=PolitenessScore(value=0.5, label="neutral", emoji="😐"),
        )
