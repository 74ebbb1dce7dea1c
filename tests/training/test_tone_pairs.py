import random

import pytest

from tests.training.conftest import needs_data
from training.data.tone_pairs import blunt, blunt_edits, make_pair, restore

pytestmark = pytest.mark.fast

POLITE = ("Hi Sam,\nCould you please send me the signed contract by Friday?\nI think the numbers in section 2 are fine."
          "\nThank you for your help.\nThanks,\nDana")


def test_blunting_removes_politeness_and_is_reversible():
    rng = random.Random(0)
    edits = blunt_edits(POLITE, rng, opener_probability=1.0)
    rough = blunt(POLITE, edits)
    assert "please" not in rough.lower() and "thank" not in rough.lower() and "could you" not in rough.lower()
    assert "Send me the signed contract by Friday." in rough
    assert "Dana" in rough and "section 2" in rough
    assert restore(rough, POLITE, edits) == POLITE


def test_email_without_politeness_gives_no_pair():
    assert make_pair("The meeting moved to room 5.", random.Random(0)) is None


@needs_data()
def test_reversible_on_real_emails():
    from training.data.emails import load_emails

    emails = load_emails("dev")[:400]
    pairs = 0
    for email in emails:
        rng = random.Random(email["id"])
        pair = make_pair(email["text"], rng)
        if pair:
            pairs += 1
            rough, edits = pair
            assert rough != email["text"]
            assert restore(rough, email["text"], edits) == email["text"]
    assert pairs > 50
