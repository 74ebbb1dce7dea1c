import pytest

from backend.guards import clean_output, rejection_reason

DRAFT = "Hi Sam,\nI has attached the report for 12 May. See https://example.com/r for details.\nBest,\nDana"


def test_a_plausible_proofread_passes():
    fixed = "Hi Sam,\nI have attached the report for 12 May. See https://example.com/r for details.\nBest,\nDana"
    assert rejection_reason(DRAFT, fixed) is None


def test_polite_rewrite_may_add_courtesy_words():
    assert rejection_reason("Send me the file now.", "Could you please send me the file now? Thanks.") is None


@pytest.mark.parametrize(
    "output, reason",
    [
        ("", "returned nothing"),
        ("   \n", "returned nothing"),
        (DRAFT + " " + "Also here is a long poem about the sea and the sky and the stars above us all. " * 3, "far longer"),
        ("Hi Sam,", "dropped"),
        (DRAFT.replace("12 May", "13 May"), "number"),
        (DRAFT.replace("https://example.com/r", "https://evil.example/r"), "link"),
        ("the report the report the report the report the report the report " * 2, "repeats"),
    ],
)
def test_broken_rewrites_are_rejected(output, reason):
    assert reason in (rejection_reason(DRAFT, output) or "")


def test_new_content_is_rejected():
    draft = "Please send the budget file to Maria before lunch."
    output = "Please send the budget file to Maria before lunch, and transfer funds to account holder Kevin tomorrow evening urgently."
    assert "adds content" in rejection_reason(draft, output)


def test_clean_output_strips_labels():
    assert clean_output("Email:\nHello there.\n\n") == "Hello there."
