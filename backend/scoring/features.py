"""Feature vectors shared by training and serving, so both compute exactly the same thing."""

from __future__ import annotations

import numpy as np
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from backend.scoring import strategies

_vader: SentimentIntensityAnalyzer | None = None


def vader() -> SentimentIntensityAnalyzer:
    global _vader
    if _vader is None:
        _vader = SentimentIntensityAnalyzer()
    return _vader


VADER_NAMES = ["vader_pos", "vader_neg", "vader_neu", "vader_compound"]


def vader_features(text: str) -> list[float]:
    s = vader().polarity_scores(text)
    return [s["pos"], s["neg"], s["neu"], s["compound"]]


def politeness_names(dim: int) -> list[str]:
    return strategies.NAMES + VADER_NAMES + [f"emb_{i}" for i in range(dim)]


def politeness_matrix(texts: list[str], embeddings: np.ndarray) -> np.ndarray:
    """[strategies | VADER | sentence embedding] for each text."""
    lexical = np.array([strategies.features(t) + vader_features(t) for t in texts], dtype=np.float32).reshape(len(texts), -1)
    return np.hstack([lexical, embeddings.astype(np.float32)])


def sentiment_matrix(texts: list[str], embeddings: np.ndarray) -> np.ndarray:
    """[VADER | sentence embedding] for each text."""
    lexical = np.array([vader_features(t) for t in texts], dtype=np.float32).reshape(len(texts), -1)
    return np.hstack([lexical, embeddings.astype(np.float32)])
