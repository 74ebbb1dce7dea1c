"""The Space's API (docs/API.md) through the real gradio_client and raw HTTP, on the real model."""

from __future__ import annotations

import json

import httpx
import pytest
from gradio_client.exceptions import AppError

from backend.scoring import Scores
from backend.types import Result
from tests.space.conftest import MAX_TOKENS

EMAIL = "hi sam,\n\ni has attached the report you ask for.\n\nbest,\ndana"
RUDE = "Why didn't you send the file? This is ridiculous. Send it now."


def assert_is_result_of(payload: dict, email: str) -> Result:
    result = Result.model_validate(payload)
    assert result.original == email
    assert result.changed == (result.corrected != email)
    assert "".join(s.original for s in result.diff) == email
    assert "".join(s.corrected for s in result.diff) == result.corrected
    for scores in (result.scores_before, result.scores_after):
        assert scores.sentiment.emoji and scores.politeness.emoji and scores.politeness.label
    return result


def test_api_page_lists_exactly_the_documented_endpoints(space_url):
    info = httpx.get(space_url + "gradio_api/info", timeout=30).json()
    endpoints = info["named_endpoints"]
    assert set(endpoints) == {"/proofread", "/score"}
    assert [p["parameter_name"] for p in endpoints["/proofread"]["parameters"]] == [
        "email", "temperature", "top_p", "max_tokens",
    ]
    assert [p["parameter_name"] for p in endpoints["/score"]["parameters"]] == ["email"]
    assert len(endpoints["/proofread"]["returns"]) == 1 and len(endpoints["/score"]["returns"]) == 1


def test_gradio_client_proofread_returns_a_result(space_client):
    payload = space_client.predict(
        email=EMAIL, temperature=0.0, top_p=1.0, max_tokens=MAX_TOKENS, api_name="/proofread"
    )
    result = assert_is_result_of(payload, EMAIL)
    assert result.model.engine == "llama.cpp" and result.model.base.endswith(".gguf")
    assert 0 < result.timings.generated_tokens <= MAX_TOKENS
    assert result.scores_before.model_dump() == Scores.model_validate(payload["scores_before"]).model_dump()


def test_gradio_client_score_explains_a_rude_email(space_client):
    scores = Scores.model_validate(space_client.predict(email=RUDE, api_name="/score"))
    assert scores.politeness.label == "rude" and scores.politeness.emoji
    assert any(r.effect == "rude" and r.present for r in scores.politeness.reasons)
    assert -1.0 <= scores.sentiment.value <= 1.0


@pytest.mark.parametrize(
    ("email", "code"),
    [("   \n", "empty"), ("<html><body><p>Hi</p><div>there</div></body></html>", "html"), ("x" * 20_001, "too_large")],
)
def test_refused_drafts_are_errors_with_the_input_check_message(space_client, email, code):
    with pytest.raises(AppError) as caught:
        space_client.predict(email=email, api_name="/score")
    assert caught.value.title.endswith(f"({code})")
    with pytest.raises(AppError) as caught:
        space_client.predict(email=email, max_tokens=4, api_name="/proofread")
    assert caught.value.title.endswith(f"({code})") and caught.value.message


def test_invalid_options_are_refused_without_running_the_model(space_client):
    with pytest.raises(AppError, match="Invalid generation options"):
        space_client.predict(email=EMAIL, temperature=5.0, api_name="/proofread")


def sse_events(url: str, path: str, data: list) -> list[tuple[str, str]]:
    """POST /gradio_api/call/<path> then read its SSE stream, as the extension's Space mode does."""
    event_id = httpx.post(f"{url}gradio_api/call/{path}", json={"data": data}, timeout=30).json()["event_id"]
    events, name = [], None
    with httpx.stream("GET", f"{url}gradio_api/call/{path}/{event_id}", timeout=300) as response:
        for line in response.iter_lines():
            if line.startswith("event:"):
                name = line.split(":", 1)[1].strip()
            elif line.startswith("data:") and name:
                events.append((name, line.split(":", 1)[1].strip()))
    return events


def test_raw_http_call_ends_with_complete_and_the_result(space_url):
    events = sse_events(space_url, "proofread", [EMAIL, 0, 1, 8])
    name, data = events[-1]
    assert name == "complete"
    (payload,) = json.loads(data)
    assert_is_result_of(payload, EMAIL)


def test_raw_http_error_event_carries_the_message(space_url):
    name, data = sse_events(space_url, "proofread", ["", 0, 1, 8])[-1]
    assert name == "error"
    error = json.loads(data)
    assert error["error"] == "The draft is empty: there is nothing to proofread."
    assert error["title"].endswith("(empty)")
