"""Minimal softening rules: milder words, requests for demands, one thanks; every fact stays."""

import random
import re

import pytest

from backend.chunking import lines
from backend.softening import soften

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


def test_a_thanks_is_only_added_where_the_email_has_none():
    thanked = "Team,\nSend the numbers today.\nThanks,\nMaria"
    assert soften(thanked, random.Random(0)) == "Team,\nPlease send the numbers today.\nThanks,\nMaria"
    assert soften("The draft was mediocre.", random.Random(0), thank=False) == "The draft was uneven."


def test_without_a_random_source_the_thanks_is_the_one_that_fits_any_email():
    assert soften("Dan,\nThe totals were sloppy.\nMaria") == "Dan,\nThe totals were rushed. Thank you for your time.\nMaria"


def test_an_article_follows_the_milder_word_and_a_noun_after_a_determiner_stays():
    assert soften("We saw an alarming delay.", thank=False) == "We saw a concerning delay."
    assert soften("A supposed expert wrote it.", thank=False) == "An expert wrote it."
    assert soften("This is nonsense.", thank=False) == "This is unclear."
    # "unclear" is no noun: "this unclear" would not read
    assert soften("Stop this nonsense.", thank=False) == "Stop this nonsense."
    assert soften("Stop this neo-Keynesian nonsense.", thank=False) == "Stop this neo-Keynesian nonsense."


def test_a_name_or_title_is_not_softened_but_a_sentence_start_and_i_are():
    assert soften("We treat Thyroid Deficiency and more.", thank=False) == "We treat Thyroid Deficiency and more."
    assert soften("Deficiencies remain. Frankly, I expect more.", thank=False) == "Gaps remain. I would appreciate more."
