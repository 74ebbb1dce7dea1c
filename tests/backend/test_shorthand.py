"""The writer's shorthand survives the model (backend/shorthand.py)."""

import pytest

from backend.shorthand import has_shorthand, keep_shorthand

pytestmark = pytest.mark.fast


def test_correct_business_shorthand_is_recognised_and_words_that_contain_it_are_not():
    for text in ("The call moved to 9 a.m. on Friday.", "Congrats on the launch!", "FYI, the deck is attached.",
                 "Send it w/ the Q3 numbers.", "Ping me when you are OK with it."):
        assert has_shorthand(text), text
    for text in ("Thanks for the information.", "The bookkeeping is done.", "Please confirm the amount."):
        assert not has_shorthand(text), text


def test_an_expanded_shorthand_is_put_back_and_the_other_corrections_stay():
    original = "Hi Jo,\nCongrats on the launch! The call is at 9 a.m. and we has the numbers.\nBo"
    rewrite = "Hi Jo,\nCongratulations on the launch! The call is at 9 in the morning and we have the numbers.\nBo"
    assert keep_shorthand(original, rewrite) == "Hi Jo,\nCongrats on the launch! The call is at 9 a.m. and we have the numbers.\nBo"


def test_a_shorthand_the_model_damaged_only_in_part_is_put_back():
    original = "I has the notes from this a.m. call."
    assert keep_shorthand(original, "I have the notes from this.m. call.") == "I have the notes from this a.m. call."


def test_an_edit_next_to_a_shorthand_is_not_touched():
    assert keep_shorthand("FYI teh deck is here.", "FYI, the deck is here.") == "FYI, the deck is here."


def test_a_change_of_case_or_a_completed_abbreviation_is_a_correction():
    assert keep_shorthand("fyi, the deck is attached etc", "FYI, the deck is attached, etc.") == "FYI, the deck is attached, etc."
    assert keep_shorthand("We has the deck.", "We have the deck.") == "We have the deck."  # no shorthand: untouched
