"""Politeness of an email: a logistic-regression head trained on the Stanford Politeness Corpus
(strategies + VADER + MiniLM sentence embedding), applied to each sentence of the email and
aggregated, with the strategies found (or missing) as reasons; face-threat heads on the same features
find sentences that criticise the reader or make demands of them, evidence for the rude label. See MODEL_CARD.md."""

from __future__ import annotations

import numpy as np

from backend.scoring import strategies
from backend.scoring.email_rating import EmailRater
from backend.scoring.embedding import SentenceEmbedder, shared_embedder
from backend.scoring.features import politeness_matrix
from backend.scoring.linear import LinearHead
from backend.scoring.text_units import units as split_units
from backend.scoring.types import PolitenessScore, Reason

EMOJI = {"rude": "😠", "neutral": "😐", "polite": "😊"}
# Different accusing or criticising phrases that make an email rude whatever its score (strategies.criticisms).
RUDE_CRITICISMS = 2


def aggregate(unit_logits: np.ndarray, email_logit: float, min_weight: float) -> float:
    """One rude sentence makes a rude email, so the rudest sentence weighs in next to the whole email."""
    return float(min_weight * unit_logits.min() + (1.0 - min_weight) * email_logit)


def whole_email_row(units: list[str], embeddings: np.ndarray) -> np.ndarray:
    """The whole email as one request: strategies and VADER of all its sentences, and the mean of
    their embeddings (renormalised; free, unlike a second encoder pass over the whole text)."""
    mean = embeddings.mean(axis=0)
    mean = mean / max(float(np.linalg.norm(mean)), 1e-12)
    return politeness_matrix([" ".join(units)], mean[None, :])


def rude_without_evidence(probability: float, words: int, alone_below: float, min_words: int) -> bool:
    """A score this low on a text this long says rude with no accusation or bare command to show."""
    return probability < alone_below and words >= min_words


def bare_command_counts(probability: float, words: int, command_below: float, min_words: int) -> bool:
    """A bare command is evidence (under rude_below) in a text shorter than `min_words` ("Send it now."), and in a
    longer email only under `command_below` too."""
    return words < min_words or probability < command_below


class PolitenessClassifier:
    def __init__(self, embedder: SentenceEmbedder | None = None, head: LinearHead | None = None,
                 without_evidence: tuple[float, int] = (0.0, 0),
                 threats: tuple[LinearHead | str, ...] = ("criticism", "demand"), rater: EmailRater | None = None,
                 rude_rating_below: float = 0.0, rude_command_below: float = 1.0) -> None:
        self._head = head or LinearHead.load("politeness")
        self._rater = rater  # None: no email rating (training builds classifiers before the rating exists)
        # face-threat heads (training/classifiers/face_threats.py), or names of saved ones; (): the lexicon alone
        self._threats = [LinearHead.load(t) if isinstance(t, str) else t for t in threats]
        self._embedder = embedder or shared_embedder()
        meta = self._head.meta
        self.rude_below = float(meta["rude_below"])
        self.polite_from = float(meta["polite_from"])
        self.min_weight = float(meta["min_weight"])
        # (P(polite) under which, and words from which, the score alone says rude); off by default
        self.without_evidence = without_evidence
        self.rude_rating_below = rude_rating_below  # an email rating under it says rude; 0: off
        # a bare command in a text of without_evidence's floor or more is evidence only under it (and rude_below); 1: always
        self.rude_command_below = rude_command_below
        names = meta["features"]
        coef = self._head.coef[0]
        # Learned weight of each strategy, used to order the reasons by how much they moved the score.
        self._strategy_weight = {n: float(coef[names.index(n)]) for n in strategies.NAMES if n in names}

    def unit_logits(self, texts: list[str], embeddings: np.ndarray) -> np.ndarray:
        return self._head.logits(politeness_matrix(texts, embeddings))[:, 0]

    def _sentences(self, text: str, units: list[str] | None, embeddings: np.ndarray | None):
        """(units, embeddings, feature rows) of `text`, from what the caller already has; None without sentences."""
        units = split_units(text) if units is None else units
        if not units:
            return None
        embeddings = self._embedder.embed(units) if embeddings is None else embeddings
        return units, embeddings, politeness_matrix(units, embeddings)

    def probability(self, text: str, units: list[str] | None = None, embeddings: np.ndarray | None = None) -> float:
        sentences = self._sentences(text, units, embeddings)
        return 0.5 if sentences is None else self._probability(*sentences)

    def _probability(self, units: list[str], embeddings: np.ndarray, features: np.ndarray, whole: np.ndarray | None = None) -> float:
        whole = whole_email_row(units, embeddings) if whole is None else whole
        z = aggregate(self._head.logits(features)[:, 0], float(self._head.logits(whole)[0, 0]), self.min_weight)
        return float(1.0 / (1.0 + np.exp(-z)))

    def threatening_sentence(self, units: list[str], features: np.ndarray, probability: float) -> Reason | None:
        """The sentence a face-threat head is sure criticises the reader or makes demands of them, as a
        reason, if the email is not polite overall: cold emails ("Your repeated oversights are neither
        surprising nor beneficial", "Make sure to prioritize this work before anything else") threaten in
        words no lexicon lists."""
        for head in self._threats:
            if probability >= head.meta["politeness_below"]:
                continue
            p = head.proba(features)[:, 1]
            best = int(p.argmax())
            if p[best] >= head.meta["rude_from"]:
                return Reason(strategy=head.meta["reason"], effect="rude", present=True, evidence=strategies.clip(units[best]))
        return None

    def label(self, probability: float, blame: bool = True, bare_command: bool = False, words: int = 0, criticisms: int = 0,
              threatened: bool = False, rating: float | None = None) -> str:
        """`rude` needs a low score *and* evidence to show as the reason: the prompt then asks the
        model to soften, so a curt but neutral email (a news forward, a terse FYI) must not get there.
        Blame of the reader is evidence under `rude_below`, and so is a bare command in a short text ("Send it now.");
        in an email as long as `without_evidence`'s floor, only under `rude_command_below` too, as instructions between
        colleagues ("Use the ISDA format", "Give me a call") are full of them.
        Cold or passive-aggressive emails rarely use those words, so with `without_evidence` set a very
        low score on a long enough text says rude alone (short sentences score low without being rude).
        Several different criticisms of the reader say rude whatever the score, which rates long cold
        emails as neutral, and so does a sentence a face-threat head is sure of (`threatening_sentence`: it
        already asks for a score short of polite). So does an email rating under `rude_rating_below`: fit on whole
        rated emails, it ranks cold replies with no rude word low where P(polite), a sentence model, does not."""
        evidence = blame or (bare_command and bare_command_counts(probability, words, self.rude_command_below, self.without_evidence[1]))
        if (probability < self.rude_below and evidence) or criticisms >= RUDE_CRITICISMS or threatened:
            return "rude"
        if rating is not None and rating < self.rude_rating_below:
            return "rude"
        if rude_without_evidence(probability, words, *self.without_evidence):
            return "rude"
        if probability >= self.polite_from:
            return "polite"
        return "neutral"

    def reasons(self, text: str) -> list[Reason]:
        found = strategies.reasons(text)
        present = [r for r in found if r.present]
        missing = [r for r in found if not r.present]
        present.sort(key=lambda r: (r.effect != "rude", -abs(self._strategy_weight.get(r.strategy, 0.0))))
        return present + missing

    def score(self, text: str, units: list[str] | None = None, embeddings: np.ndarray | None = None) -> PolitenessScore:
        sentences = self._sentences(text, units, embeddings)
        p, threat, rating = 0.5, None, None
        if sentences is not None:
            units, embeddings, features = sentences
            whole = whole_email_row(units, embeddings)
            p = self._probability(units, embeddings, features, whole)
            threat = self.threatening_sentence(units, features, p)
            if self._rater is not None:
                rating = self._rater.rate(features, whole, len(" ".join(units).split()))
                rating = None if rating is None else round(rating, 2)
        reasons = self.reasons(text) if text.strip() else []
        if threat is not None and not any(r.present and r.strategy == threat.strategy for r in reasons):
            reasons.insert(0, threat)
        label = self.label(p, strategies.blame_found(reasons), strategies.bare_command_found(reasons), len(text.split()),
                           strategies.criticisms(text), threat is not None, rating)
        return PolitenessScore(value=round(p, 4), label=label, emoji=EMOJI[label], reasons=reasons, rating=rating)
