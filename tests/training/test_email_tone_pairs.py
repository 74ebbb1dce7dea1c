"""Tone pairs from the human-rated emails: like paired with like, facts kept, check scenarios never used."""

from tests.training.conftest import needs_data
from training.classifiers.data import RatedEmail
from training.data import email_tone_pairs as T

RUDE = ("Subject: Q3 figures\n\nHi Alfonso,\n\nYour numbers are late again. Send the 12 tables by Friday.\n\n"
        "Diane Ng  \nSenior Analyst")
POLITE = ("Subject: Q3 figures, when you have a moment\n\nHi Alfonso,\n\nI hope you are well. Could you send the 12 "
          "tables by Friday? Thank you so much.\n\nDiane Ng\nSenior Analyst")
REPLY = "Subject: Re: Q3 figures\n\nHi Diane,\n\nThank you, I will send the 12 tables by Friday.\n\nBest,\nAlfonso"


def _email(email_id: int, text: str, rating: float, seed: int = 1) -> RatedEmail:
    return RatedEmail(email_id=email_id, seed=seed, text=text, rating=rating)


def test_the_training_and_check_scenarios_are_disjoint_and_cover_the_corpus():
    assert not T.TRAINING_SEEDS & T.CHECK_SEEDS
    assert T.TRAINING_SEEDS | T.CHECK_SEEDS == set(range(1, 25))


def test_a_rude_version_pairs_with_a_polite_version_of_the_same_message():
    found = T.pairs([_email(1, RUDE, 1.3), _email(3, POLITE, 4.1)], frozenset({1}))
    assert [(p.source_id, p.target_id) for p in found] == [(1, 3)]
    assert found[0].source.endswith("Diane Ng\nSenior Analyst")  # trailing double spaces normalised


def test_a_reply_is_never_paired_with_the_message_it_answers():
    assert T.pairs([_email(1, RUDE, 1.3), _email(2, REPLY, 4.2)], frozenset({1})) == []


def test_a_version_with_another_number_or_name_is_not_the_same_message():
    other_number = POLITE.replace("12 tables", "15 tables")
    other_name = POLITE.replace("Hi Alfonso", "Hi Alfredo")
    for text in (other_number, other_name):
        assert T.pairs([_email(1, RUDE, 1.3), _email(3, text, 4.1)], frozenset({1})) == []


def test_only_a_clear_step_from_impolite_to_polite_makes_a_pair():
    assert T.pairs([_email(1, RUDE, 3.1), _email(3, POLITE, 4.3)], frozenset({1})) == []  # source not impolite
    assert T.pairs([_email(1, RUDE, 2.0), _email(3, POLITE, 3.2)], frozenset({1})) == []  # target not polite
    assert T.pairs([_email(1, RUDE, 2.9), _email(3, POLITE, 3.6)], frozenset({1})) == []  # less than a point apart


def test_scenarios_outside_the_asked_seeds_give_no_pairs():
    assert T.pairs([_email(1, RUDE, 1.3, seed=13), _email(3, POLITE, 4.1, seed=13)], T.TRAINING_SEEDS) == []


@needs_data()
def test_corpus_pairs_come_from_training_scenarios_and_keep_every_fact():
    found = T.training_pairs()
    assert len(found) >= 20  # 29 measured (model card); a broken matcher gives 0 or hundreds
    by_id = {e.email_id: e for e in T.human_rated_emails(T.corpus_path())}
    for pair in found:
        source, target = by_id[pair.source_id], by_id[pair.target_id]
        assert source.seed == target.seed == pair.seed and pair.seed in T.TRAINING_SEEDS
        assert not T.is_reply(source.text) and not T.is_reply(target.text)
        assert T.facts(source.text) == T.facts(target.text)
        assert pair.target_rating - pair.source_rating >= T.MIN_GAP


@needs_data()
def test_email_tone_examples_ask_for_politeness():
    from training.data.common import ExampleMaker
    from training.data.scoring import LexicalScorer

    examples = T.training_examples(ExampleMaker("gemma", LexicalScorer()), limit=3)
    assert len(examples) == 3
    assert all(e["kind"] == T.KIND and e["politeness"] == "rude" and "Tone: reads as rude" in e["prompt"] for e in examples)


@needs_data()
def test_the_recipe_field_adds_the_pairs_to_training_only():
    from training.config import DataConfig
    from training.data.build import build_examples
    from training.data.scoring import LexicalScorer

    cfg = DataConfig(jfleg_refs_per_source=0, synthetic_errors=0, unchanged=0, tone_pairs=0, instructions=0,
                     email_tone_pairs=5, validation_per_kind=2)
    train, validation, info = build_examples(cfg, "gemma", scorer=LexicalScorer(), limit_emails=10)
    assert info["train_counts"] == {T.KIND: 5} and validation == []
    assert DataConfig().email_tone_pairs == 0  # off unless a recipe asks for it
    cfg.email_tone_repeats = 3
    train, _, info = build_examples(cfg, "gemma", scorer=LexicalScorer(), limit_emails=10)
    assert info["train_counts"] == {T.KIND: 15} and len({e["completion"] for e in train}) == 5
