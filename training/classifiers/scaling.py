"""Standardisation for the linear heads (folded into their weights by backend.scoring.linear)."""

from __future__ import annotations

import numpy as np
from sklearn.preprocessing import StandardScaler

# A feature whose spread is below this is constant for the heads' purposes.
CONSTANT_BELOW = 1e-6


class Standardiser(StandardScaler):
    """StandardScaler that gives (near-)constant features no weight instead of scaling them up.

    Three dimensions of the int8 sentence encoder are ~1e-33 for every text. Scaled to unit variance,
    their rounding noise became features, and folding the scale into the weights gave them weights of
    ~1e30: a CPU whose integer kernels left 1e-8 in one of them would have swamped every score."""

    def fit(self, X, y=None, sample_weight=None):
        super().fit(X, y, sample_weight)
        self.scale_ = np.where(self.scale_ < CONSTANT_BELOW, np.inf, self.scale_)  # (x - mean) / inf = 0
        return self
