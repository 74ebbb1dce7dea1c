"""The rude-label calibration experiment (issue 15): its selection logic."""

import pytest

from training.classifiers.calibrate_rude import Scored, choose, rude


@pytest.mark.fast
def test_the_threshold_is_the_largest_that_adds_no_acceptable_email_and_stays_in_the_false_alarm_budget():
    calibration = [Scored(1.5, 0.10, False, 90), Scored(2.0, 0.30, False, 90), Scored(3.0, 0.35, False, 90), Scored(4.0, 0.8, False, 90)]
    business = [Scored(None, p / 100, False, 60) for p in range(5, 100, 5)]  # 19 emails, 0.05 ... 0.95
    # No acceptable (>= 2.5) email under 0.35: up to 0.35; the business emails then cap it.
    assert choose(calibration, business, up_to=0.4, false_alarm=1.0) == 0.35
    assert choose(calibration, business, up_to=0.4, false_alarm=2 / 19) == 0.15  # 0.05 and 0.10 added
    assert choose([Scored(3.0, 0.005, False, 90)], business, up_to=0.4, false_alarm=1.0) == 0.0


@pytest.mark.fast
def test_only_what_the_threshold_adds_to_the_label_with_evidence_counts_against_it():
    # an acceptable email the evidence already labels rude is not the threshold's false alarm; nor is a business one
    calibration = [Scored(3.0, 0.02, True, 90), Scored(3.2, 0.30, False, 90)]
    business = [Scored(None, 0.01, True, 60), Scored(None, 0.02, True, 60)] + [Scored(None, 0.5, False, 60)] * 8
    assert choose(calibration, business, up_to=0.4, false_alarm=0.0) == 0.3
    assert choose(calibration + [Scored(2.8, 0.1, False, 90)], business, up_to=0.4, false_alarm=0.0) == 0.1


@pytest.mark.fast
def test_below_the_calibrated_score_no_lexicon_evidence_is_needed():
    assert rude(Scored(None, 0.2, False, 60), alone_below=0.23)
    assert not rude(Scored(None, 0.3, False, 60), alone_below=0.23)
    assert rude(Scored(None, 0.3, True, 60), alone_below=0.23)


@pytest.mark.fast
def test_with_a_length_floor_a_short_low_scoring_text_needs_lexicon_evidence():
    assert not rude(Scored(None, 0.2, False, 12), alone_below=0.23, min_words=35)
    assert rude(Scored(None, 0.2, False, 35), alone_below=0.23, min_words=35)
    assert rude(Scored(None, 0.3, True, 12), alone_below=0.23, min_words=35)
