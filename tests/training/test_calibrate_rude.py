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


@pytest.mark.fast
def test_the_rating_threshold_counts_what_it_adds_over_the_label_with_the_score_threshold():
    # (human rating, P(polite), rude with evidence, words, email rating)
    calibration = [Scored(1.5, 0.5, False, 90, 1.8), Scored(3.0, 0.05, False, 90, 2.0), Scored(3.5, 0.5, False, 90, 2.4),
                   Scored(4.0, 0.5, False, 90, None)]
    business = [Scored(None, 0.5, False, 60, r / 10) for r in range(15, 35)]  # 20 emails rated 1.5 ... 3.4
    # the acceptable email rated 2.0 is already rude by the score (0.05 < 0.08): only the one rated 2.4 caps it
    assert choose(calibration, business, up_to=2.5, false_alarm=1.0, alone_below=0.08) == 2.4
    # the business emails rated under the threshold count against the budget: 1.5 and 1.6 fit in 2 of 20
    assert choose(calibration, business, up_to=2.5, false_alarm=0.1, alone_below=0.08) == 1.7
    assert rude(Scored(None, 0.5, False, 60, 2.0), alone_below=0.08, rating_below=2.22)
    assert not rude(Scored(None, 0.5, False, 60, None), alone_below=0.08, rating_below=2.22)  # too short to rate
