import pytest

from training.textnorm import detokenize, tokenize

pytestmark = pytest.mark.fast


def test_detokenize_jfleg_style():
    assert detokenize("I do n't think it 's true , is it ?") == "I don't think it's true, is it?"


def test_tokenize_matches_jfleg_conventions():
    assert tokenize("I don't think it's true, is it?") == "I do n't think it 's true , is it ?"
    # JFLEG splits only the final period; "3.5" and "9:00" stay whole
    assert tokenize("It costs 3.5 dollars. We meet at 9:00.") == "It costs 3.5 dollars. We meet at 9:00 ."


def test_round_trip():
    for text in ["So I think we can not live if old people could not find siences .",
                 "Students ( like me ) need money , do n't they ?"]:
        assert tokenize(detokenize(text)) == text
