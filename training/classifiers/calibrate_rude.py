"""A score, and an email rating, low enough to say rude without evidence: where they lie, and what they add (issue 15)

    python -m training.classifiers.calibrate_rude          # ~1 min; writes training/results/rude-calibration.json

The served label asks for P(polite) < rude_below *and* evidence: an accusation or bare command from the
strategy lexicon, or a sentence a face-threat head is sure of (backend/scoring/politeness.py). Some emails
people rate impolite show neither (a reply that calls the reader's message condescending and tells them to take it
up elsewhere) although they score near 0. This picks `alone_below`, a lower score under which texts of at least `--min-words` need no evidence,
on the calibration scenarios only (TRAINING_SEEDS), counting only what it adds to the served label:
  - the largest threshold on a 0.01 grid that adds no calibration email people rated 2.5 or more (1-5 scale),
  - and adds at most `--false-alarm` of random AESLC train emails of any kind (real business mail, mostly fine);
then, the same way over the label with that threshold, `rating_below`: an email rating (how people would rate the
email, 1-5, backend/scoring/email_rating.py) under which an email is rude. Each rated email is rated by the served
recipe fit without its scenario (the served rating was fit on all 240: on them its own ratings would flatter it).
Both are reported on the held-out scenarios (CHECK_SEEDS, the tone check's), random AESLC dev emails
and the JFLEG validation sentences (short neutral learner text, the other shape of draft users proofread).
The served values are `Settings.rude_without_evidence_below` and `Settings.rude_rating_below`; see
backend/scoring/MODEL_CARD.md ("Rude label calibration")."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

from backend.scoring.politeness import rude_without_evidence
from training.classifiers import data as D
from training.data.email_tone_pairs import CHECK_SEEDS, TRAINING_SEEDS

IMPOLITE_BELOW = 2.5  # mean of the three human dimensions, 1 = impolite ... 5 = polite
OUT = Path(__file__).resolve().parents[1] / "results" / "rude-calibration.json"


@dataclass(frozen=True)
class Scored:
    rating: float | None  # human rating; None for unrated AESLC emails
    p_polite: float
    rude_with_evidence: bool  # the label with evidence (score, and lexicon or face-threat head) says rude
    words: int
    email_rating: float | None = None  # None: too short to rate


def rude(s: Scored, alone_below: float, min_words: int = 0, rating_below: float = 0.0) -> bool:
    return (rude_without_evidence(s.p_polite, s.words, alone_below, min_words) or s.rude_with_evidence
            or (s.email_rating is not None and s.email_rating < rating_below))


def added(s: Scored, alone_below: float, min_words: int = 0, rating_below: float = 0.0, before: tuple[float, float] = (0.0, 0.0)) -> bool:
    """Rude by the thresholds, and not already by the label with `before` (alone_below, rating_below)."""
    return rude(s, alone_below, min_words, rating_below) and not rude(s, before[0], min_words, before[1])


def choose(calibration: list[Scored], business: list[Scored], up_to: float, false_alarm: float, min_words: int = 0,
           alone_below: float | None = None) -> float:
    """The largest threshold up to `up_to` that adds to the served label no rated-acceptable calibration email
    and at most `false_alarm` of the business emails (0.0 when none does: the served rule alone). Without
    `alone_below` the threshold is the score's; with it, the email rating's, over the label with that score threshold."""
    def adds(s: Scored, t: float) -> bool:
        return added(s, t, min_words) if alone_below is None else added(s, alone_below, min_words, t, before=(alone_below, 0.0))

    best = 0.0
    for step in range(1, int(up_to * 100) + 1):
        t = step / 100
        acceptable_added = any(adds(s, t) for s in calibration if s.rating >= IMPOLITE_BELOW)
        business_added = sum(adds(s, t) for s in business) / max(len(business), 1)
        if not acceptable_added and business_added <= false_alarm:
            best = t
    return best


def summary(scored: list[Scored], alone_below: float, min_words: int = 0, rating_below: float = 0.0) -> dict:
    impolite = [s for s in scored if s.rating is not None and s.rating < IMPOLITE_BELOW]
    acceptable = [s for s in scored if s.rating is not None and s.rating >= IMPOLITE_BELOW]
    unrated = [s for s in scored if s.rating is None]

    def count(group: list[Scored]) -> int:
        return sum(rude(s, alone_below, min_words, rating_below) for s in group)

    out = {}
    if impolite or acceptable:
        out |= {"impolite": len(impolite), "impolite_labelled_rude": count(impolite),
                "acceptable": len(acceptable), "acceptable_labelled_rude": count(acceptable)}
    if unrated:
        out |= {"texts": len(unrated), "labelled_rude": count(unrated)}
    return out


def score_all(scorer, texts: list[str], ratings: list[float | None], email_ratings: list[float | None] | None = None) -> list[Scored]:
    """`email_ratings`: in place of the scorer's (the rated emails', by fits that never saw their scenario)."""
    scored = []
    for i, (text, rating) in enumerate(zip(texts, ratings)):
        politeness = scorer.score(text).politeness
        email_rating = politeness.rating if email_ratings is None or politeness.rating is None else email_ratings[i]
        scored.append(Scored(rating, politeness.value, politeness.label == "rude", len(text.split()), email_rating))
    return scored


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--false-alarm", type=float, default=0.01, help="largest share of AESLC train emails it may add to the rude label")
    parser.add_argument("--min-words", type=int, default=35,
                        help="the score alone says rude only for texts this long (short sentences score low)")
    parser.add_argument("--business", type=int, default=600, help="random AESLC emails per split")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    from backend.config import Settings
    from backend.scoring import Scorer
    from backend.scoring.linear import LinearHead
    from training.classifiers import email_politeness as EP
    from training.evaluate import validation_rows
    from training.textnorm import detokenize

    # the label with evidence only, whatever is served
    scorer = Scorer(settings=Settings(rude_without_evidence_below=0.0, rude_rating_below=0.0))
    # A score-only threshold at or above the served one would flag every email the lexicon rule needs evidence for.
    rude_below = float(LinearHead.load("politeness").meta["rude_below"])
    rated = D.human_rated_emails()
    cross_fitted = EP.grouped_cv(*EP.served_fit_inputs())  # in the order of D.human_rated_emails()

    def rated_in(seeds) -> list[Scored]:
        idx = [i for i, e in enumerate(rated) if e.seed in seeds]
        return score_all(scorer, [rated[i].text for i in idx], [rated[i].rating for i in idx], [float(cross_fitted[i]) for i in idx])

    calibration, held_out = rated_in(TRAINING_SEEDS), rated_in(CHECK_SEEDS)
    rows = validation_rows()
    sentences = score_all(scorer, [detokenize(r["source"]) for r in rows], [None] * len(rows))
    business = {split: score_all(scorer, D.random_emails(split, args.business), [None] * args.business) for split in ("train", "dev")}
    alone = choose(calibration, business["train"], rude_below, args.false_alarm, args.min_words)
    rating_below = choose(calibration, business["train"], IMPOLITE_BELOW, args.false_alarm, args.min_words, alone_below=alone)
    results = {"rude_below": rude_below, "alone_below": alone, "rating_below": rating_below, "min_words": args.min_words,
               "impolite_below_rating": IMPOLITE_BELOW, "false_alarm_budget": args.false_alarm, "splits": {}}
    for name, scored in [("calibration (seeds 1-12)", calibration), ("held out (seeds 13-24)", held_out),
                         ("AESLC train", business["train"]), ("AESLC dev", business["dev"]), ("JFLEG validation sentences", sentences)]:
        results["splits"][name] = {"evidence only": summary(scored, 0.0), "with alone_below": summary(scored, alone, args.min_words),
                                   "with alone_below and rating_below": summary(scored, alone, args.min_words, rating_below)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
