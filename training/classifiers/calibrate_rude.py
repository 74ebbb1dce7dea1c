"""Would a score-only threshold make the politeness label agree with people? (issue 15; an experiment, not served)

    python -m training.classifiers.calibrate_rude          # ~1 min; writes training/results/rude-calibration.json

The served label asks for P(polite) < rude_below *and* an accusation or bare command from the strategy
lexicon, or a sentence a face-threat head is sure of (backend/scoring/politeness.py). Emails people rate
impolite are mostly cold or passive-aggressive ("Your recent participation has been underwhelming") and
often show neither (held out, the served label finds 19 of the 41). This picks `alone_below`, a lower score under which no
lexicon evidence would be needed, on the calibration scenarios only (TRAINING_SEEDS):
  - the largest threshold on a 0.01 grid that flags no calibration email people rated 2.5 or more (1-5 scale),
  - and flags at most `--false_alarm` of the clean-looking AESLC train emails (real business mail, mostly fine);
then reports how it would label the held-out scenarios (CHECK_SEEDS, the tone check's), AESLC dev emails and
the JFLEG validation sentences (short neutral learner text, the other shape of draft users proofread).
Why it is not served: see backend/scoring/MODEL_CARD.md ("Rude label calibration")."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

from backend.scoring.politeness import rude_without_evidence
from training.classifiers.data import human_rated_emails
from training.data.email_tone_pairs import CHECK_SEEDS, TRAINING_SEEDS

IMPOLITE_BELOW = 2.5  # mean of the three human dimensions, 1 = impolite ... 5 = polite
OUT = Path(__file__).resolve().parents[1] / "results" / "rude-calibration.json"


@dataclass(frozen=True)
class Scored:
    rating: float | None  # human rating; None for unrated AESLC emails
    p_polite: float
    served_rude: bool  # the served label (score and lexicon evidence) says rude
    words: int


def rude(s: Scored, alone_below: float, min_words: int = 0) -> bool:
    return rude_without_evidence(s.p_polite, s.words, alone_below, min_words) or s.served_rude


def choose(calibration: list[Scored], business: list[Scored], up_to: float, false_alarm: float, min_words: int = 0) -> float:
    """The largest threshold up to `up_to` that flags no rated-acceptable calibration email and at most
    `false_alarm` of the business emails (0.0 when none does: the served rule alone)."""
    best = 0.0
    for step in range(1, int(up_to * 100) + 1):
        t = step / 100
        acceptable_flagged = any(rude(s, t, min_words) for s in calibration if s.rating >= IMPOLITE_BELOW)
        business_share = sum(rude(s, t, min_words) for s in business) / max(len(business), 1)
        if not acceptable_flagged and business_share <= false_alarm:
            best = t
    return best


def summary(scored: list[Scored], alone_below: float, min_words: int = 0) -> dict:
    impolite = [s for s in scored if s.rating is not None and s.rating < IMPOLITE_BELOW]
    acceptable = [s for s in scored if s.rating is not None and s.rating >= IMPOLITE_BELOW]
    unrated = [s for s in scored if s.rating is None]
    out = {}
    if impolite or acceptable:
        out |= {"impolite": len(impolite), "impolite_labelled_rude": sum(rude(s, alone_below, min_words) for s in impolite),
                "acceptable": len(acceptable), "acceptable_labelled_rude": sum(rude(s, alone_below, min_words) for s in acceptable)}
    if unrated:
        out |= {"texts": len(unrated), "labelled_rude": sum(rude(s, alone_below, min_words) for s in unrated)}
    return out


def score_all(scorer, texts: list[str], ratings: list[float | None]) -> list[Scored]:
    scored = []
    for text, rating in zip(texts, ratings):
        politeness = scorer.score(text).politeness
        scored.append(Scored(rating, politeness.value, politeness.label == "rude", len(text.split())))
    return scored


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--false-alarm", type=float, default=0.05, help="largest share of AESLC train emails labelled rude")
    parser.add_argument("--min-words", type=int, default=0,
                        help="the score alone says rude only for texts this long (short sentences score low)")
    parser.add_argument("--business", type=int, default=300, help="clean-looking AESLC emails per split")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    from backend.config import Settings
    from backend.scoring import Scorer
    from backend.scoring.linear import LinearHead
    from training.data import emails as email_data
    from training.evaluate import validation_rows
    from training.textnorm import detokenize

    scorer = Scorer(settings=Settings())
    # A score-only threshold at or above the served one would flag every email the lexicon rule needs evidence for.
    rude_below = float(LinearHead.load("politeness").meta["rude_below"])
    rated = human_rated_emails()
    calibration = score_all(scorer, [e.text for e in rated if e.seed in TRAINING_SEEDS], [e.rating for e in rated if e.seed in TRAINING_SEEDS])
    held_out = score_all(scorer, [e.text for e in rated if e.seed in CHECK_SEEDS], [e.rating for e in rated if e.seed in CHECK_SEEDS])
    rows = validation_rows()
    sentences = score_all(scorer, [detokenize(r["source"]) for r in rows], [None] * len(rows))
    business = {split: score_all(scorer, [e["text"] for e in email_data.load_emails(split) if email_data.looks_clean(e["text"])][: args.business],
                                 [None] * args.business) for split in ("train", "dev")}
    alone = choose(calibration, business["train"], rude_below, args.false_alarm, args.min_words)
    results = {"rude_below": rude_below, "alone_below": alone, "min_words": args.min_words, "impolite_below_rating": IMPOLITE_BELOW,
               "false_alarm_budget": args.false_alarm, "splits": {}}
    for name, scored in [("calibration (seeds 1-12)", calibration), ("held out (seeds 13-24)", held_out),
                         ("AESLC train", business["train"]), ("AESLC dev", business["dev"]), ("JFLEG validation sentences", sentences)]:
        results["splits"][name] = {"served label": summary(scored, 0.0), "with alone_below": summary(scored, alone, args.min_words)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
