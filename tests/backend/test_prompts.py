import pytest

from backend import prompts
from backend.scoring.types import PolitenessScore, Reason, Score, Scores

pytestmark = pytest.mark.fast


def _scores(politeness_label="neutral", reasons=()):
    return Scores(
        sentiment=Score(value=0.0, label="neutral", emoji="😐"),
        politeness=PolitenessScore(value=0.2 if politeness_label == "rude" else 0.5, label=politeness_label, emoji="😐", reasons=list(reasons)),
    )


def test_gemma_prompt_ends_where_the_model_answers():
    text = prompts.render_prompt(prompts.messages("Hello.", _scores()), "gemma")
    assert text.startswith("<start_of_turn>user\n")
    assert text.endswith("<end_of_turn>\n<start_of_turn>model\n")
    assert "Email:\nHello." in text


def test_chatml_prompt():
    text = prompts.render_prompt(prompts.messages("Hello.", _scores()), "chatml")
    assert text.endswith("<|im_start|>assistant\n") and prompts.stop_marker("chatml") == "<|im_end|>"


def test_rude_draft_asks_for_a_polite_rewrite_and_says_why():
    reasons = [Reason(strategy="direct_command", effect="rude", evidence="send")]
    note = prompts.tone_note(_scores("rude", reasons))
    assert "polite" in note and "direct command" in note


def test_neutral_draft_keeps_its_tone():
    assert "Keep the tone" in prompts.tone_note(_scores("neutral"))


def test_few_shot_adds_example_turns_before_the_email():
    turns = prompts.messages("Hello.", _scores(), few_shot=True)
    assert [t["role"] for t in turns] == ["user", "assistant"] * len(prompts.FEW_SHOT_EXAMPLES) + ["user"]
    assert turns[-1]["content"].endswith("Email:\nHello.")


def test_few_shot_prefix_is_the_same_for_every_email():
    rude = _scores("rude", [Reason(strategy="direct_command", effect="rude", evidence="send")])
    first = prompts.render_prompt(prompts.messages("Send it.", rude, few_shot=True), "gemma")
    second = prompts.render_prompt(prompts.messages("Hello.", _scores(), few_shot=True), "gemma")
    prefix = first[: first.rindex(prompts.INSTRUCTION)]
    assert second.startswith(prefix) and len(prefix) > 200
