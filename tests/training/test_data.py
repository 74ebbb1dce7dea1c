import dataclasses
from pathlib import Path

import pytest

from tests.training.conftest import needs_data
from training.data import jfleg
from training.data.instructions import sharegpt_to_turns

pytestmark = pytest.mark.fast


def test_sharegpt_schema_to_turns():
    turns = sharegpt_to_turns([{"from": "system", "value": "Be brief."}, {"from": "human", "value": "Hi"},
                               {"from": "gpt", "value": "Hello!"}, {"from": "human", "value": "dangling"}])
    assert turns == [{"role": "user", "content": "Be brief.\n\nHi"}, {"role": "assistant", "content": "Hello!"}]


@needs_data()
def test_jfleg_validation_split_is_fixed_and_never_trained_on():
    rows = jfleg.load()
    train, validation = jfleg.split(rows)
    assert len(validation) == 250 and len(train) + len(validation) == len(rows)
    assert {r["id"] for r in validation} == jfleg.validation_ids(rows)
    held = {r["id"] for r in validation}
    assert all(sid not in held for _, _, sid in jfleg.training_pairs(train))


RECIPES = sorted((Path(__file__).resolve().parents[2] / "training" / "recipes").glob("*.yaml"))
# Every DataConfig count of a source other than JFLEG: zeroed so the test builds the JFLEG part only.
OTHER_SOURCES = ("wi", "fce", "gec_paragraphs", "cweb", "c4", "synthetic_errors", "unchanged", "tone_pairs",
                 "instructions", "sharegpt")


@needs_data()
@pytest.mark.parametrize("recipe_path", RECIPES, ids=lambda p: p.name)
def test_a_recipe_cannot_train_on_a_sentence_that_evaluation_scores(recipe_path, monkeypatch):
    from training.base_models import BASES
    from training.config import load_recipe
    from training.data import build
    from training.data.scoring import LexicalScorer
    from training.evaluate import validation_rows
    from training.textnorm import detokenize

    recipe = load_recipe(recipe_path)
    # exclude_data only takes examples away (and needs an earlier mix built on disk): without it the check is stricter
    cfg = dataclasses.replace(recipe.data, exclude_data=None, **{name: 0 for name in OTHER_SOURCES})
    monkeypatch.setattr(build, "clean_email_pool", lambda *_: ([], []))  # no email examples: skip reading 14k emails
    train, held_out, _ = build.build_examples(cfg, BASES[recipe.base].chat_format, scorer=LexicalScorer())
    examples = train + held_out  # held_out is the eval-loss set: the model never trains on it, but checked too
    assert any(e["kind"] == "jfleg" for e in examples) == (recipe.data.jfleg_refs_per_source > 0)
    scored = validation_rows()
    assert len(scored) == jfleg.VALIDATION_SIZE
    scored_ids = {f"jfleg:{row['id']}" for row in scored}
    assert not scored_ids & {e.get("source_id") for e in examples}
    scored_texts = [detokenize(row["source"]) for row in scored]
    assert not [text for text in scored_texts for e in examples if text in e["prompt"]]


@needs_data()
def test_sharegpt_loader_reads_the_fixture():
    from training.data.instructions import load_sharegpt

    chats = load_sharegpt()
    assert len(chats) > 100 and all(c[-1]["role"] == "assistant" for c in chats)


def test_examples_use_the_backend_prompt():
    from backend import prompts
    from training.data.common import ExampleMaker
    from training.data.scoring import LexicalScorer

    maker = ExampleMaker("gemma", LexicalScorer())
    example = maker.proofread("we was late.", "We were late.", "test")
    scores = LexicalScorer().score("we was late.")
    assert example["prompt"] == prompts.render_prompt(prompts.messages("we was late.", scores), "gemma")
    assert example["completion"] == "We were late." + prompts.stop_marker("gemma")


def test_equally_close_references_keep_their_order():
    from training.data import jfleg

    row = {"id": 1, "source": "he go to school", "references": ["he goes to school", "he went to school", "he goes to school"]}
    assert [t for _, t, _ in jfleg.training_pairs([row])] == ["he goes to school", "he went to school"]
    row["references"] = row["references"][::-1][1:]
    assert [t for _, t, _ in jfleg.training_pairs([row])] == ["he went to school", "he goes to school"]
