"""The boosted-trees head (backend/scoring/trees.py) predicts what the sklearn model it was exported from predicts."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.ensemble import GradientBoostingRegressor

from backend.scoring.trees import BoostedTrees

pytestmark = pytest.mark.fast


def test_exported_trees_predict_as_sklearn_after_a_save_and_load(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(400, 8)).astype(np.float32)
    y = 2 * X[:, 0] + np.sin(3 * X[:, 1]) + (X[:, 2] > 0.5)
    model = GradientBoostingRegressor(n_estimators=50, max_depth=3, learning_rate=0.1, min_samples_leaf=5, random_state=0)
    model.fit(X, y, sample_weight=rng.uniform(0.5, 2.0, len(y)))
    BoostedTrees.from_sklearn(model, {"features": [f"x{i}" for i in range(8)]}).save("trees", tmp_path)
    trees = BoostedTrees.load("trees", tmp_path)
    new = rng.normal(size=(200, 8))
    # the thresholds themselves, and points on them, which a wrong comparison or cast would send the other way
    on_thresholds = np.tile(new[:1], (len(model.estimators_), 1))
    for i, estimator in enumerate(model.estimators_[:, 0]):
        on_thresholds[i, estimator.tree_.feature[0]] = estimator.tree_.threshold[0]
    for x in (new, on_thresholds, new[0]):
        assert np.allclose(trees.predict(x), model.predict(np.atleast_2d(x)), rtol=0, atol=1e-9)
    assert trees.meta["features"][0] == "x0"
