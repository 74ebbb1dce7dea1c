"""Training and evaluation of the sentiment and politeness classifiers (backend/scoring)."""
