"""The tone check command: which emails it takes, how it judges a rewrite, and a tiny real run."""

from types import SimpleNamespace

import pytest

from backend import llama_builds
from tests.training.conftest import needs_data
from training import tone_check
from training.classifiers.data import RatedEmail
from training.data.email_tone_pairs import CHECK_SEEDS

RUDE = "Alex,\nYour report is late again. Send the 12 tables to Maria today.\nDiane"
POLITE = ("Hi Alex,\nI hope you are well. I noticed the report is running late again. Could you please send the 12 "
          "tables to Maria today, if you can? Thank you so much for your help.\nBest,\nDiane")


class RewritesTo:
    """A stand-in proofreader: RUDE becomes `rewrite`, any other email comes back unchanged."""

    def __init__(self, scorer, rewrite: str):
        self.scorer, self.rewrite = scorer, rewrite

    def proofread(self, text):
        out = self.rewrite if text == RUDE else text
        return SimpleNamespace(corrected=out, changed=out != text, fallbacks=[], warnings=[],
                               scores_before=self.scorer.score(text), scores_after=self.scorer.score(out))


@pytest.fixture(scope="module")
def scorer():
    from backend.scoring import Scorer

    return Scorer()


def test_a_polite_rewrite_counts_as_politer_by_both_judges(scorer):
    cases = [tone_check.Case(1, 1.2, RUDE)]
    results = tone_check.check(RewritesTo(scorer, POLITE), cases, clean=["Hi Sam,\nThe meeting is at 3 pm.\nDana"])
    assert results["politer_by_scorer"] == results["politer_by_vader"] == results["politer_by_both"] == 1.0
    assert results["content_words_kept"] == 1.0 and results["clean_unchanged"] == 1.0
    labels = {"rude", "neutral", "polite"}
    assert all(not isinstance(v, str) or v in labels for v in results["per_case"][0].values())  # no email text is kept


def test_an_unchanged_email_is_not_politer_and_keeps_every_word(scorer):
    results = tone_check.check(RewritesTo(scorer, RUDE), [tone_check.Case(1, 1.2, RUDE)], clean=[])
    assert results["politer_by_scorer"] == results["politer_by_vader"] == 0.0
    assert results["content_words_kept"] == 1.0 and results["changed"] == 0.0


def test_the_report_gives_each_count_with_its_95_percent_interval():
    low, high = tone_check.wilson_interval(19, 30)
    assert (round(low, 3), round(high, 3)) == (0.455, 0.781)  # the Wilson score interval of 19 of 30
    assert tone_check.wilson_interval(0, 30)[0] == 0.0 and tone_check.wilson_interval(30, 30)[1] == 1.0
    results = {"model": "m", "cases": 30, "clean_emails": 40, "politer_by_both": 19 / 30, "content_words_kept": 0.98,
               "clean_unchanged": 38 / 40, "mean_politeness_change": 0.1}
    text = tone_check.report(results)
    assert "| judged politer by both | 63.3% (19 of 30) | 46-78% |" in text
    assert "| clean AESLC emails unchanged | 95.0% (38 of 40) | 83-99% | >= 95% |" in text
    assert "| content words kept | 98.0% |  | >= 90% |" in text  # a mean of shares: no count, no interval
    assert "| judged politer by VADER | not measured then |" in text
    no_clean = tone_check.report(results | {"clean_emails": 0, "clean_unchanged": 0.0})
    assert "| clean AESLC emails unchanged | not measured (0 emails) |" in no_clean  # --clean 0 is not 0% unchanged


def test_content_words_kept_counts_names_and_numbers_not_function_words():
    assert tone_check.content_kept(RUDE, POLITE) == 1.0
    dropped = tone_check.content_kept(RUDE, POLITE.replace("12 ", "").replace("Maria", "her"))
    assert 0.5 < dropped < 1.0


def test_each_scenario_is_scored_by_its_own_scorer_and_the_proofreader_keeps_its_own(scorer):
    # the rude label and the rating judge read a rating fit without the email's scenario (tone_check's docstring)
    class Fixed:
        def __init__(self, label):
            self.label = label

        def score(self, text):
            scores = scorer.score(text)
            return scores.model_copy(update={"politeness": scores.politeness.model_copy(update={"label": self.label})})

    proofreader = RewritesTo(scorer, POLITE)
    cases = [tone_check.Case(1, 1.2, RUDE, seed=13), tone_check.Case(2, 1.3, RUDE, seed=14)]
    results = tone_check.check(proofreader, cases, clean=[], scorers={13: Fixed("rude"), 14: Fixed("polite")})
    assert [c["label_before"] for c in results["per_case"]] == ["rude", "polite"]
    assert proofreader.scorer is scorer


def test_the_cases_are_the_least_polite_of_the_check_scenarios_only():
    emails = [RatedEmail(i, seed, f"email {i}", rating) for i, (seed, rating) in
              enumerate([(1, 1.0), (13, 2.0), (14, 1.5), (24, 4.0), (12, 1.1)])]
    cases = tone_check.rude_cases(2, emails)
    assert [(c.email_id, c.seed) for c in cases] == [(2, 14), (1, 13)]
    assert all(emails[c.email_id].seed in CHECK_SEEDS for c in tone_check.rude_cases(10, emails))


@needs_data()
def test_tiny_tone_check_through_the_real_proofreader(tmp_path, monkeypatch):
    monkeypatch.setenv("PROOFREAD_TONE_RULES", "False")
    results = tone_check.main(["--n", "1", "--clean", "1", "--out", str(tmp_path)])
    assert results["cases"] == 1 and results["clean_emails"] == 1
    # a setting not at its default is in the recorded command, which then reruns the same check
    assert results["tone_rules"] is False
    assert results["command"] == f"PROOFREAD_TONE_RULES=False python -m training.tone_check --n 1 --clean 1 --out {tmp_path}"
    for key in ("politer_by_scorer", "politer_by_vader", "content_words_kept", "clean_unchanged"):
        assert 0.0 <= results[key] <= 1.0
    assert results["llama_kernels"] in {b.name for b in llama_builds.BUILDS}
    assert (tmp_path / "results.json").exists()
