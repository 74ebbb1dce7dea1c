"""Grammar pairs from JFLEG dev: learner sentence -> human fluency correction, detokenized.

Split by sentence id with a fixed seed: `validation_ids()` (about 250 sentences) is never trained on
and is what `training.evaluate` scores with GLEU."""

from __future__ import annotations

import difflib
import random

from training.data.common import data_path, read_jsonl
from training.textnorm import detokenize

# The one definition of the validation split, for building, training and evaluating alike: no recipe
# can change it, so no recipe can train on a sentence that evaluation scores (tests/training/test_data.py).
SPLIT_SEED = 20170403  # fixed forever: changing it would leak validation sentences into training
VALIDATION_SIZE = 250


def load(path=None) -> list[dict]:
    rows = read_jsonl(path or data_path("gec", "jfleg_dev.jsonl"))
    return [{"id": int(r["id"]), "source": r["source"], "references": r["references"]} for r in rows]


def validation_ids(rows: list[dict]) -> set[int]:
    ids = sorted(r["id"] for r in rows)
    random.Random(SPLIT_SEED).shuffle(ids)
    return set(ids[:VALIDATION_SIZE])


def split(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """(training rows, validation rows)."""
    held = validation_ids(rows)
    return [r for r in rows if r["id"] not in held], [r for r in rows if r["id"] in held]


def _closeness(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.split(), b.split()).ratio()


def training_pairs(rows: list[dict], refs_per_source: int = 2) -> list[tuple[str, str, int]]:
    """(source, target, id): the references closest to the source first, because the product wants
    the minimal correction; duplicates dropped."""
    pairs = []
    for row in rows:
        # dict.fromkeys, not set: equally close references keep the annotators' order, so the data
        # (and its manifest hashes) do not change with Python's per-process string hashing.
        refs = sorted(dict.fromkeys(row["references"]), key=lambda ref: -_closeness(row["source"], ref))
        for ref in refs[:refs_per_source]:
            source, target = detokenize(row["source"]), detokenize(ref)
            if source and target:
                pairs.append((source, target, row["id"]))
    return pairs
