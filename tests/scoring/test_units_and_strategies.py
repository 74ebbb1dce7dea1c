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
    # criticism is evidence for the label only: the trained heads never read it
    assert "criticism" not in strategies.NAMES


def test_criticisms_count_different_phrases_of_blame():
    assert strategies.criticisms("Your work was sloppy. Sloppy again! You failed to call.") == 2
    assert strategies.criticisms("Thanks for the quick turnaround on the Q3 numbers.") == 0
    assert strategies.criticisms("Your attitude was childish, and you ignored my emails.") == 3



def test_a_subject_line_at_the_top_is_skipped_not_taken_for_a_thread():
    email = "Subject: Q3 budget review\n\nHi Alfonso,\n\nPlease send me the figures by Friday.\n\nThanks,\nDiane"
    assert units(email) == ["Hi Alfonso, Please send me the figures by Friday. Thanks, Diane"]


def test_a_pasted_header_block_is_metadata():
    email = ("From: Diane Ng <diane@example.com>\nTo: Alfonso Ruiz <alfonso@example.com>\nCc: team@example.com\n"
             "Date: Tue, 3 Mar 2020 09:14:00 -0800\nSubject: RE: Trading research\n\n"
             "Alfonso,\nThe report is late again. Fix it today.\nDiane")
    assert units(email) == ["Alfonso, The report is late again.", "Fix it today. Diane"]


def test_a_top_posted_gmail_reply_drops_the_attributed_quote():
    email = ("Sure, Thursday works for me.\n\nBest,\nSam\n\n"
             "On Tue, Mar 3, 2020 at 9:14 AM Dana Smith <\ndana@example.com> wrote:\n\n"
             "Could we meet on Thursday?\nYou never answer on time.")
    assert units(email) == ["Sure, Thursday works for me. Best, Sam"]


def test_an_outlook_reply_drops_everything_from_the_from_header():
    email = ("Hi Dana,\nThe contract is attached.\nRegards,\nSam\n\n________________________________\n"
             "From: Dana Smith <dana@example.com>\nSent: Tuesday, March 3, 2020 9:14 AM\nTo: Sam Lee\n"
             "Subject: contract\n\nWhere is the contract? This is ridiculous.")
    assert units(email) == ["Hi Dana, The contract is attached. Regards, Sam"]
    no_separator = email.replace("________________________________\n", "")
    assert units(no_separator) == ["Hi Dana, The contract is attached. Regards, Sam"]


def test_a_reply_below_quoted_lines_is_kept():
    email = ("On Mon, 2 Mar 2020 at 17:01, Dana Smith <dana@example.com> wrote:\n> Can you send the slides?\n>\n"
             "> Thanks\n\nYes, I will send them tonight.\nSam")
    assert units(email) == ["Yes, I will send them tonight. Sam"]


def test_header_words_inside_the_writers_text_are_text():
    email = "Hi all,\nThe offsite is confirmed.\nDate: Friday 12 June\nTo: everyone in the Houston office\nSee you there.\nMaria"
    assert units(email) == ["Hi all, The offsite is confirmed.", "Date: Friday 12 June",
                            "To: everyone in the Houston office See you there. Maria"]


def test_a_long_line_that_starts_like_a_header_is_prose():
    email = ("Subject: Access Card Information  Dear Colleagues,  We know you have many questions about your new benefits "
             "plan, payroll issues and other changes over the next few weeks.")
    assert units(email) == [email]
