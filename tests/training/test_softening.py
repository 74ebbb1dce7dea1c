"""Tone training pairs: harsh sentences put into real emails, and the rated emails of the training scenarios."""

import random

import pytest

from tests.training.conftest import needs_data
from backend.chunking import lines
from backend.softening import soften
from training.data import email_tone_pairs
from training.data.softening import HARSH, HARSH_REPLY, harshen, rated_pairs

pytestmark = pytest.mark.fast


def test_insults_aimed_at_the_reader_get_milder_words_too():
    assert soften("Your last message was arrogant. I'm tired of chasing you.", random.Random(0), thank=False) == (
        "Your last message was firm. I would like to stop chasing you.")
    assert soften("You ignored my last two emails.", random.Random(0), thank=False) == "You may have missed my last two emails."
    # every harsh sentence the training pairs use gets softer (three of them by the thanks alone)
    assert all(soften(h, random.Random(0)) != h for h in HARSH)
    assert sum(soften(h, random.Random(0), thank=False) == h for h in HARSH) == 3


def test_a_reply_that_pushes_back_keeps_its_objection_and_loses_the_attack():
    assert soften("Spare me the lecture. Your accusations are baseless.", random.Random(0), thank=False) == (
        "I understand your point. Your concerns are not yet supported.")
    assert soften("Stop pointing fingers at my team.", random.Random(0), thank=False) == "Let us not single out my team."
    # every one gets a milder word, not just the thanks
    assert not [h for h in HARSH_REPLY if soften(h, random.Random(0), thank=False) == h]


def test_harshening_puts_harsh_sentences_into_the_body_and_keeps_greeting_and_signature():
    email = "Hi Sam,\nThe meeting moved to 3 pm on Thursday.\nBest,\nDana"
    harsh = harshen(email, random.Random(3))
    assert harsh.startswith("Hi Sam,\n") and harsh.endswith("\nBest,\nDana")
    assert any(sentence in harsh for sentence in HARSH)
    assert soften(harsh, random.Random(3)) != harsh
    assert len(lines(harsh)) == len(lines(email))


@needs_data()
def test_rated_pairs_come_from_the_training_scenarios_only():
    from training.classifiers.data import human_rated_emails

    seeds = {e.email_id: e.seed for e in human_rated_emails(email_tone_pairs.corpus_path())}
    found = rated_pairs()
    assert found and all(seeds[int(pair_id.split(".")[0])] in email_tone_pairs.TRAINING_SEEDS for pair_id, _, _ in found)
    assert all(source != target for _, source, target in found)

