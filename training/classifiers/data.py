"""Loaders for the public corpora (read from ../shared/data, never copied) and an embedding cache."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__import__("os").environ.get("SHARED_DATA", ROOT.parent / "shared" / "data"))
BUILD = ROOT / "training" / "build" / "classifiers"  # git-ignored


def politeness(domain: str) -> tuple[list[str], np.ndarray]:
    """Requests and their `Normalized Score` (domain: "wikipedia" or "stack-exchange")."""
    path = DATA / "politeness" / f"{domain}.annotated.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r["Request"] for r in rows], np.array([float(r["Normalized Score"]) for r in rows])


def quartile_task(texts: list[str], scores: np.ndarray) -> tuple[list[str], np.ndarray]:
    """The 2013 paper's balanced binary task: top quartile (polite, 1) vs bottom quartile (impolite, 0)."""
    lo, hi = np.quantile(scores, [0.25, 0.75])
    keep = [i for i, s in enumerate(scores) if s <= lo or s >= hi]
    return [texts[i] for i in keep], np.array([1 if scores[i] >= hi else 0 for i in keep])


def tweeteval(split: str) -> tuple[list[str], list[str]]:
    rows = [json.loads(line) for line in (DATA / "sentiment" / f"tweeteval_{split}.jsonl").open(encoding="utf-8")]
    return [r["text"] for r in rows], [r["label"] for r in rows]


def emails(split: str = "dev") -> list[str]:
    return [json.loads(line)["body"] for line in (DATA / "emails" / f"aeslc_{split}.jsonl").open(encoding="utf-8")]


def embed_cached(texts: list[str], name: str) -> np.ndarray:
    """Sentence embeddings of `texts`, cached under training/build by content hash."""
    from backend.scoring.embedding import shared_embedder

    digest = hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:16]
    path = BUILD / f"emb_{name}_{digest}.npy"
    if path.exists():
        return np.load(path)
    BUILD.mkdir(parents=True, exist_ok=True)
    vectors = shared_embedder().embed(texts)
    np.save(path, vectors)
    return vectors
