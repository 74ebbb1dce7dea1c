from tests.training.conftest import needs_data
from training.data.instructions import sharegpt_to_turns


def test_sharegpt_schema_to_turns():
    turns = sharegpt_to_turns([{"from": "system", "value": "Be brief."}, {"from": "human", "value": "Hi"},
                               {"from": "gpt", "value": "Hello!"}, {"from": "human", "value": "dangling"}])
    assert turns == [{"role": "user", "content": "Be brief.\n\nHi"}, {"role": "assistant", "content": "Hello!"}]


@needs_data()
def test_jfleg_validation_split_is_fixed_and_never_trained_on():
    from training.data import jfleg

    rows = jfleg.load()
    train, validation = jfleg.split(rows)
    assert len(validation) == 250 and len(train) + len(validation) == len(rows)
    assert {r["id"] for r in validation} == jfleg.validation_ids(rows)
    held = {r["id"] for r in validation}
    assert all(sid not in held for _, _, sid in jfleg.training_pairs(train))


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
