"""The pure-Python parts: email segmentation and strategy extraction."""

import pytest

from backend.scoring import strategies
from backend.scoring.text_units import units

pytestmark = pytest.mark.fast


def test_greeting_and_signoff_join_the_sentences():
    got = units("Hi Sam,\nI attached the report. Let me know if anything is missing.\nThanks,\nDana")
    assert got == ["Hi Sam, I attached the report.", "Let me know if anything is missing. Thanks, Dana"]


def test_quoted_thread_is_not_scored():
    got = units("Sounds good.\n\n-----Original Message-----\nFrom: x\nYou idiot.")
    assert got == ["Sounds good."]


def test_empty_text_has_no_units():
    assert units("") == [] and units(" \n\n ") == []


def test_long_email_is_capped():
    assert len(units("This is a sentence. " * 200)) <= 16


def test_please_start_is_a_command_but_please_inside_is_polite():
    found = {r.strategy for r in strategies.reasons("Please stop editing this page.", show_missing=False)}
    assert "direct_command" in found and "please" not in found
    found = {r.strategy for r in strategies.reasons("Could you please stop editing this page?", show_missing=False)}
    assert "please" in found and "direct_command" not in found


def test_feature_vector_matches_names():
    assert len(strategies.features("Thanks!")) == len(strategies.NAMES)
    assert strategies.features("Thanks!")[strategies.NAMES.index("gratitude")] == 1.0

