"""Pure parts of the email-politeness and sentiment experiments (training/classifiers)."""

import numpy as np

from backend.scoring.linear import LinearHead
from training.classifiers import email_politeness as EP
from training.classifiers.sentiment import disjoint_from


def test_sst2_training_part_drops_parents_and_children_of_held_out_phrases():
    held = ["a gorgeous film"]
    candidates = ["gorgeous", "a gorgeous film , but too long", "a dull film", "film"]
    # "gorgeous" and "film" are inside the held-out phrase; the second contains it; only "a dull film" is new text
    assert list(disjoint_from(held, candidates)) == [2]


def test_email_features_follow_their_names():
    dim = EP.politeness_matrix(["Thanks!"], np.zeros((1, 384), dtype=np.float32)).shape[1]
    heads = LinearHead(np.zeros((len(EP.SENTENCE_OUTPUTS), dim)), np.arange(len(EP.SENTENCE_OUTPUTS), dtype=float),
                       list(EP.SENTENCE_OUTPUTS), {})
    sentences, whole = EP.feature_rows(["Hi Sam, send it.", "Thanks!"], np.eye(2, 384, dtype=np.float32))
    features = EP.email_features(sentences, whole, heads)
    names = EP.email_feature_names()
    assert features.shape == (len(names),)
    assert features[names.index("email_rating_mean")] == 1.0  # the second head's constant output
    assert features[names.index("share_gratitude")] == 0.5  # one sentence of two says thanks
