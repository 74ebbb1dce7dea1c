import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.diff import changed_word_share, word_diff

pytestmark = pytest.mark.fast


def _joined(segments, side):
    return "".join(getattr(s, side) for s in segments)


@given(st.text(max_size=200), st.text(max_size=200))
def test_diff_reconstructs_both_texts(original, corrected):
    segments = word_diff(original, corrected)
    assert _joined(segments, "original") == original
    assert _joined(segments, "corrected") == corrected


def test_diff_marks_word_changes_and_keeps_spaces():
    segments = word_diff("I has a apple.", "I have an apple.")
    changes = [(s.original, s.corrected) for s in segments if s.op != "equal"]
    assert changes == [("has a", "have an")]


def test_rejecting_a_change_restores_that_word_only():
    segments = word_diff("Helo Sam, the meeting are moved.", "Hello Sam, the meeting is moved.")
    changed = [i for i, s in enumerate(segments) if s.op != "equal"]
    assert len(changed) == 2
    first_rejected = "".join(s.original if i == changed[0] else s.corrected for i, s in enumerate(segments))
    assert first_rejected == "Helo Sam, the meeting is moved."


def test_changed_word_share():
    assert changed_word_share("a b c d", "a b c d") == 0.0
    assert changed_word_share("a b c d", "a x c d") == 0.25
