"""Boosted regression trees stored as a small .npz, evaluated with numpy (serving imports no sklearn).

The email rating's head (backend/scoring/email_rating.py): a linear head could not rate plain business mail
mid-scale without ranking the rated emails worse (training/classifiers/email_politeness.py); shallow trees can."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from backend.scoring.linear import WEIGHTS_DIR

_LEAF = -1


class BoostedTrees:
    def __init__(self, feature: np.ndarray, threshold: np.ndarray, left: np.ndarray, right: np.ndarray, value: np.ndarray,
                 baseline: float, meta: dict) -> None:
        # (trees, nodes) each, padded with leaves; node 0 is a tree's root, `value` already carries the learning rate
        self.feature = feature.astype(np.int32)
        self.threshold = threshold.astype(np.float64)
        self.left, self.right = left.astype(np.int32), right.astype(np.int32)
        self.value = value.astype(np.float64)
        self.baseline = float(baseline)
        self.meta = meta

    @classmethod
    def from_sklearn(cls, model, meta: dict) -> "BoostedTrees":
        """From a fitted sklearn GradientBoostingRegressor (squared error: its start is a constant)."""
        trees = [estimator.tree_ for estimator in model.estimators_[:, 0]]
        nodes = max(t.node_count for t in trees)
        arrays = {name: np.full((len(trees), nodes), fill, dtype=dtype)
                  for name, fill, dtype in (("feature", _LEAF, np.int32), ("threshold", 0.0, np.float64),
                                            ("left", 0, np.int32), ("right", 0, np.int32), ("value", 0.0, np.float64))}
        for i, t in enumerate(trees):
            n = t.node_count
            leaf = t.children_left[:n] == -1
            arrays["feature"][i, :n] = np.where(leaf, _LEAF, t.feature[:n])
            arrays["threshold"][i, :n] = t.threshold[:n]
            arrays["left"][i, :n], arrays["right"][i, :n] = t.children_left[:n], t.children_right[:n]
            arrays["value"][i, :n] = model.learning_rate * t.value[:n, 0, 0]
        return cls(**arrays, baseline=float(np.ravel(model.init_.constant_)[0]), meta=meta)

    @classmethod
    def load(cls, name: str, directory: Path = WEIGHTS_DIR) -> "BoostedTrees":
        with np.load(directory / f"{name}.npz", allow_pickle=False) as z:
            return cls(z["feature"], z["threshold"], z["left"], z["right"], z["value"], float(z["baseline"]), json.loads(str(z["meta"])))

    def save(self, name: str, directory: Path = WEIGHTS_DIR) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{name}.npz"
        np.savez_compressed(path, feature=self.feature, threshold=self.threshold, left=self.left, right=self.right,
                            value=self.value, baseline=np.array(self.baseline), meta=np.array(json.dumps(self.meta, sort_keys=True)))
        return path

    def predict(self, x: np.ndarray) -> np.ndarray:
        # sklearn compares float32 inputs with float64 thresholds: the same casts give the same splits
        x = np.atleast_2d(x).astype(np.float32).astype(np.float64)
        rows = np.arange(len(x))[:, None]
        trees = np.arange(len(self.feature))[None, :]
        node = np.zeros((len(x), len(self.feature)), dtype=np.int32)
        while True:
            feature = self.feature[trees, node]
            inner = feature != _LEAF
            if not inner.any():
                return self.baseline + self.value[trees, node].sum(axis=1)
            goes_left = x[rows, np.maximum(feature, 0)] <= self.threshold[trees, node]
            node = np.where(inner, np.where(goes_left, self.left[trees, node], self.right[trees, node]), node)
