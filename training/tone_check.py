"""Does the proofreader make rude emails politer without losing what they say?

    python -m training.tone_check                          # the shipped model, 30 rude + 40 clean emails
    python -m training.tone_check --adapter runs/x/adapter.gguf --out training/runs/tone-check-x
    python -m training.tone_check --n 2 --clean 2          # a smoke run

Takes the `--n` least polite emails (by their human rating) of the held-out scenarios
(training.data.email_tone_pairs.CHECK_SEEDS: never used for training pairs), proofreads them through
the backend's real `Proofreader` and reports:
- the share judged politer by the politeness scorer (its value went up) and by VADER (its compound
  went up): two judges, because a model trained against one scorer's tone note could learn to please
  that scorer; VADER was never trained on anything here; also by the email rating (how people would rate
  the email, backend/scoring/email_rating.py), which no tone note reads;
- the share of the email's content words (not function words) still in the output;
and, on clean AESLC dev emails (training.evaluate.clean_emails), the share returned unchanged.
The served email rating was fit on all 240 rated emails, these among them, and it can set the rude label
(Settings.rude_rating_below): on its own training emails it would flatter the label and judge drafts it has seen.
So each email is scored with the served recipe fit without its scenario (email_politeness.rater_without), as an
email of a scenario the rating never saw would be; the clean emails, never rated, get the served scorer.
Writes results.json (numbers and email ids only, never text) to `--out`.

Targets (issue 15): >= 80% politer, >= 90% content words kept, clean >= 95% unchanged."""

from __future__ import annotations

import argparse
import json
import re
import shlex
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from backend.scoring.features import vader
from training.classifiers.data import RatedEmail, human_rated_emails
from training.data.email_tone_pairs import CHECK_SEEDS, corpus_path

# backend.config.Settings fields that change what an email labelled rude gets back
TONE_SETTINGS = ("rude_command_below", "rude_without_evidence_below", "rude_rating_below", "tone_retries", "tone_rules")
TARGETS = {"politer_by_scorer": 0.80, "politer_by_vader": 0.80, "content_words_kept": 0.90, "clean_unchanged": 0.95}
_WORD = re.compile(r"[A-Za-z0-9][\w'’-]*")


@dataclass(frozen=True)
class Case:
    email_id: int
    rating: float
    text: str
    seed: int | None = None  # the scenario


def rude_cases(n: int, emails: list[RatedEmail] | None = None) -> list[Case]:
    """The `n` least polite emails of the check scenarios, by their human rating."""
    emails = human_rated_emails(corpus_path()) if emails is None else emails
    held_out = sorted((e for e in emails if e.seed in CHECK_SEEDS), key=lambda e: (e.rating, e.email_id))
    return [Case(e.email_id, e.rating, e.text, e.seed) for e in held_out[:n]]


def content_words(text: str) -> set[str]:
    return {w for w in (m.group(0).lower() for m in _WORD.finditer(text)) if w not in ENGLISH_STOP_WORDS}


def content_kept(source: str, output: str) -> float:
    """Share of the source's content words (names, numbers, nouns, verbs...) still in the output."""
    words = content_words(source)
    return len(words & content_words(output)) / len(words) if words else 1.0


def proofread_with(proofreader, scorer, text: str):
    """`text` proofread with `scorer` in place of the proofreader's own (None: its own)."""
    own = proofreader.scorer
    proofreader.scorer = scorer or own
    try:
        return proofreader.proofread(text)
    finally:
        proofreader.scorer = own


def check(proofreader, cases: list[Case], clean: list[str], scorers: dict | None = None) -> dict:
    """The tone-check numbers for any object with the backend's `proofread(text) -> Result` and `scorer`;
    `scorers`: the scorer to proofread each scenario's emails with, in place of the proofreader's own."""
    per_case = []
    for case in cases:
        started = time.perf_counter()
        result = proofread_with(proofreader, (scorers or {}).get(case.seed), case.text)
        before, after = result.scores_before.politeness, result.scores_after.politeness
        vader_before = vader().polarity_scores(case.text)["compound"]
        vader_after = vader().polarity_scores(result.corrected)["compound"]
        per_case.append({
            "email_id": case.email_id, "human_rating": round(case.rating, 3), "changed": result.changed,
            "politeness_before": before.value, "politeness_after": after.value,
            "label_before": before.label, "label_after": after.label,
            "vader_before": vader_before, "vader_after": vader_after,
            "politer_by_scorer": after.value > before.value, "politer_by_vader": vader_after > vader_before,
            # the email rating (its fit saw these drafts): None for a text too short to rate
            "rating_before": before.rating, "rating_after": after.rating,
            "content_words_kept": round(content_kept(case.text, result.corrected), 4),
            "kept_original": any(f.guarded for f in result.fallbacks),
            "seconds": round(time.perf_counter() - started, 2),
        })
    unchanged = [proofreader.proofread(email).corrected == email for email in clean]
    n = max(len(per_case), 1)

    def share(key: str) -> float:
        return sum(bool(c[key]) for c in per_case) / n

    return {
        "cases": len(per_case),
        "politer_by_scorer": share("politer_by_scorer"),
        "politer_by_vader": share("politer_by_vader"),
        "politer_by_both": sum(c["politer_by_scorer"] and c["politer_by_vader"] for c in per_case) / n,
        "politer_by_rating": sum(c["rating_before"] is not None and c["rating_after"] is not None
                                 and c["rating_after"] > c["rating_before"] for c in per_case) / n,
        "content_words_kept": sum(c["content_words_kept"] for c in per_case) / n,
        "changed": share("changed"),
        "kept_original_by_guards": share("kept_original"),
        "rude_before": sum(c["label_before"] == "rude" for c in per_case) / n,
        "rude_after": sum(c["label_after"] == "rude" for c in per_case) / n,
        "mean_politeness_change": sum(c["politeness_after"] - c["politeness_before"] for c in per_case) / n,
        "clean_emails": len(clean),
        "clean_unchanged": sum(unchanged) / max(len(clean), 1),
        "per_case": per_case,
    }


# (what it is, results key, table column): the shares the check reports, in the order it prints them
MEASURES = [("judged politer by the politeness scorer", "politer_by_scorer", "politer: scorer"),
            ("judged politer by VADER", "politer_by_vader", "VADER"), ("judged politer by both", "politer_by_both", "both"),
            ("rated politer by the email rating", "politer_by_rating", "rating"),
            ("content words kept", "content_words_kept", "content kept"), ("changed at all", "changed", "changed"),
            ("rewrite refused by a guard", "kept_original_by_guards", "guard refused"),
            ("labelled rude before", "rude_before", "rude before"), ("labelled rude after", "rude_after", "rude after"),
            ("clean AESLC emails unchanged", "clean_unchanged", "clean unchanged")]


def wilson_interval(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """95% Wilson score interval of a share: with 30 emails one email is 3.3 points, and the interval says how
    far apart two checks must be before the difference means something."""
    if n == 0:
        return 0.0, 1.0
    share = successes / n
    centre = (share + z * z / (2 * n)) / (1 + z * z / n)
    half = z * (share * (1 - share) / n + z * z / (4 * n * n)) ** 0.5 / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def report(results: dict) -> str:
    lines = [f"Tone check: {results['cases']} least polite emails of the held-out scenarios; model {results['model']}; "
             f"a bare command in an email evidence below {results.get('rude_command_below', 1.0)} (1: as blame); "
             f"length-aware rude label below {results.get('rude_without_evidence_below', 0)} (0: off); "
             f"rude from an email rating below {results.get('rude_rating_below', 0)} (0: off; the rating "
             f"{results.get('email_rating', 'as served')}); "
             f"softening rules {'on' if results.get('tone_rules') else 'off'}; "
             f"{results['clean_emails']} clean emails.", "",
             "| measure | value | 95% interval | target |", "|---|---|---|---|"]
    for label, key, _ in MEASURES:
        target = f">= {100 * TARGETS[key]:.0f}%" if key in TARGETS else ""
        value, interval = f"{100 * results[key]:.1f}%" if key in results else "not measured then", ""
        n = results["clean_emails"] if key == "clean_unchanged" else results["cases"]
        if key in results and n == 0:
            value = "not measured (0 emails)"
        elif key in results and key != "content_words_kept":  # a count of emails, not a mean of per-email shares
            low, high = wilson_interval(round(results[key] * n), n)
            value, interval = f"{value} ({round(results[key] * n)} of {n})", f"{100 * low:.0f}-{100 * high:.0f}%"
        lines.append(f"| {label} | {value} | {interval} | {target} |")
    lines.append(f"| mean politeness change (0-1 scale) | {results['mean_politeness_change']:+.3f} | | |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--adapter", default="default", help="'default' (the shipped adapter), 'none', or a GGUF adapter path")
    parser.add_argument("--base", default="gemma3-270m")
    parser.add_argument("--n", type=int, default=30, help="how many of the least polite held-out emails")
    parser.add_argument("--clean", type=int, default=40, help="how many clean AESLC dev emails")
    parser.add_argument("--threads", type=int, default=2, help="llama.cpp threads")
    parser.add_argument("--out", type=Path, default=Path("training/runs/tone-check"))
    args = parser.parse_args(argv)

    from backend.config import Settings, environment_overrides
    from backend.llama_runtime import chosen_build
    from backend.scoring import Scorer
    from training.classifiers.email_politeness import rater_without, served_fit_inputs
    from training.evaluate import ModelSpec, clean_emails, make_proofreader

    started = time.time()
    proofreader = make_proofreader(ModelSpec(label="tone-check", base=args.base, adapter=args.adapter), Scorer(), args.threads)
    settings = Settings()
    cases = rude_cases(args.n)
    inputs = served_fit_inputs()
    scorers = {seed: Scorer(rater=rater_without(seed, inputs)) for seed in sorted({c.seed for c in cases})}
    # The serving settings that decide what a rude email gets: the label (which emails are asked to soften), retries
    # (sample again when greedy leaves one rude) and the softening rules, recorded for the results table; the
    # command carries the environment that set them, so it reruns the same check.
    results = {"model": f"{args.base} + adapter {args.adapter}",
               "command": environment_overrides() + "python -m training.tone_check " + shlex.join(sys.argv[1:] if argv is None else argv),
               **{name: getattr(settings, name) for name in TONE_SETTINGS},
               # llama.cpp's kernels differ by CPU, and so do the model's outputs, a little (models/README.md)
               "llama_kernels": chosen_build().name,
               "email_rating": "fit without the email's scenario",  # the served one was fit on these emails
               **check(proofreader, cases, clean_emails(args.clean), scorers),
               "seconds": round(time.time() - started, 1)}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=1))
    print(report(results))
    return results


if __name__ == "__main__":
    main()
