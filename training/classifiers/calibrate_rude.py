"""Where the rude label's thresholds lie, and what each adds (issue 15)

    python -m training.classifiers.calibrate_rude          # ~2 min; writes training/results/rude-calibration.json

The label asks for P(polite) < rude_below *and* evidence: blame of the reader from the strategy lexicon, or a
sentence a face-threat head is sure of (backend/scoring/politeness.py). Three thresholds widen or narrow it, each
chosen in turn on the calibration scenarios only (TRAINING_SEEDS), counting only what it adds to the label with
the ones before, by one rule: the largest value on a 0.01 grid that adds no calibration email people rated 2.5 or
more (1-5 scale) and at most `--false-alarm` of random AESLC train emails of any kind (real business mail, mostly
fine):
  - `command_below`: a P(polite) under which a bare command ("Send it today") is evidence too in a text of
    `--min-words` or more (in a shorter one it is evidence under rude_below). Instructions between colleagues are
    full of them, and in the rated emails they find no impolite email the other evidence misses;
  - `alone_below`: a lower score under which texts of at least `--min-words` need no evidence (some emails people
    rate impolite show none: a reply that calls the reader's message condescending, near 0 all the same);
  - `rating_below`: an email rating (how people would rate the email, 1-5, backend/scoring/email_rating.py) under
    which an email is rude. Each rated email is rated by the served recipe fit without its scenario (the served
    rating was fit on all 240: on them its own ratings would flatter it).
All are reported on the held-out scenarios (CHECK_SEEDS, the tone check's), random AESLC dev emails
and the JFLEG validation sentences (short neutral learner text, the other shape of draft users proofread).
The served values are `Settings.rude_command_below`, `.rude_without_evidence_below` and `.rude_rating_below`; see
backend/scoring/MODEL_CARD.md ("Rude label calibration")."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, replace
from pathlib import Path

from backend.scoring import strategies
from backend.scoring.politeness import bare_command_counts, rude_without_evidence
from training.classifiers import data as D
from training.data.email_tone_pairs import CHECK_SEEDS, TRAINING_SEEDS

IMPOLITE_BELOW = 2.5  # mean of the three human dimensions, 1 = impolite ... 5 = polite
OUT = Path(__file__).resolve().parents[1] / "results" / "rude-calibration.json"


@dataclass(frozen=True)
class Scored:
    rating: float | None  # human rating; None for unrated AESLC emails
    p_polite: float
    rude_with_evidence: bool  # the label with evidence (score, and blame or face-threat head) says rude, bare commands aside
    words: int
    email_rating: float | None = None  # None: too short to rate
    bare_command: bool = False  # a bare command, on a text scoring under rude_below: evidence for the label before 2026-12-02


@dataclass(frozen=True)
class Thresholds:
    """The label's calibrated thresholds; 0.0 turns one off."""
    command_below: float = 0.0  # a bare command in a text of min_words or more is evidence under this P(polite)
    alone_below: float = 0.0  # the score alone says rude under this, on min_words or more
    rating_below: float = 0.0  # an email rating under this says rude
    min_words: int = 0  # from this length, the score alone can say rude and a bare command needs command_below


def rude(s: Scored, t: Thresholds) -> bool:
    return (s.rude_with_evidence or (s.bare_command and bare_command_counts(s.p_polite, s.words, t.command_below, t.min_words))
            or rude_without_evidence(s.p_polite, s.words, t.alone_below, t.min_words)
            or (s.email_rating is not None and s.email_rating < t.rating_below))


def choose(calibration: list[Scored], business: list[Scored], up_to: float, false_alarm: float, served: Thresholds, name: str) -> float:
    """The largest value of threshold `name` up to `up_to`, on a 0.01 grid, that adds to the label with `served` no
    rated-acceptable calibration email and at most `false_alarm` of the business emails (0.0 when none does)."""
    def adds(s: Scored, t: float) -> bool:
        return rude(s, replace(served, **{name: t})) and not rude(s, served)

    best = 0.0
    for step in range(1, int(round(up_to * 100)) + 1):
        t = step / 100
        acceptable_added = any(adds(s, t) for s in calibration if s.rating >= IMPOLITE_BELOW)
        business_added = sum(adds(s, t) for s in business) / max(len(business), 1)
        if not acceptable_added and business_added <= false_alarm:
            best = t
    return best


def summary(scored: list[Scored], t: Thresholds) -> dict:
    impolite = [s for s in scored if s.rating is not None and s.rating < IMPOLITE_BELOW]
    acceptable = [s for s in scored if s.rating is not None and s.rating >= IMPOLITE_BELOW]
    unrated = [s for s in scored if s.rating is None]

    def count(group: list[Scored]) -> int:
        return sum(rude(s, t) for s in group)

    out = {}
    if impolite or acceptable:
        out |= {"impolite": len(impolite), "impolite_labelled_rude": count(impolite),
                "acceptable": len(acceptable), "acceptable_labelled_rude": count(acceptable)}
    if unrated:
        out |= {"texts": len(unrated), "labelled_rude": count(unrated)}
    return out


def score_all(scorer, rude_below: float, texts: list[str], ratings: list[float | None],
              email_ratings: list[float | None] | None = None) -> list[Scored]:
    """`scorer`: one whose label takes evidence only, bare commands in texts of --min-words or more not (every threshold
    here at 0); `rude_below`: its head's. `email_ratings`: in place of the scorer's (the rated emails', by fits that
    never saw their scenario)."""
    scored = []
    for i, (text, rating) in enumerate(zip(texts, ratings)):
        politeness = scorer.score(text).politeness
        email_rating = politeness.rating if email_ratings is None or politeness.rating is None else email_ratings[i]
        bare_command = strategies.bare_command_found(politeness.reasons) and politeness.value < rude_below
        scored.append(Scored(rating, politeness.value, politeness.label == "rude", len(text.split()), email_rating, bare_command))
    return scored


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--false-alarm", type=float, default=0.01, help="largest share of AESLC train emails it may add to the rude label")
    parser.add_argument("--min-words", type=int, default=35,
                        help="the score alone says rude, and a bare command needs command_below, only in texts this long "
                             "(short sentences score low; a one-line command is a whole message)")
    parser.add_argument("--business", type=int, default=600, help="random AESLC emails per split")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    from backend.config import Settings
    from backend.scoring import Scorer
    from backend.scoring.linear import LinearHead
    from training.classifiers import email_politeness as EP
    from training.evaluate import validation_rows
    from training.textnorm import detokenize

    # the label with evidence only (bare commands in texts of --min-words or more aside), whatever is served
    scorer = Scorer(settings=Settings(rude_command_below=0.0, rude_without_evidence_below=0.0, rude_rating_below=0.0,
                                      rude_without_evidence_min_words=args.min_words))
    # The score thresholds go up to the head's: at it a bare command is evidence as blame is, and the score alone
    # would flag every email the evidence rule needs evidence for.
    rude_below = float(LinearHead.load("politeness").meta["rude_below"])
    rated = D.human_rated_emails()
    cross_fitted = EP.grouped_cv(*EP.served_fit_inputs())  # in the order of D.human_rated_emails()

    def rated_in(seeds) -> list[Scored]:
        idx = [i for i, e in enumerate(rated) if e.seed in seeds]
        return score_all(scorer, rude_below, [rated[i].text for i in idx], [rated[i].rating for i in idx],
                         [float(cross_fitted[i]) for i in idx])

    calibration, held_out = rated_in(TRAINING_SEEDS), rated_in(CHECK_SEEDS)
    rows = validation_rows()
    sentences = score_all(scorer, rude_below, [detokenize(r["source"]) for r in rows], [None] * len(rows))
    business = {split: score_all(scorer, rude_below, D.random_emails(split, args.business), [None] * args.business)
                for split in ("train", "dev")}
    # each threshold in turn, counting what it adds to the label with the ones before
    label = Thresholds(min_words=args.min_words)
    steps = {"blame or face-threat evidence only": label}
    for name, up_to, step in (("command_below", rude_below, "with command_below"), ("alone_below", rude_below, "and alone_below"),
                              ("rating_below", IMPOLITE_BELOW, "and rating_below")):
        label = replace(label, **{name: choose(calibration, business["train"], up_to, args.false_alarm, label, name)})
        steps[step] = label
    results = {"rude_below": rude_below, "command_below": label.command_below, "alone_below": label.alone_below,
               "rating_below": label.rating_below, "min_words": args.min_words, "impolite_below_rating": IMPOLITE_BELOW,
               "false_alarm_budget": args.false_alarm, "splits": {}}
    for name, scored in [("calibration (seeds 1-12)", calibration), ("held out (seeds 13-24)", held_out),
                         ("AESLC train", business["train"]), ("AESLC dev", business["dev"]), ("JFLEG validation sentences", sentences)]:
        results["splits"][name] = {step: summary(scored, t) for step, t in steps.items()}
        # the label before this calibration: a bare command was evidence wherever blame was
        results["splits"][name]["bare commands as evidence (before 2026-12-02), alone_below and rating_below"] = summary(
            scored, replace(label, command_below=rude_below))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    return results


if __name__ == "__main__":
    main()
