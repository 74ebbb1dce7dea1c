"""How people would rate an email's politeness, on their 1 (impolite) ... 5 (polite) scale: an email-level
model fit on human-rated whole emails (training/classifiers/email_politeness.py), read from the same
sentence feature rows the politeness head uses, so it costs a few dot products, 200 small trees and no encoder pass.

It ranks whole emails better than P(polite) (a head trained on one-sentence Wikipedia requests), but
the rated emails have 38-200 words, and on shorter text it guesses: rated regardless of length, hand-written rude
one-liners came out below their neutral versions 71% of the time, where P(polite) gets 97% (weights/metrics.json,
"check_set_unfloored"). So it rates texts of `min_words` words or more only
(the head's meta). A rating under Settings.rude_rating_below labels the email rude (politeness.py).
See MODEL_CARD.md."""

from __future__ import annotations

import numpy as np

from backend.scoring import strategies
from backend.scoring.features import VADER_NAMES
from backend.scoring.linear import LinearHead
from backend.scoring.trees import BoostedTrees

LOWEST, HIGHEST = 1.0, 5.0
STANFORD = "stanford_polite"  # logit of P(polite) from the Stanford head
SENTENCE_OUTPUTS = (STANFORD, "email_rating", "hearer_support", "hearer_threat", "speaker_support", "speaker_threat")
_SUMMARIES = {STANFORD: ("mean", "min", "max"), "email_rating": ("mean", "min", "max")}
_VADER_COMPOUND = len(strategies.NAMES) + VADER_NAMES.index("vader_compound")


def feature_names() -> list[str]:
    names = [f"{output}_{how}" for output in SENTENCE_OUTPUTS for how in _SUMMARIES.get(output, ("mean", "max"))]
    names.insert(3, f"{STANFORD}_whole_email")
    names += [f"whole_{n}" for n in VADER_NAMES] + ["vader_compound_min", "vader_compound_mean"]
    names += [f"share_{n}" for n in strategies.NAMES]
    # Length lets the model tell a short, plain note from a long email that withholds every courtesy.
    return names + ["log_words", "log_sentences"]


def email_features(sentences: np.ndarray, whole: np.ndarray, sentence_heads: LinearHead, words: int) -> np.ndarray:
    """The email head's input (order: `feature_names()`), from the feature rows of the email's sentences
    (politeness_matrix of each), of the whole email (one row), and its number of words."""
    outputs = sentence_heads.logits(sentences)
    values: list[float] = []
    for column, output in enumerate(SENTENCE_OUTPUTS):
        values += [float(getattr(np, how)(outputs[:, column])) for how in _SUMMARIES.get(output, ("mean", "max"))]
    values.insert(3, float(sentence_heads.logits(whole)[0, 0]))
    vader_start = len(strategies.NAMES)
    values += list(whole[0, vader_start : vader_start + len(VADER_NAMES)])
    values += [float(sentences[:, _VADER_COMPOUND].min()), float(sentences[:, _VADER_COMPOUND].mean())]
    values += list(sentences[:, : len(strategies.NAMES)].mean(axis=0))
    values += [float(np.log1p(words)), float(np.log1p(len(sentences)))]
    return np.array(values, dtype=np.float32)


class EmailRater:
    def __init__(self, sentence_heads: LinearHead | None = None, email_head: BoostedTrees | None = None) -> None:
        self.sentence_heads = sentence_heads or LinearHead.load("email_sentence_heads")
        self.email_head = email_head or BoostedTrees.load("email_rating")
        self.min_words = int(self.email_head.meta["min_words"])

    def rate(self, sentences: np.ndarray, whole: np.ndarray, words: int) -> float | None:
        """The rating, or None for a text shorter than the emails the model was fit on."""
        if words < self.min_words:
            return None
        x = email_features(sentences, whole, self.sentence_heads, words)
        return float(np.clip(self.email_head.predict(x[None, :])[0], LOWEST, HIGHEST))
