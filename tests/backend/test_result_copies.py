"""Copies of the HTTP shapes outside the backend stay exactly the backend's: the browser tests' stub
backend (tests/browser/stub_backend.py) and the extension's sample result (its unit tests' input).
Exactly means a round trip through the pydantic model gives back the same JSON: no missing field, no
extra one, no field of another type."""

from __future__ import annotations

import json

import pytest

from backend.api.schemas import Health
from backend.config import REPO_ROOT
from backend.types import Result
from tests.browser import stub_backend

pytestmark = pytest.mark.fast

SAMPLE_RESULT = REPO_ROOT / "extension" / "test" / "fixtures" / "sample-result.json"


def assert_exactly(model, payload: dict) -> None:
    assert model.model_validate(payload).model_dump(mode="json") == payload


def test_the_extensions_sample_result_is_a_result():
    assert_exactly(Result, json.loads(SAMPLE_RESULT.read_text(encoding="utf-8")))


@pytest.mark.parametrize("draft", ["Hi Sam,\nI has sent teh report.\nThanks", "Nothing to fix here."])
def test_the_stub_backends_result_is_a_result_of_its_draft(draft):
    payload = stub_backend.result(draft)
    assert_exactly(Result, payload)
    assert payload["original"] == draft and "".join(s["corrected"] for s in payload["diff"]) == payload["corrected"]


def test_the_stub_backends_health_is_the_health_schema():
    assert_exactly(Health, stub_backend.health())


def test_a_changed_shape_is_caught():
    """The check itself: a renamed field fails it."""
    payload = stub_backend.result("I has it.")
    payload["warning"] = payload.pop("warnings")
    with pytest.raises(AssertionError):
        assert_exactly(Result, payload)
