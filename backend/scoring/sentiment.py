"""Sentiment of an email: a logistic-regression head on MiniLM sentence embeddings + VADER, trained on
TweetEval, applied to each sentence and averaged. value = P(positive) - P(negative) in [-1, 1]."""

from __future__ import annotations

import numpy as np

from backend.scoring.embedding import SentenceEmbedder, shared_embedder
from backend.scoring.features import sentiment_matrix
from backend.scoring.linear import LinearHead
from backend.scoring.text_units import units as split_units
from backend.scoring.types import Score

EMOJI = {"negative": "🙁", "neutral": "😐", "positive": "🙂"}


class SentimentClassifier:
    def __init__(self, embedder: SentenceEmbedder | None = None, head: LinearHead | None = None) -> None:
        self._head = head or LinearHead.load("sentiment")
        self._embedder = embedder or shared_embedder()
        self.classes = self._head.classes  # ["negative", "neutral", "positive"]

    def probabilities(self, text: str, units: list[str] | None = None, embeddings: np.ndarray | None = None) -> np.ndarray:
        units = split_units(text) if units is None else units
        if not units:
            return np.array([0.0, 1.0, 0.0])
        embeddings = self._embedder.embed(units) if embeddings is None else embeddings
        per_unit = self._head.proba(sentiment_matrix(units, embeddings))
        weights = np.array([max(len(u.split()), 1) for u in units], dtype=np.float64)  # longer sentences say more
        return (per_unit * weights[:, None]).sum(axis=0) / weights.sum()

    def score(self, text: str, units: list[str] | None = None, embeddings: np.ndarray | None = None) -> Score:
        p = self.probabilities(text, units, embeddings)
        label = self.classes[int(np.argmax(p))]
        value = float(p[self.classes.index("positive")] - p[self.classes.index("negative")])
        return Score(value=round(value, 4), label=label, emoji=EMOJI[label])
