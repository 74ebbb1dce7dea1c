"""The sweep behind successive halving, data ablation and base comparison: selection logic, and a
tiny real run (1 step, then the survivor to 2) so the command cannot silently rot."""

import json
from pathlib import Path

import pytest

from tests.training.conftest import needs_data
from training.sweep import Plan, recipe_overrides, survivors

RECIPE = "training/recipes/gemma3-270m-proofread.yaml"
SWEEPS = Path(__file__).resolve().parents[2] / "training" / "recipes" / "sweeps"


def _results(gleu: dict[str, float], loss: dict[str, float] | None = None) -> dict[str, dict]:
    return {name: {"gleu": value, "eval_loss": (loss or {}).get(name)} for name, value in gleu.items()}


@pytest.mark.fast
def test_survivors_keep_the_best_third_and_at_least_one():
    scores = {"a": 40.0, "b": 45.5, "c": 41.0, "d": 39.0, "e": 45.5, "f": 30.0, "g": 44.0, "h": 20.0, "i": 43.0}
    assert survivors(_results(scores), 0.33) == ["b", "e", "g"]  # ceil(0.33 * 9) = 3
    assert survivors(_results(scores), 0.2) == ["b", "e"]
    assert survivors(_results({"x": 1.0, "y": 2.0}), 0.1) == ["y"]
    assert survivors(_results(scores), 1.0) == sorted(scores, key=lambda n: (-scores[n], n))


@pytest.mark.fast
def test_gleu_ties_are_broken_by_validation_loss_then_name():
    # An early rung where the guards rejected every output: all at the copy-the-source GLEU.
    tied = _results({"a": 31.98, "b": 31.98, "c": 31.98, "d": 31.98}, {"a": 0.9, "b": 0.7, "c": 0.8})
    assert survivors(tied, 0.5) == ["b", "c"]
    assert survivors(tied, 1.0)[-1] == "d"  # no loss recorded: ranked last among the tied


@pytest.mark.fast
def test_data_mixes_get_their_own_data_folder_and_rungs_their_checkpoints():
    plan = Plan(recipe=RECIPE, configs={"plain": [], "no-tone": ["data.tone_pairs=0"]}, rungs=[30, 90])
    assert not any(o.startswith("data.name=") for o in recipe_overrides(plan, "plain", 30))
    assert "data.name=mix-v1-no-tone" in recipe_overrides(plan, "no-tone", 30)
    assert "train.max_steps=90" in recipe_overrides(plan, "plain", 90)
    # Every rung boundary is a checkpoint, and checkpoints come at least as often as the recipe's (25 steps).
    assert "train.save_steps=15" in recipe_overrides(plan, "plain", 90)
    common_name = Plan(recipe=RECIPE, configs={"a": [], "b": ["data.wi=5"]}, rungs=[20], common=["data.name=small"])
    assert "data.name=small-b" in recipe_overrides(common_name, "b", 20)
    assert "train.save_steps=20" in recipe_overrides(common_name, "a", 20)


@pytest.mark.fast
@pytest.mark.parametrize("plan_file", sorted(SWEEPS.glob("*.yaml")), ids=lambda p: p.stem)
def test_committed_plans_parse_into_valid_recipes(plan_file):
    from training.config import REPO_ROOT, load_recipe

    plan = Plan.load(plan_file)
    for name in plan.configs:
        load_recipe(REPO_ROOT / plan.recipe, recipe_overrides(plan, name, plan.rungs[-1]))


@needs_data()
@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_tiny_successive_halving_run(tmp_path):
    from training.config import DataConfig
    from training.data.build import build_examples
    from training.data.common import write_jsonl
    from training.sweep import run_sweep

    train_rows, val_rows, info = build_examples(
        DataConfig(synthetic_errors=4, unchanged=2, tone_pairs=2, instructions=1, validation_per_kind=1, max_email_words=30),
        "gemma", limit_emails=200)
    data_dir = tmp_path / "data"
    write_jsonl(data_dir / "train.jsonl", sorted(train_rows, key=lambda r: len(r["prompt"]) + len(r["completion"]))[:6])
    write_jsonl(data_dir / "validation.jsonl", val_rows[:1])
    (data_dir / "manifest.json").write_text(json.dumps(info))

    plan = Plan(
        recipe=RECIPE, rungs=[1, 2], keep=0.5, eval_limit=2, clean_limit=1,
        common=["train.per_device_batch=2", "lora.r=4", "lora.alpha=8", "train.logging_steps=1", "train.eval_steps=0"],
        configs={"lr1e-3": ["train.learning_rate=1e-3"], "lr1e-4": ["train.learning_rate=1e-4"]},
    )
    state = run_sweep(plan, tmp_path / "sweep", data_dir=data_dir)
    first, second = state["rungs"]
    assert set(first["results"]) == {"lr1e-3", "lr1e-4"} and len(first["promoted"]) == 1
    assert list(second["results"]) == first["promoted"] and second["results"][first["promoted"][0]]["steps"] == 2
    assert (tmp_path / "sweep" / "sweep.png").stat().st_size > 1000
    table = (tmp_path / "sweep" / "sweep.md").read_text()
    assert "| 1 | lr1e-3 |" in table and "| 2 |" in table

    # The base comparison's way of reusing a result: the same overrides at the same budget are taken
    # from the other sweep, never retrained; a configuration it has not recorded waits for a rerun.
    winner = first["promoted"][0]
    other = Plan(recipe=RECIPE, rungs=[2], common=plan.common,
                 configs={"same": plan.configs[winner], "not-there": ["train.learning_rate=5e-4"]},
                 reuse={"same": str(tmp_path / "sweep"), "not-there": str(tmp_path / "sweep")})
    reused = run_sweep(other, tmp_path / "reuse", data_dir=data_dir)["rungs"][0]["results"]
    assert list(reused) == ["same"] and reused["same"]["gleu"] == second["results"][winner]["gleu"]
    assert not (tmp_path / "reuse" / "same").exists()  # nothing trained
