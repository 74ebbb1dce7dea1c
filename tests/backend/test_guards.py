import pytest

from backend.guards import clean_output, refusal, rejection_reason
from backend.types import Fallback

pytestmark = pytest.mark.fast

DRAFT = "Hi Sam,\nI has attached the report for 12 May. See https://example.com/r for details.\nBest,\nDana"


def test_a_plausible_proofread_passes():
    fixed = "Hi Sam,\nI have attached the report for 12 May. See https://example.com/r for details.\nBest,\nDana"
    assert rejection_reason(DRAFT, fixed) is None


def test_polite_rewrite_may_add_courtesy_words():
    assert rejection_reason("Send me the file now.", "Could you please send me the file now? Thanks.") is None


@pytest.mark.parametrize(
    "output, reason",
    [
        ("", Fallback.EMPTY_REWRITE),
        ("   \n", Fallback.EMPTY_REWRITE),
        (DRAFT + " " + "Also here is a long poem about the sea and the sky and the stars above us all. " * 3, Fallback.FAR_LONGER),
        ("Hi Sam,", Fallback.DROPPED_TEXT),
        (DRAFT.replace("12 May", "13 May"), Fallback.CHANGED_FACT),
        (DRAFT.replace("https://example.com/r", "https://evil.example/r"), Fallback.CHANGED_FACT),
        ("the report the report the report the report the report the report " * 2, Fallback.REPEATS),
    ],
)
def test_broken_rewrites_are_rejected(output, reason):
    assert rejection_reason(DRAFT, output) == reason


def test_new_content_is_rejected():
    draft = "Please send the budget file to Maria before lunch."
    output = "Please send the budget file to Maria before lunch, and transfer funds to account holder Kevin tomorrow evening urgently."
    assert rejection_reason(draft, output) == Fallback.ADDED_CONTENT


def test_a_rewrite_cut_off_at_the_token_limit_is_refused_even_when_plausible():
    fixed = DRAFT.replace("I has", "I have")
    assert refusal(DRAFT, fixed, "stop") is None
    assert refusal(DRAFT, fixed, "length") == Fallback.CUT_OFF
    assert refusal(DRAFT, "", "length") == Fallback.EMPTY_REWRITE  # the guard that saw more says why


def test_every_fallback_has_a_message_and_only_guards_refuse_rewrites():
    assert all(f.message for f in Fallback)
    assert {f for f in Fallback if not f.refused_rewrite} == {Fallback.NO_WORDS, Fallback.NOT_ENGLISH}


def test_clean_output_strips_labels():
    assert clean_output("Email:\nHello there.\n\n") == "Hello there."
