"""Minimal softening targets: milder words, requests for demands, one thanks; every fact stays."""

import random
import re

import pytest

from tests.training.conftest import needs_data
from backend.chunking import lines
from training.data import email_tone_pairs
from training.data.softening import HARSH, HARSH_REPLY, harshen, rated_pairs, soften

pytestmark = pytest.mark.fast

HARSH_EMAIL = ("Hi Alfonso,\n\nYour report on the 12 Q3 accounts was sloppy. You need to fix the totals by Friday. "
               "Send the file to Dana.\n\nDiane Ng\nSenior Analyst")


def _facts(text: str) -> set[str]:
    return set(re.findall(r"\d+|[A-Z][a-z]+\b", text)) - {"Your", "You", "Send", "Please", "Thank", "Thanks", "The"}


def test_a_harsh_email_gets_milder_words_requests_and_one_thanks_before_its_signature():
    soft = soften(HARSH_EMAIL, random.Random(0))
    assert "sloppy" not in soft and "was rushed" in soft
    assert "Please fix the totals by Friday." in soft and "Please send the file to Dana." in soft
    assert soft.endswith("\n\nDiane Ng\nSenior Analyst")
    assert re.search(r"Please send the file to Dana\. Thank", soft)  # at the end of the last paragraph
    assert len(lines(soft)) == len(lines(HARSH_EMAIL))
    assert _facts(HARSH_EMAIL) <= _facts(soft)


def test_nothing_to_soften_in_a_polite_email():
    polite = "Hi Sam,\n\nCould you send the 3 slides by Monday? Thanks a lot.\n\nBest,\nDana"
    assert soften(polite, random.Random(0)) == polite


def test_blame_words_go_but_an_obligation_stays():
    assert soften("Your supposed expertise did not show.", random.Random(0), thank=False) == "Your expertise did not show."
    assert soften("You were supposed to call them.", random.Random(0), thank=False) == "You were supposed to call them."


def test_an_expectation_becomes_a_request_that_still_reads_as_english():
    assert soften("I expect a status on every task.", random.Random(0), thank=False) == "I would appreciate a status on every task."
    assert soften("I expect every task to have a status.", random.Random(0), thank=False) == "I would like every task to have a status."


def test_a_deleted_opener_leaves_a_capitalised_sentence():
    assert soften("Frankly, your work was sloppy.", random.Random(0), thank=False) == "Your work was rushed."
    assert soften("Fine. Seriously, the summary is pointless.", random.Random(0), thank=False) == "Fine. The summary is not yet useful."
    assert soften("Try to be on time for once.", random.Random(0), thank=False) == "Please try to be on time."


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


def test_a_thanks_is_only_added_where_the_email_has_none():
    thanked = "Team,\nSend the numbers today.\nThanks,\nMaria"
    assert soften(thanked, random.Random(0)) == "Team,\nPlease send the numbers today.\nThanks,\nMaria"
    assert soften("The draft was mediocre.", random.Random(0), thank=False) == "The draft was uneven."


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
