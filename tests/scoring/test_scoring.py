"""Behaviour of the sentiment and politeness classifiers behind `Scorer.score()`."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from backend.prompts import tone_note
from backend.scoring import Scorer, Scores
from backend.scoring.features import vader
from backend.scoring.linear import WEIGHTS_DIR, LinearHead
from backend.scoring.trees import BoostedTrees

pytestmark = pytest.mark.fast

CHECK_SET = [json.loads(line) for line in (Path(__file__).parent / "email_check_set.jsonl").open(encoding="utf-8")]


LINEAR_HEADS = ("politeness", "criticism", "demand", "sentiment", "email_sentence_heads")


def test_weights_are_small_committed_files():
    for name in (*LINEAR_HEADS, "email_rating"):
        path = WEIGHTS_DIR / f"{name}.npz"
        assert path.exists() and path.stat().st_size < 100_000
    for name in LINEAR_HEADS:
        head = LinearHead.load(name)
        assert head.coef.shape[1] == len(head.meta["features"])
        # a near-constant feature scaled up would get a huge folded weight (training/classifiers/scaling.py)
        assert np.abs(head.coef).max() < 1_000
    trees = BoostedTrees.load("email_rating")
    assert trees.feature.max() < len(trees.meta["features"])


def test_heads_were_trained_on_the_committed_encoder_adapter_and_recipe():
    # A new adapter or build recipe moves every vector: heads trained before it would read them wrongly
    # (rebuild them, MODEL_CARD.md)
    from backend.model_files import ENCODER_ADAPTER, encoder_recipe_of_vectors, file_sha256

    adapter = file_sha256(ENCODER_ADAPTER).hexdigest()
    recipe = encoder_recipe_of_vectors()
    heads = [LinearHead.load(name) for name in LINEAR_HEADS] + [BoostedTrees.load("email_rating")]
    assert [h.meta.get("encoder_adapter_sha256") for h in heads] == [adapter] * len(heads)
    assert [h.meta.get("encoder_recipe") for h in heads] == [recipe] * len(heads)


def test_the_email_rating_reads_the_served_politeness_head():
    # its first sentence head is the politeness head it was fit with: a politeness head retrained alone would
    # feed the rating's email head logits it never saw (training.classifiers.train rebuilds both)
    politeness, sentence_heads = LinearHead.load("politeness"), LinearHead.load("email_sentence_heads")
    assert np.array_equal(sentence_heads.coef[0], politeness.coef[0]) and sentence_heads.intercept[0] == politeness.intercept[0]


def test_serving_needs_neither_torch_nor_sklearn():
    import subprocess
    import sys

    code = (
        "import sys; from backend.scoring import Scorer; Scorer().score('Send me the report now.'); "
        "bad = [m for m in ('torch', 'sklearn', 'transformers') if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_score_returns_the_scores_shape(scorer: Scorer):
    scores = scorer.score("Hi Sam,\nCould you send me the report?\nThanks,\nDana")
    assert isinstance(scores, Scores)
    assert -1.0 <= scores.sentiment.value <= 1.0
    assert scores.sentiment.label in {"negative", "neutral", "positive"} and scores.sentiment.emoji
    assert 0.0 <= scores.politeness.value <= 1.0
    assert scores.politeness.label in {"rude", "neutral", "polite"} and scores.politeness.emoji
    json.loads(scores.model_dump_json())


@pytest.mark.parametrize("text", ["", "   \n ", "ok", "!!!", "a" * 5000, "word " * 3000])
def test_odd_inputs_still_score(scorer: Scorer, text: str):
    scores = scorer.score(text)
    assert 0.0 <= scores.politeness.value <= 1.0 and -1.0 <= scores.sentiment.value <= 1.0


def test_scoring_is_deterministic(scorer: Scorer):
    text = CHECK_SET[0]["rude"]
    assert scorer.score(text) == scorer.score(text)


def test_a_sentence_vector_does_not_depend_on_the_other_texts_in_the_call():
    # The int8 encoder scales each layer's input over the whole batch: batching the texts of a call
    # together would make a vector depend on its neighbours, and the cache would serve whichever came first.
    from backend.scoring.embedding import SentenceEmbedder

    texts = ["Hi Sam, could you send me the report?", "Thanks.", "Send it now.", CHECK_SET[0]["rude"], "ok"]
    together = SentenceEmbedder().embed(texts)
    single = SentenceEmbedder()
    one_by_one = np.vstack([single.embed([t]) for t in texts])
    assert np.array_equal(together, one_by_one)
    assert np.array_equal(single.embed(texts), one_by_one)  # served from the cache


# One-line bare commands VADER scores 0.0, written for this test (never trained on).
BARE_COMMANDS = [
    "Send me the report now.", "Send it now.", "Fix this now.", "Get me the report now.", "Call me back today.",
    "Answer my email.", "Do it again and do it right this time.", "Give me the numbers by noon.", "Tell Mark to call me.",
    "Read my last email.", "Move the meeting to Friday.", "Get this done by tomorrow.", "Don't ever do that again.",
    "Check your work before sending it.", "Reply to the client now.", "Book the room for Monday.", "Finish the slides tonight.",
]


def test_vader_blind_commands_mostly_read_as_rude(scorer: Scorer):
    # The reason a trained politeness model exists. Labelled rude: 12 of 17 with the frozen encoder, 10 of 17
    # since its sentiment fine-tune ("Send me the report now." moved from P(polite) 0.36 to 0.45; MODEL_CARD.md).
    assert all(vader().polarity_scores(t)["compound"] == 0.0 for t in BARE_COMMANDS)
    labels = [scorer.score(t).politeness.label for t in BARE_COMMANDS]
    assert labels.count("rude") >= len(BARE_COMMANDS) / 2 and "polite" not in labels, labels


def test_polite_request_reads_as_polite(scorer: Scorer):
    text = "Hi Sam,\nCould you please send me the report when you get a chance? Thanks a lot for your help.\nBest,\nDana"
    assert scorer.score(text).politeness.label == "polite"


def test_sentiment_direction(scorer: Scorer):
    good = scorer.score("Thank you so much, the launch went wonderfully and the whole team is delighted!").sentiment
    bad = scorer.score("This is a disaster. The release failed again and customers are furious.").sentiment
    assert good.label == "positive" and bad.label == "negative" and good.value > 0 > bad.value


def test_email_check_set_rude_below_polite(scorer: Scorer):
    """Hand-written check set (never trained on): the rude draft must score below its polite rewrite.

    34 pairs; the model card reports 100% here. 90% (at most 3 misses) leaves room for a retrain's
    noise while still failing if the email-level aggregation or the head breaks (a coin flip would be ~50%,
    VADER gets much less)."""
    ok = [scorer.score(r["rude"]).politeness.value < scorer.score(r["polite"]).politeness.value for r in CHECK_SET]
    assert len(ok) >= 30
    assert np.mean(ok) >= 0.9, [r["id"] for r, good in zip(CHECK_SET, ok) if not good]


def test_email_check_set_labels(scorer: Scorer):
    """At least half the rude drafts are labelled rude, and no polite rewrite or neutral version is."""
    rude = [scorer.score(r["rude"]).politeness.label for r in CHECK_SET]
    polite = [scorer.score(r["polite"]).politeness.label for r in CHECK_SET]
    neutral = [scorer.score(r["neutral"]).politeness.label for r in CHECK_SET]
    assert "rude" not in polite and "rude" not in neutral
    assert rude.count("rude") / len(rude) >= 0.5  # measured 19/34; the threshold is conservative on purpose (model card)


def _present(score, strategy):
    return [r for r in score.reasons if r.strategy == strategy and r.present]


def test_reasons_name_please_and_thanks(scorer: Scorer):
    pol = scorer.score("Hi Ana,\nCould you please check the figures? Thanks!\nTom").politeness
    assert _present(pol, "please")[0].evidence.lower() == "please"
    assert _present(pol, "gratitude")[0].evidence.lower().startswith("thanks")
    assert _present(pol, "greeting") and _present(pol, "counterfactual_modal")
    assert all(r.effect == "polite" for r in pol.reasons)


def test_reasons_name_commands_and_missing_strategies(scorer: Scorer):
    pol = scorer.score("Send me the report now. Why didn't you do it yesterday?").politeness
    assert _present(pol, "direct_command")[0].evidence.lower() == "send"
    assert _present(pol, "urgency") and _present(pol, "accusation")
    assert all(r.effect == "rude" for r in pol.reasons if r.present)
    missing = {r.strategy for r in pol.reasons if not r.present}
    assert {"gratitude", "please", "greeting"} <= missing


def test_rude_draft_asks_the_prompt_to_soften(scorer: Scorer):
    note = tone_note(scorer.score("Fix the build immediately. You broke it again."))
    assert note.startswith("Tone: reads as rude") and "direct command" in note
    assert "Keep the tone" in tone_note(scorer.score("Hi Tom,\nThanks for the update, see you on Monday.\nAna"))


def test_an_email_with_its_subject_line_scores_like_its_body(scorer: Scorer):
    # Issue 15: a leading "Subject:" line used to be taken for a quoted thread, leaving nothing to score.
    body = "Hi Alfonso,\n\nYour report is late again. Send it today or I will escalate.\n\nDiane"
    with_subject = scorer.score("Subject: Trading research\n\n" + body)
    assert with_subject == scorer.score(body)
    assert with_subject.politeness.value != 0.5 and with_subject.sentiment.value != 0.0


COLD_EMAIL = (
    "Subject: Budget numbers\n\nDan,\n\nThe budget numbers you sent on Friday were wrong again. This is the third time "
    "this quarter that I have had to fix your spreadsheet before the board meeting. I don't have time to keep checking "
    "your work. The corrected version has to be in my inbox by Thursday noon, with the travel costs split by team. "
    "I expected better from someone at your level.\n\nMaria"
)


CRITICAL_EMAIL = (
    "Dear Mr. Lowry,\n\nI hope you are well. After reviewing the audit report, I believe the execution does not align with the outlined objectives. "
    "The quality of the report falls short of the standards for a project of this scale. You are expected to "
    "re-evaluate your approach and address these shortcomings without further delay.\n\nRegards,\nMaria Lopez"
)


def test_an_email_that_criticises_the_reader_several_times_is_rude_whatever_its_score(scorer: Scorer):
    politeness = scorer.score(CRITICAL_EMAIL).politeness
    assert politeness.value >= 0.4  # the score alone, trained on one-sentence requests, would call it neutral
    assert politeness.label == "rude"
    assert _present(politeness, "criticism")[0].evidence.lower() in ("falls short", "shortcomings", "without further delay", "you are expected to")
    # one criticism in a business email is not enough
    once = "Hi Tom,\n\nThe first draft fell short in two places; I marked them. Could you take a look?\n\nThanks,\nAna"
    assert scorer.score(once).politeness.label != "rude"


def test_passive_aggressive_pressure_counts_as_criticism(scorer: Scorer):
    email = ("Hi Sam,\n\nPer my last email, the Q3 figures are due Friday. There is clearly room for improvement in how "
             "the team tracks them.\n\nBest,\nDana")
    politeness = scorer.score(email).politeness
    assert politeness.label == "rude"
    assert {r.evidence.lower() for r in _present(politeness, "criticism")} <= {"per my last email", "room for improvement"}


def test_criticism_of_the_reader_in_words_no_lexicon_lists_is_rude(scorer: Scorer):
    from backend.scoring.politeness import PolitenessClassifier

    cold = ("Dear Tom,\n\nI reviewed the quarterly forecast. Your analysis shows a troubling lack of rigour and an inability "
            "to follow the template we agreed on. The board expects the final version on the 14th.\n\nRegards,\nElena")
    politeness = scorer.score(cold).politeness
    assert politeness.label == "rude"
    assert _present(politeness, "criticism")[0].evidence.startswith("Your analysis shows")  # the head's sentence, shown as the reason
    assert "(criticism" in tone_note(Scores(sentiment=scorer.score(cold).sentiment, politeness=politeness))
    # the lexicon alone does not see it; the same email pointing out the gaps without judging the reader is not rude
    assert PolitenessClassifier(threats=()).score(cold).label != "rude"
    plain = cold.replace("Your analysis shows a troubling lack of rigour and an inability to follow the template we agreed on.",
                         "A few figures differ from the template we agreed on, and I marked them.")
    assert scorer.score(plain).politeness.label != "rude"


def test_pressure_on_the_reader_in_words_no_lexicon_lists_is_rude(scorer: Scorer):
    from backend.scoring.politeness import PolitenessClassifier

    pressing = ("Dear Ravi,\n\nAttached is the list of compliance tasks that require your immediate attention. Meeting these "
                "deadlines isn't optional; it's your responsibility. It's crucial that the open audit items are addressed "
                "promptly.\n\nHelen")
    politeness = scorer.score(pressing).politeness
    assert politeness.label == "rude"
    assert "Attached is the list" in _present(politeness, "direct_command")[0].evidence  # the demand head's sentence
    assert PolitenessClassifier(threats=()).score(pressing).label != "rude"
    asking = ("Dear Ravi,\n\nAttached is the list of compliance tasks for this quarter. Could you look at the open audit items "
              "when you have a moment? Thanks for your help.\n\nHelen")
    assert scorer.score(asking).politeness.label != "rude"


PUSHBACK_REPLY = ("Subject: Re: Budget review\n\nMark,\n\nThat was a condescending message. We know how the budget works "
                  "without reminders. The numbers came from finance, not from my team, as the attachment shows to anyone who "
                  "reads it. Take it up with them.\n\nDana")


def test_a_hostile_reply_with_no_accusing_phrase_is_rude_by_its_score_as_served():
    from backend.config import Settings
    from backend.prompts import tone_note

    served = Scorer().score(PUSHBACK_REPLY)
    assert served.politeness.value < Settings().rude_without_evidence_below
    assert served.politeness.label == "rude"
    assert tone_note(served) == "Tone: reads as rude. Make it polite without changing what is asked."  # no reason to name
    assert Scorer(settings=Settings(rude_without_evidence_below=0.0)).score(PUSHBACK_REPLY).politeness.label == "neutral"


def test_a_cold_email_without_rude_words_is_rude_only_when_the_score_alone_may_say_so():
    from backend.config import Settings

    served, calibrated = Scorer(), Scorer(settings=Settings(rude_without_evidence_below=0.26))
    assert served.score(COLD_EMAIL).politeness.label == "neutral"  # no accusation or bare command to show
    assert calibrated.score(COLD_EMAIL).politeness.label == "rude"
    # a short sentence scores low without being rude: under the length floor the score alone never decides
    short = "Your report was late and the numbers were wrong."
    assert calibrated.score(short).politeness.value < 0.26
    assert calibrated.score(short).politeness.label == "neutral"


# The same message, curt and accusing vs courteous, at the length of the rated emails (38-200 words); hand-written
# for this test, never trained on.
RATED_PAIRS = [
    ("Dana,\nThe quarterly report you sent is late again and full of mistakes. I have told you twice already that the numbers "
     "must be checked before anything goes out. Fix the sales table and send it back today. I do not want to explain this "
     "to the board a third time.\nMark",
     "Hi Dana,\nThank you for sending the quarterly report. I noticed a few figures in the sales table that do not match "
     "our records, so could you please take another look at them? If you could send the updated version today, that would "
     "be a great help before the board meeting. Let me know if I can help.\nBest,\nMark"),
    ("Team,\nNobody has updated the project tracker in two weeks. This is unacceptable. I expect every task to have a status "
     "by tomorrow morning, no excuses. If I have to chase anyone again about this, it will go in your review.\nLee",
     "Hi team,\nI hope your week is going well. I noticed the project tracker has not been updated for a couple of weeks, "
     "and it would really help me to see where everything stands. Could you please add a status to your tasks by tomorrow "
     "morning? Thanks so much for your help with this.\nLee"),
]


def test_the_email_rating_rates_a_curt_email_below_its_courteous_version(scorer: Scorer):
    for rude, polite in RATED_PAIRS:
        low, high = scorer.score(rude).politeness.rating, scorer.score(polite).politeness.rating
        assert low is not None and high is not None and 1.0 <= low < high <= 5.0, (low, high)


def test_the_email_rating_leaves_short_texts_unrated(scorer: Scorer):
    # under 30 words the model guesses (the rated emails have 38-200): no number is better than a wrong one
    for text in ("Send me the report now.", "Hi Sam,\nCould you send me the report by Friday?\nThanks,\nDana", ""):
        assert scorer.score(text).politeness.rating is None
    assert scorer.score(RATED_PAIRS[0][1]).sentiment.model_dump().keys() == {"value", "label", "emoji", "reasons"}


def test_the_email_rating_ignores_the_header_block(scorer: Scorer):
    body = RATED_PAIRS[1][0]
    assert scorer.score("Subject: Project tracker\nTo: team@example.com\n\n" + body).politeness.rating == scorer.score(body).politeness.rating


class FixedRating:
    """An email rating that rates every text of 30+ words the same."""

    min_words = 30

    def __init__(self, rating: float):
        self.rating = rating

    def rate(self, sentences, whole, words):
        return self.rating if words >= self.min_words else None


PLAIN_NOTE = ("Hi Sam,\nThe quarterly figures are in the shared folder now. The sales table has the March numbers, and the "
              "costs sheet follows next week once finance has closed the month.\nDana")


def test_an_email_rating_under_the_calibrated_threshold_labels_an_email_rude_evidence_or_not(scorer: Scorer):
    from backend.config import Settings

    assert scorer.score(PLAIN_NOTE).politeness.label != "rude"
    low, fine = Scorer(rater=FixedRating(2.0)), Scorer(rater=FixedRating(2.6))
    assert low.score(PLAIN_NOTE).politeness.label == "rude" and fine.score(PLAIN_NOTE).politeness.label != "rude"
    off = Scorer(settings=Settings(rude_rating_below=0.0), rater=FixedRating(1.0))
    assert off.score(PLAIN_NOTE).politeness.label != "rude"
    # a text the rating leaves unrated (None, under 30 words) keeps the other rules
    assert low.score("The figures are in the shared folder.").politeness.label != "rude"


INSTRUCTIONS = ("Melissa,\nThe counterparty sent its draft this morning and it uses a floating price reference.\nUse the ISDA "
                "format for the confirm, and ignore the extra pages in their form.\nI have no other information about the "
                "deal, so check with Janelle before it goes out.\nSS")


def test_a_bare_command_in_an_email_is_evidence_only_under_the_command_threshold(scorer: Scorer):
    from backend.config import Settings

    # P(polite) 0.34 when written: under rude_below (0.4), over the calibrated rude_command_below (0.25)
    politeness = scorer.score(INSTRUCTIONS).politeness
    assert _present(politeness, "direct_command") and Settings().rude_command_below < politeness.value < 0.4
    assert politeness.label != "rude"
    assert Scorer(settings=Settings(rude_command_below=1.0)).score(INSTRUCTIONS).politeness.label == "rude"  # the label before
    # a one-line command is a whole message: its command is evidence under rude_below, as before
    assert scorer.score("Fix this now.").politeness.label == "rude"


def test_the_served_rating_threshold_is_the_calibrations_choice():
    import json

    from backend.config import REPO_ROOT, Settings

    chosen = json.loads((REPO_ROOT / "training" / "results" / "rude-calibration.json").read_text())
    served = Settings()
    assert (served.rude_rating_below, served.rude_without_evidence_below, served.rude_command_below) == (
        chosen["rating_below"], chosen["alone_below"], chosen["command_below"])
