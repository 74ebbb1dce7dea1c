"""Settings as recorded in commands: what reruns a measurement, and never the API key."""

import pytest

from backend.config import environment_overrides

pytestmark = pytest.mark.fast


def test_a_recorded_command_carries_the_settings_from_the_environment_but_not_the_api_key(monkeypatch):
    monkeypatch.setenv("PROOFREAD_TONE_RULES", "False")
    monkeypatch.setenv("PROOFREAD_CHUNK_WORDS", "80")
    monkeypatch.setenv("PROOFREAD_API_KEY", "s3cret")
    monkeypatch.setenv("PROOFREAD_NOT_A_SETTING", "x")
    assert environment_overrides() == "PROOFREAD_CHUNK_WORDS=80 PROOFREAD_TONE_RULES=False "
