"""The criticism head: which sentences criticise the reader, as evidence for the rude label (issue 15).

    python -m training.classifiers.criticism      # fit, choose its thresholds, print the checks; ~1 min
    (python -m training.classifiers.train runs it too and writes backend/scoring/weights/criticism.npz)

The served label asked for a criticising word from a lexicon, and emails people rate impolite are mostly
cold ("It's a pity that I have to remind you, yet again...", "try to ensure a minimal level of
competence"): held out, the lexicon found 12 of 41. This head reads the politeness features of each
sentence ([strategies | VADER | embedding], the same rows the politeness head reads, so it costs one dot
product) and is trained on:
- positives: sentences of the rated emails of scenarios 1-12 whose gold face acts include HPos- (a threat
  to the hearer's positive face: criticism, disapproval, contempt);
- negatives: their other sentences, and every sentence of `business_negatives` clean-looking AESLC train
  emails (real business mail rarely criticises its reader; without them a sentence of 28 of 300 AESLC
  dev emails reached the chosen threshold; with them the head labels none the lexicon does not).
An email is labelled rude when one sentence reaches `rude_from` and its politeness is below
`politeness_below` (backend/scoring/politeness.py). These two and the head's C are chosen here on
scenarios 1-12 only, each email scored by a head that did not see its scenario (`choose`): the most
impolite emails (rating < 2.5) found, adding at most `max_acceptable` emails rated 2.5 or more and at
most `max_business` of `business_check` other AESLC train emails of any kind to those the lexicon alone
labels rude. Scenarios 13-24 (the tone check's), AESLC dev and the JFLEG validation sentences are
reported, never used to choose."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict, dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline

from backend.scoring import strategies
from backend.scoring.features import VADER_NAMES, politeness_matrix, politeness_names
from backend.scoring.linear import LinearHead
from backend.scoring.politeness import PolitenessClassifier
from training.classifiers import data as D
from training.classifiers.scaling import Standardiser
from training.data.email_tone_pairs import CHECK_SEEDS, TRAINING_SEEDS

IMPOLITE_BELOW = 2.5  # mean human rating (1 impolite ... 5 polite)


@dataclass
class CriticismSettings:
    C_grid: tuple[float, ...] = (0.01, 0.03, 0.1, 0.3)
    business_negatives: int = 150
    business_check: int = 450
    max_acceptable: int = 1
    max_business: float = 0.01
    rude_from_grid: tuple[float, ...] = (0.6, 0.7, 0.8, 0.9, 0.95)
    politeness_below_grid: tuple[float, ...] = (0.4, 0.5, 0.6, 0.7, 1.01)


@dataclass
class Email:
    """An email as the scorer sees it: its sentences' feature rows and the served politeness verdict without the head."""
    rating: float | None
    seed: int | None
    rows: np.ndarray
    p_polite: float
    lexicon_rude: bool


def _model(C: float):
    return make_pipeline(Standardiser(), LogisticRegression(C=C, max_iter=3000, class_weight="balanced"))


def _emails(texts: list[str], name: str, politeness: PolitenessClassifier, ratings=None, seeds=None) -> list[Email]:
    out = []
    for i, (text, (us, e)) in enumerate(zip(texts, D.units_with_vectors(texts, name))):
        if not us:
            continue
        score = politeness.score(text, us, e)
        out.append(Email(None if ratings is None else ratings[i], None if seeds is None else seeds[i],
                         politeness_matrix(us, e), score.value, score.label == "rude"))
    return out


def _tops(model, emails: list[Email]) -> np.ndarray:
    """Each email's most criticising sentence, as a probability."""
    return np.array([model.predict_proba(e.rows)[:, 1].max() for e in emails])


def _rude(email: Email, top: float, rude_from: float, politeness_below: float) -> bool:
    return email.lexicon_rude or (top >= rude_from and email.p_polite < politeness_below)


def _counts(emails: list[Email], tops: np.ndarray, rude_from: float = 2.0, politeness_below: float = 0.0) -> dict:
    """How many emails the label calls rude; the default thresholds are out of the head's reach (the lexicon alone)."""
    rude = [_rude(e, t, rude_from, politeness_below) for e, t in zip(emails, tops)]
    rated = [e.rating is not None for e in emails]
    if any(rated):
        imp = [r for r, e in zip(rude, emails) if e.rating < IMPOLITE_BELOW]
        acc = [r for r, e in zip(rude, emails) if e.rating >= IMPOLITE_BELOW]
        return {"impolite": len(imp), "impolite_labelled_rude": int(sum(imp)), "acceptable": len(acc), "acceptable_labelled_rude": int(sum(acc))}
    return {"texts": len(rude), "labelled_rude": int(sum(rude))}


def choose(grid: list[dict], lexicon_acceptable: int, lexicon_business: int, business: int, settings: CriticismSettings) -> dict:
    """The grid point to serve. The label is what is served, so the head's C is chosen with its thresholds, by
    what the label does (the sentence AUC prefers sharper heads, which flag more business email): the most
    impolite emails found within budgets for what the head adds to the lexicon's labels; then the fewest false
    alarms; then the stricter head threshold and the stronger regularisation."""
    allowed = [g for g in grid if g["acceptable_labelled_rude"] - lexicon_acceptable <= settings.max_acceptable
               and g["business_labelled_rude"] - lexicon_business <= settings.max_business * business]
    if not allowed:
        raise ValueError("no threshold keeps the criticism head within its false-alarm budgets")
    return max(allowed, key=lambda g: (g["impolite_labelled_rude"], -g["acceptable_labelled_rude"] - g["business_labelled_rude"],
                                       g["rude_from"], -g["C"]))


def run(settings: CriticismSettings, politeness_head: LinearHead | None = None) -> tuple[dict, LinearHead]:
    """Fit the head, choose its thresholds, and report; returns (metrics, head with thresholds in meta)."""
    from training.data import emails as email_data
    from training.evaluate import validation_rows
    from training.textnorm import detokenize

    politeness = PolitenessClassifier(head=politeness_head, criticism=None)
    rated = D.human_rated_emails()
    seed_of = {e.email_id: e.seed for e in rated}
    sentences = [s for s in D.face_act_sentences() if seed_of[s.email_id] in TRAINING_SEEDS]
    texts = [s.text for s in sentences]
    X = politeness_matrix(texts, D.embed_cached(texts, "faceacts_training_seeds"))
    y = np.array(["HPos-" in s.acts for s in sentences])
    groups = np.array([seed_of[s.email_id] for s in sentences])
    train_emails = email_data.load_emails("train")
    clean = [e["text"] for e in train_emails if email_data.looks_clean(e["text"])][: settings.business_negatives]
    negatives = np.vstack([e.rows for e in _emails(clean, "aeslc_train_clean", politeness)])
    # the check takes every kind of email users send (forwards, notices, terse notes), not only clean-looking ones
    used = set(clean)
    check_texts = [e["text"] for e in train_emails if e["text"] not in used][: settings.business_check]
    check_business = _emails(check_texts, "aeslc_train_any", politeness)

    def fit_without(seed: int | None, C: float):
        keep = groups != seed
        return _model(C).fit(np.vstack([X[keep], negatives]), np.concatenate([y[keep], np.zeros(len(negatives), bool)]))

    # Sentence AUC and email-level tops by leave-one-scenario-out over the training scenarios
    calibration = _emails([e.text for e in rated if e.seed in TRAINING_SEEDS], "rated_training_seeds", politeness,
                          [e.rating for e in rated if e.seed in TRAINING_SEEDS], [e.seed for e in rated if e.seed in TRAINING_SEEDS])
    auc, calibration_tops_by_C = {}, {}
    for C in settings.C_grid:
        sentence_p, tops_c = np.zeros(len(y)), np.zeros(len(calibration))
        for seed in sorted(TRAINING_SEEDS):
            model = fit_without(seed, C)
            sentence_p[groups == seed] = model.predict_proba(X[groups == seed])[:, 1]
            in_seed = [i for i, e in enumerate(calibration) if e.seed == seed]
            tops_c[in_seed] = _tops(model, [calibration[i] for i in in_seed])
        auc[C], calibration_tops_by_C[C] = round(float(roc_auc_score(y, sentence_p)), 3), tops_c

    grid, full_by_C = [], {C: fit_without(None, C) for C in settings.C_grid}
    for C in settings.C_grid:
        # the business emails checked are not in any fold's training rows, so the head fit on all scenarios scores them
        business_tops = _tops(full_by_C[C], check_business)
        for rude_from in settings.rude_from_grid:
            for below in settings.politeness_below_grid:
                cal = _counts(calibration, calibration_tops_by_C[C], rude_from, below)
                bus = _counts(check_business, business_tops, rude_from, below)
                grid.append({"C": C, "rude_from": rude_from, "politeness_below": below, **cal, "business_labelled_rude": bus["labelled_rude"]})
    best = choose(grid, _counts(calibration, np.zeros(len(calibration)))["acceptable_labelled_rude"],
                  _counts(check_business, np.zeros(len(check_business)))["labelled_rude"], len(check_business), settings)
    C, rude_from, below = best["C"], best["rude_from"], best["politeness_below"]
    full = full_by_C[C]

    held_out = _emails([e.text for e in rated if e.seed in CHECK_SEEDS], "rated_check_seeds", politeness,
                       [e.rating for e in rated if e.seed in CHECK_SEEDS], [e.seed for e in rated if e.seed in CHECK_SEEDS])
    dev_texts = [e["text"] for e in email_data.load_emails("dev") if email_data.looks_clean(e["text"])][:300]
    dev = _emails(dev_texts, "aeslc_dev_clean", politeness)
    jfleg = _emails([detokenize(r["source"]) for r in validation_rows()], "jfleg_validation", politeness)
    splits = {"calibration (scenarios 1-12, cross-fitted)": (calibration, calibration_tops_by_C[C]),
              "held out (scenarios 13-24)": (held_out, _tops(full, held_out)),
              f"AESLC train, {len(check_business)} of any kind, not the negatives": (check_business, _tops(full, check_business)),
              "AESLC dev, clean-looking": (dev, _tops(full, dev)), "JFLEG validation sentences": (jfleg, _tops(full, jfleg))}
    report = {name: {"lexicon only": _counts(em, t), "with the criticism head": _counts(em, t, rude_from, below)}
              for name, (em, t) in splits.items()}
    metrics = {"settings": asdict(settings), "C": C, "rude_from": rude_from, "politeness_below": below,
               "sentences": int(len(y)), "criticising_sentences": int(y.sum()), "business_negative_sentences": int(len(negatives)),
               "sentence_auc_grouped_cv": auc[C], "sentence_auc_by_C": {str(c): a for c, a in auc.items()}, "grid": grid, "splits": report}
    model = full[-1]
    head = LinearHead.from_sklearn(model, full[0], ["other", "criticism"], {
        "trained_on": "sentences of the human-rated emails of scenarios 1-12 (gold face act HPos- = criticism) "
                      f"+ sentences of {settings.business_negatives} clean-looking AESLC train emails (not criticism)",
        "features": politeness_names(X.shape[1] - len(strategies.NAMES) - len(VADER_NAMES)),
        "C": C, "rude_from": rude_from, "politeness_below": below})
    return metrics, head


def print_report(metrics: dict) -> None:
    print(f"criticism head: sentence AUC {metrics['sentence_auc_by_C']} by C (leave-one-scenario-out, scenarios 1-12); "
          f"chosen C {metrics['C']}, rude_from {metrics['rude_from']}, politeness_below {metrics['politeness_below']}")
    for name, rows in metrics["splits"].items():
        print(f"  {name}: " + "; ".join(f"{how} {json.dumps(c)}" for how, c in rows.items()))


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.parse_args(argv)
    metrics, _ = run(CriticismSettings())
    print_report(metrics)
    return metrics


if __name__ == "__main__":
    main()
