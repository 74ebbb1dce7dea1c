"""The backend's Space mode (`--engine space`) against the real Gradio server and model."""

from __future__ import annotations

import pytest

from backend.config import Settings
from backend.engines.space_engine import SpaceError, SpaceProofreader
from backend.factory import build_proofreader
from backend.input_checks import InputError
from backend.types import Options, Result
from tests.conftest import free_port
from tests.space.conftest import MAX_TOKENS
from tests.space.test_space_api import EMAIL, RUDE, assert_is_result_of


@pytest.fixture(scope="module")
def remote(space_url):
    return SpaceProofreader(Settings(engine="space", space=space_url))


def test_factory_builds_the_space_engine_from_settings(space_url):
    proofreader = build_proofreader(Settings(engine="space", space=space_url))
    assert isinstance(proofreader, SpaceProofreader)
    assert proofreader.model_info.engine == "space" and proofreader.model_info.base == space_url


def test_proofread_through_the_space_returns_the_same_result_shape(remote, proofreader, space_url):
    pieces: list[str] = []
    result = remote.proofread(EMAIL, Options(max_tokens=MAX_TOKENS), on_token=pieces.append)
    assert isinstance(result, Result)
    assert_is_result_of(result.model_dump(mode="json"), EMAIL)
    assert set(result.model_dump()) == set(Result.model_fields)
    assert result.model.engine == "space" and result.model.base == space_url
    assert result.model.chat_format == proofreader.model_info.chat_format
    assert 0 < result.timings.generated_tokens <= MAX_TOKENS
    assert pieces == ([result.corrected] if result.corrected else [])


def test_score_through_the_space_matches_the_local_scorer(remote, proofreader):
    assert remote.score(RUDE) == proofreader.score(RUDE)


@pytest.mark.fast
def test_input_is_checked_locally_before_any_call():
    # No Space at this address: an InputError (not a connection error) proves nothing was sent.
    offline = SpaceProofreader(Settings(engine="space", space=f"http://127.0.0.1:{free_port()}/"))
    with pytest.raises(InputError) as caught:
        offline.proofread("  ")
    assert caught.value.code == "empty"
    with pytest.raises(InputError):
        offline.score("<html><body><div>hi</div></body></html>")


def test_the_spaces_own_refusals_come_back_as_input_errors(space_url):
    # A client configured with a larger limit than the Space: the Space refuses, with the same code.
    lenient = SpaceProofreader(Settings(engine="space", space=space_url, max_input_chars=100_000))
    with pytest.raises(InputError) as caught:
        lenient.score("word " * 5_000)
    assert caught.value.code == "too_large" and "limit is 20,000" in caught.value.message


@pytest.mark.fast
def test_an_unreachable_space_is_a_clear_error():
    offline = SpaceProofreader(Settings(engine="space", space=f"http://127.0.0.1:{free_port()}/"))
    with pytest.raises(SpaceError, match="Cannot reach the Space"):
        offline.score("Thanks for the update.")


@pytest.mark.fast
def test_space_engine_needs_a_space():
    with pytest.raises(ValueError, match="--space"):
        SpaceProofreader(Settings(engine="space"))


@pytest.mark.fast
def test_the_hugging_face_token_only_goes_to_hugging_face():
    from backend.engines.space_engine import _hf_token_policy

    assert _hf_token_policy("owner/email-proofreader") is None
    assert _hf_token_policy("https://owner-email-proofreader.hf.space/") is None
    assert _hf_token_policy("http://127.0.0.1:7860/") is False
    assert _hf_token_policy("https://proofread.example.com/") is False
    assert _hf_token_policy("https://hf.space.example.com/") is False


def test_no_token_header_is_sent_to_a_self_hosted_space(space_url, monkeypatch):
    from gradio_client import Client

    monkeypatch.setenv("HF_TOKEN", "hf_not_a_real_token_for_this_test")
    # Control: gradio_client left to itself sends the token to any URL.
    assert "x-hf-authorization" in Client(space_url, verbose=False, analytics_enabled=False).headers
    client = SpaceProofreader(Settings(engine="space", space=space_url)).connect()
    assert not {"authorization", "x-hf-authorization"} & {k.lower() for k in client.headers}
