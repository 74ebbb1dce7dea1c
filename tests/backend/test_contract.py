"""Every proofreader keeps the one contract of backend/types.py, and the factory builds each from Settings."""

from __future__ import annotations

import inspect

import pytest

from backend.config import Settings
from backend.engines.space_engine import SpaceProofreader
from backend.factory import build_proofreader
from backend.proofreader import LlamaProofreader
from backend.types import Proofreader
from tests.fakes import FakeProofreader
from training.baselines.harper_proofreader import HarperProofreader

pytestmark = pytest.mark.fast

IMPLEMENTATIONS = [LlamaProofreader, SpaceProofreader, HarperProofreader, FakeProofreader]


def _parameters(function) -> list[tuple[str, object]]:
    return [(p.name, p.default) for p in inspect.signature(function).parameters.values()]


@pytest.mark.parametrize("implementation", IMPLEMENTATIONS, ids=lambda c: c.__name__)
def test_each_proofreader_has_the_protocols_methods_with_its_parameters(implementation):
    for name in ("proofread", "score"):
        assert _parameters(getattr(implementation, name)) == _parameters(getattr(Proofreader, name)), name
    assert isinstance(inspect.getattr_static(implementation, "model_info"), property)


def test_the_factory_builds_the_engine_the_settings_name_without_loading_anything_remote():
    space = build_proofreader(Settings(engine="space", space="http://127.0.0.1:9/"))
    assert isinstance(space, SpaceProofreader) and space.model_info.engine == "space"
    with pytest.raises(ValueError, match="--space"):
        build_proofreader(Settings(engine="space"))
