from pathlib import Path

import pytest

from training.config import load_recipe

pytestmark = pytest.mark.fast

RECIPES = Path(__file__).resolve().parents[2] / "training" / "recipes"


@pytest.mark.parametrize("path", sorted(RECIPES.glob("*.yaml")), ids=lambda p: p.name)
def test_every_recipe_parses(path):
    recipe = load_recipe(path)
    assert recipe.base in {"gemma3-270m", "smollm2-135m"}
    assert recipe.lora.r > 0 and recipe.train.learning_rate > 0


def test_cli_overrides_and_types():
    recipe = load_recipe(RECIPES / "gemma3-270m-proofread.yaml",
                         ["train.max_steps=7", "lora.r=4", "lora.target_modules=[q_proj,v_proj]", "base=smollm2-135m"])
    assert recipe.train.max_steps == 7 and recipe.lora.r == 4
    assert recipe.lora.target_modules == ["q_proj", "v_proj"]
    assert recipe.base == "smollm2-135m"


def test_unknown_key_is_an_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ntrain:\n  learning_rte: 0.1\n")
    with pytest.raises(ValueError, match="learning_rte"):
        load_recipe(bad)
