"""The scorer that writes the tone note into training prompts.

Default: the backend's own `Scorer` (so training prompts match serving). While the backend's
classifiers are being rebuilt their weights may be missing; then a small lexical stand-in with the
same output shapes is used and the data manifest records it (`"scorer": "lexical-fallback"`).

Consistency rules applied by the builders (see build.py): tone pairs always carry a "rude" note
(that is what asks for the polite rewrite); every other example carries a non-rude note, because
its target does not soften anything."""

from __future__ import annotations

import math
import re

from backend.scoring.types import PolitenessScore, Reason, Score, Scores

_STRATEGIES = [
    ("gratitude", "polite", r"\b(thanks|thank you|appreciate)\b", 1.2),
    ("please", "polite", r"\bplease\b", 0.8),
    ("hedge", "polite", r"\b(could you|would you|might|perhaps|possibly|i think|i wonder)\b", 0.7),
    ("apology", "polite", r"\b(sorry|apologi[sz]e|excuse me)\b", 0.6),
    ("greeting", "polite", r"^\s*(hi|hello|dear|hey|good (morning|afternoon|evening))\b", 0.4),
    ("direct_command", "rude", r"(^|[.!?]\s+)(send|give|do|fix|stop|get|tell|answer|reply)\b", -1.0),
    ("accusation", "rude", r"\b(you (never|always|didn't|failed|forgot)|why didn't you|unacceptable|ridiculous)\b", -1.2),
    ("urgency", "rude", r"\b(now|immediately|asap|right away)\b", -0.5),
]


class LexicalScorer:
    name = "lexical-fallback"

    def __init__(self) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self._vader = SentimentIntensityAnalyzer()

    def score(self, text: str) -> Scores:
        value = self._vader.polarity_scores(text)["compound"]
        label = "positive" if value >= 0.05 else "negative" if value <= -0.05 else "neutral"
        sentiment = Score(value=value, label=label, emoji={"positive": "🙂", "negative": "🙁", "neutral": "😐"}[label])
        lowered, logit, reasons = text.lower(), 0.0, []
        for name, effect, pattern, weight in _STRATEGIES:
            match = re.search(pattern, lowered, flags=re.MULTILINE)
            if match:
                logit += weight
                reasons.append(Reason(strategy=name, effect=effect, evidence=match.group(0).strip()))
        p = 1.0 / (1.0 + math.exp(-logit))
        plabel = "polite" if p >= 0.6 else "rude" if p <= 0.4 else "neutral"
        politeness = PolitenessScore(value=p, label=plabel, emoji={"polite": "😊", "rude": "😠", "neutral": "😐"}[plabel], reasons=reasons)
        return Scores(sentiment=sentiment, politeness=politeness)


def load_scorer(kind: str = "auto"):
    """("backend" | "lexical" | "auto") -> (scorer, name). "auto" falls back when the backend's fails to load."""
    if kind in ("backend", "auto"):
        try:
            from backend.scoring import Scorer

            scorer = Scorer()
            scorer.score("Hello, could you send the report? Thanks.")
            return scorer, "backend"
        except Exception as error:  # noqa: BLE001 - any load failure means: not usable right now
            if kind == "backend":
                raise
            print(f"backend Scorer unavailable ({type(error).__name__}: {error}); using the lexical fallback")
    return LexicalScorer(), LexicalScorer.name


def as_rude(scores: Scores, strategies: list[str]) -> Scores:
    """The same scores with a rude politeness verdict whose reasons name what the blunting removed."""
    reasons = [r for r in scores.politeness.reasons if r.effect == "rude" and r.present]
    if not reasons:
        reasons = [Reason(strategy=s, effect="rude", present=True) for s in strategies]
    politeness = PolitenessScore(value=min(scores.politeness.value, 0.2), label="rude", emoji="😠", reasons=reasons)
    return Scores(sentiment=scores.sentiment, politeness=politeness)


def as_not_rude(scores: Scores) -> Scores:
    if scores.politeness.label != "rude":
        return scores
    politeness = PolitenessScore(value=0.5, label="neutral", emoji="😐", reasons=[r for r in scores.politeness.reasons if r.effect != "rude"])
    return Scores(sentiment=scores.sentiment, politeness=politeness)
