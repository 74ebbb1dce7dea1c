import math

import pytest

from training.gleu import corpus_gleu, sentence_stats

pytestmark = pytest.mark.fast

S = "the cat sat down".split()
R = "the cat sits down".split()


def test_hypothesis_equal_to_reference_scores_one():
    assert corpus_gleu([S], [R], [[R]]) == pytest.approx(1.0)


def test_hand_computed_case():
    # precisions 4/5, 3/4, 2/3, 1/2; no brevity penalty (hyp longer) -> (0.2) ** (1/4)
    hyp = "the cat sits down now".split()
    assert sentence_stats(S, hyp, R) == [5, 4, 4, 5, 3, 4, 2, 3, 1, 2]
    assert corpus_gleu([S], [hyp], [[R]]) == pytest.approx(0.2 ** 0.25)


def test_keeping_a_source_ngram_the_reference_fixed_is_penalised():
    # "sat" is in the source but not the reference: copying it subtracts a match
    assert sentence_stats(S, S, R)[2:4] == [3 - 1, 4]
    assert corpus_gleu([S], [S], [[R]]) < corpus_gleu([S], [R], [[R]])


def test_brevity_penalty():
    hyp = "the cat sits".split()
    stats = sentence_stats(S, hyp, R)
    assert stats[:2] == [3, 4]
    assert corpus_gleu([S], [hyp], [[R]]) == 0.0  # no 4-gram at all: zero precision, as in the reference script


def test_several_references_average_over_draws():
    other = "a cat is sitting down".split()
    both = corpus_gleu([S], [R], [[R, other]], iterations=200)
    only_r = corpus_gleu([S], [R], [[R]])
    only_other = corpus_gleu([S], [R], [[other]])
    assert min(only_r, only_other) < both < max(only_r, only_other)
    assert math.isclose(corpus_gleu([S], [R], [[R, R]]), only_r)
