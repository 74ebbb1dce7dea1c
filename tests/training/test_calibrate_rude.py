"""The rude-label calibration (issue 15): its selection logic."""

import pytest

from training.classifiers.calibrate_rude import Scored, Thresholds, choose, rude


@pytest.mark.fast
def test_the_threshold_is_the_largest_that_adds_no_acceptable_email_and_stays_in_the_false_alarm_budget():
    calibration = [Scored(1.5, 0.10, False, 90), Scored(2.0, 0.30, False, 90), Scored(3.0, 0.35, False, 90), Scored(4.0, 0.8, False, 90)]
    business = [Scored(None, p / 100, False, 60) for p in range(5, 100, 5)]  # 19 emails, 0.05 ... 0.95
    # No acceptable (>= 2.5) email under 0.35: up to 0.35; the business emails then cap it.
    assert choose(calibration, business, 0.4, 1.0, Thresholds(), "alone_below") == 0.35
    assert choose(calibration, business, 0.4, 2 / 19, Thresholds(), "alone_below") == 0.15  # 0.05 and 0.10 added
    assert choose([Scored(3.0, 0.005, False, 90)], business, 0.4, 1.0, Thresholds(), "alone_below") == 0.0


@pytest.mark.fast
def test_only_what_the_threshold_adds_to_the_label_with_evidence_counts_against_it():
    # an acceptable email the evidence already labels rude is not the threshold's false alarm; nor is a business one
    calibration = [Scored(3.0, 0.02, True, 90), Scored(3.2, 0.30, False, 90)]
    business = [Scored(None, 0.01, True, 60), Scored(None, 0.02, True, 60)] + [Scored(None, 0.5, False, 60)] * 8
    assert choose(calibration, business, 0.4, 0.0, Thresholds(), "alone_below") == 0.3
    assert choose(calibration + [Scored(2.8, 0.1, False, 90)], business, 0.4, 0.0, Thresholds(), "alone_below") == 0.1


@pytest.mark.fast
def test_below_the_calibrated_score_no_evidence_is_needed_and_a_length_floor_applies():
    assert rude(Scored(None, 0.2, False, 60), Thresholds(alone_below=0.23))
    assert not rude(Scored(None, 0.3, False, 60), Thresholds(alone_below=0.23))
    assert rude(Scored(None, 0.3, True, 60), Thresholds(alone_below=0.23))
    assert not rude(Scored(None, 0.2, False, 12), Thresholds(alone_below=0.23, min_words=35))
    assert rude(Scored(None, 0.2, False, 35), Thresholds(alone_below=0.23, min_words=35))
    assert rude(Scored(None, 0.3, True, 12), Thresholds(alone_below=0.23, min_words=35))


@pytest.mark.fast
def test_a_bare_command_is_evidence_only_under_the_command_threshold():
    command = Scored(None, 0.3, False, 60, bare_command=True)
    assert not rude(command, Thresholds())
    assert not rude(command, Thresholds(command_below=0.25)) and rude(command, Thresholds(command_below=0.31))
    assert not rude(Scored(None, 0.1, False, 60), Thresholds(command_below=0.4))  # no command, no evidence
    # in a text under the length floor the command is evidence as before ("Send it now.")
    assert rude(Scored(None, 0.3, False, 12, bare_command=True), Thresholds(min_words=35))
    assert not rude(Scored(None, 0.3, False, 35, bare_command=True), Thresholds(min_words=35))
    # chosen like the others: the business emails with a command under the threshold are what it adds
    business = [Scored(None, p / 100, False, 60, bare_command=True) for p in range(5, 45, 5)]  # 0.05 ... 0.40
    assert choose([], business, 0.4, 2 / 8, Thresholds(), "command_below") == 0.15
    assert choose([Scored(3.0, 0.12, False, 90, bare_command=True)], business, 0.4, 1.0, Thresholds(), "command_below") == 0.12


@pytest.mark.fast
def test_the_rating_threshold_counts_what_it_adds_over_the_label_with_the_thresholds_before():
    # (human rating, P(polite), rude with evidence, words, email rating)
    calibration = [Scored(1.5, 0.5, False, 90, 1.8), Scored(3.0, 0.05, False, 90, 2.0), Scored(3.5, 0.5, False, 90, 2.4),
                   Scored(4.0, 0.5, False, 90, None)]
    business = [Scored(None, 0.5, False, 60, r / 10) for r in range(15, 35)]  # 20 emails rated 1.5 ... 3.4
    before = Thresholds(alone_below=0.08)
    # the acceptable email rated 2.0 is already rude by the score (0.05 < 0.08): only the one rated 2.4 caps it
    assert choose(calibration, business, 2.5, 1.0, before, "rating_below") == 2.4
    # the business emails rated under the threshold count against the budget: 1.5 and 1.6 fit in 2 of 20
    assert choose(calibration, business, 2.5, 0.1, before, "rating_below") == 1.7
    assert rude(Scored(None, 0.5, False, 60, 2.0), Thresholds(alone_below=0.08, rating_below=2.22))
    assert not rude(Scored(None, 0.5, False, 60, None), Thresholds(alone_below=0.08, rating_below=2.22))  # too short to rate
