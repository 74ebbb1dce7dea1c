"""A linear head stored as a small .npz (weights folded with the training standardisation)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"


class LinearHead:
    def __init__(self, coef: np.ndarray, intercept: np.ndarray, classes: list[str], meta: dict) -> None:
        self.coef = np.atleast_2d(coef).astype(np.float32)  # (k, d); k == 1 for a binary head
        self.intercept = np.atleast_1d(intercept).astype(np.float32)
        self.classes = classes
        self.meta = meta

    @classmethod
    def load(cls, name: str, directory: Path = WEIGHTS_DIR) -> "LinearHead":
        with np.load(directory / f"{name}.npz", allow_pickle=False) as z:
            return cls(z["coef"], z["intercept"], [str(c) for c in z["classes"]], json.loads(str(z["meta"])))

    def save(self, name: str, directory: Path = WEIGHTS_DIR) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{name}.npz"
        np.savez_compressed(
            path,
            coef=self.coef.astype(np.float16 if self.meta.get("float16") else np.float32),
            intercept=self.intercept,
            classes=np.array(self.classes),
            meta=np.array(json.dumps(self.meta, sort_keys=True)),
        )
        return path

    @classmethod
    def from_sklearn(cls, model, scaler, classes: list[str], meta: dict) -> "LinearHead":
        """Fold a StandardScaler into the LogisticRegression weights: x -> (x - mean) / scale."""
        coef = model.coef_ / scaler.scale_
        intercept = model.intercept_ - coef @ scaler.mean_
        return cls(coef, intercept, classes, meta)

    def logits(self, x: np.ndarray) -> np.ndarray:
        return np.atleast_2d(x).astype(np.float32) @ self.coef.T + self.intercept

    def proba(self, x: np.ndarray) -> np.ndarray:
        z = self.logits(x)
        if z.shape[1] == 1:
            p = 1.0 / (1.0 + np.exp(-z[:, 0]))
            return np.stack([1 - p, p], axis=1)
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)
