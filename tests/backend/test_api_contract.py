"""The HTTP contract (docs/API.md) in process: FastAPI's TestClient over the real app, with a fake
core (tests/fakes.py) in place of the model. Status codes, error bodies, SSE framing, auth, CORS and
limits are the app's own code, so they are checked here in seconds; tests/backend/test_api.py runs
the same app on the real model under real uvicorn."""

from __future__ import annotations

import json
import logging
import threading
import time

import pytest
from fastapi.testclient import TestClient

from backend.api.app import create_app
from backend.api.schemas import Health
from backend.config import Settings
from backend.engines.space_engine import SpaceError, SpaceProofreader
from backend.scoring import Scores
from backend.types import Result
from tests.conftest import free_port
from tests.fakes import FAKE_MODEL, FakeProofreader

pytestmark = pytest.mark.fast

EMAIL = "Hi Sam,\n\nI has attached the report you ask for.\n\nBest,\nDana"
ROUTES = ["/v1/proofread", "/v1/proofread/stream", "/v1/score"]


def client_for(proofreader=None, **settings) -> TestClient:
    """A client of the real app; `with` runs its start-up (the worker) and shut-down."""
    app = create_app(Settings(**settings), proofreader or FakeProofreader(settings.get("max_input_chars", 20_000)))
    # Server errors come back as responses (as a client sees them), not as exceptions in the test; the
    # Host is one the server answers to by default (Settings.allowed_hosts).
    return TestClient(app, base_url="http://127.0.0.1:8000", raise_server_exceptions=False)


@pytest.fixture
def client():
    with client_for() as client:
        yield client


def sse_events(text: str) -> list[tuple[str, dict]]:
    """Strict SSE framing: every event is `event: NAME` then `data: JSON`, ended by a blank line; a
    block may also be the `: working` heartbeat comment, which clients skip."""
    assert text.endswith("\n\n")
    events = []
    for block in text[:-2].split("\n\n"):
        if block == ": working":
            continue
        event_line, data_line = block.split("\n")
        assert event_line.startswith("event: ") and data_line.startswith("data: ")
        events.append((event_line[len("event: "):], json.loads(data_line[len("data: "):])))
    return events


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code and body["error"]["message"]
    return body


# --- the successful answers ----------------------------------------------------------------------

def test_health_reports_model_queue_and_versions(client):
    health = Health.model_validate(client.get("/v1/health").json())
    assert health.status == "ok" and health.model_loaded and health.model == FAKE_MODEL
    assert health.queue.capacity == Settings().queue_size and health.queue.waiting == 0
    assert "backend" in health.versions


def test_proofread_answers_a_result(client):
    response = client.post("/v1/proofread", json={"text": EMAIL, "options": {"max_tokens": 24}})
    assert response.status_code == 200
    result = Result.model_validate(response.json())
    assert result.original == EMAIL and result.corrected == EMAIL.replace("I has", "I have") and result.changed
    assert response.json() == result.model_dump(mode="json")  # nothing more, nothing less than a Result


def test_score_answers_scores(client):
    response = client.post("/v1/score", json={"text": "Send me the report now."})
    assert response.status_code == 200
    assert Scores.model_validate(response.json()).politeness.label


def test_stream_frames_tokens_then_the_same_result_as_the_json_route(client):
    body = {"text": EMAIL, "options": {"max_tokens": 24}}
    response = client.post("/v1/proofread/stream", json=body)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-store"
    events = sse_events(response.text)
    kinds = [kind for kind, _ in events]
    assert kinds[-1] == "result" and set(kinds[:-1]) == {"token"}
    assert "".join(data["text"] for _, data in events[:-1]) == events[-1][1]["corrected"]
    assert events[-1][1] == client.post("/v1/proofread", json=body).json()


def test_unicode_and_line_breaks_survive_the_stream(client):
    text = "Hi Zoë,\r\nI has the café's menu 🙂.\r\nBo"
    events = sse_events(client.post("/v1/proofread/stream", json={"text": text}).text)
    assert events[-1][1]["original"] == text
    assert "".join(data["text"] for _, data in events[:-1]) == text.replace("I has", "I have")


# --- refused requests ----------------------------------------------------------------------------

@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize(
    "body, code",
    [
        ({"text": ""}, "empty"),
        ({"text": "   \n"}, "empty"),
        ({}, "invalid_request"),
        ({"text": 42}, "invalid_request"),
        ({"text": "<html><body><p>Hi</p><p>there</p></body></html>"}, "html"),
        ({"text": "Hi\x00\x01 there"}, "binary"),
    ],
)
def test_bad_drafts_and_requests_are_422_with_a_code(client, route, body, code):
    assert_error(client.post(route, json=body), 422, code)


@pytest.mark.parametrize("route", ["/v1/proofread", "/v1/proofread/stream"])
def test_invalid_options_are_422(client, route):
    body = assert_error(client.post(route, json={"text": "Hi", "options": {"temperature": 9}}), 422, "invalid_request")
    assert "options.temperature" in body["error"]["message"]


@pytest.mark.parametrize("content", [b'{"text": "Hi', b'{"text": "Hi \xff\xfe there"}'], ids=["truncated", "not-utf8"])
def test_malformed_json_is_422(client, content):
    response = client.post("/v1/proofread", content=content, headers={"content-type": "application/json"})
    assert_error(response, 422, "invalid_request")


@pytest.mark.parametrize("route", ROUTES)
def test_a_draft_over_the_limit_is_413_too_large(route):
    with client_for(max_input_chars=100) as client:
        body = assert_error(client.post(route, json={"text": "word " * 21}), 413, "too_large")
    assert "limit is 100" in body["error"]["message"]


def test_a_body_over_the_byte_limit_is_refused_before_parsing():
    proofreader = FakeProofreader(max_input_chars=100)
    with client_for(proofreader, max_input_chars=100) as client:
        # 100 chars x 8 bytes + 64 KiB of overhead is the most a valid request can need.
        content = b'{"text": "' + b"a" * 70_000 + b'"}'
        response = client.post("/v1/proofread", content=content, headers={"content-type": "application/json"})
    assert_error(response, 413, "too_large")
    assert proofreader.calls == 0


def test_a_body_without_content_length_is_cut_off_at_the_byte_limit():
    proofreader = FakeProofreader(max_input_chars=100)
    with client_for(proofreader, max_input_chars=100) as client:
        chunks = (b'{"text": "' if i == 0 else b"a" * 10_000 for i in range(8))  # chunked: no Content-Length
        response = client.post("/v1/proofread", content=chunks, headers={"content-type": "application/json"})
    assert_error(response, 413, "too_large")
    assert proofreader.calls == 0


def test_a_host_the_server_does_not_answer_to_is_400():
    with client_for() as client:
        refused = client.get("/v1/health", headers={"Host": "rebound.example"})
        assert_error(refused, 400, "host_not_allowed")
        assert client.get("/v1/health", headers={"Host": "localhost:8000"}).status_code == 200
    with client_for(allowed_hosts=["proofread.example.com"]) as client:
        assert client.get("/v1/health", headers={"Host": "proofread.example.com"}).status_code == 200


def test_unknown_route_and_wrong_method_have_error_bodies(client):
    assert_error(client.get("/v1/nothing"), 404, "not_found")
    assert_error(client.get("/v1/proofread"), 405, "method_not_allowed")


# --- auth and CORS -------------------------------------------------------------------------------

@pytest.mark.parametrize("route", ROUTES)
def test_api_key_is_required_when_configured(route):
    with client_for(api_key="s3cret") as client:
        assert_error(client.post(route, json={"text": EMAIL}), 401, "unauthorized")
        wrong = client.post(route, json={"text": EMAIL}, headers={"Authorization": "Bearer s3cre"})
        assert_error(wrong, 401, "unauthorized")
        right = client.post(route, json={"text": EMAIL}, headers={"Authorization": "Bearer s3cret"})
        assert right.status_code == 200
        assert client.get("/v1/health").status_code == 200  # load balancers probe it without a key


def test_cors_answers_only_the_configured_origins():
    with client_for(allowed_origins=["chrome-extension://abc"]) as client:
        preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
        allowed = client.options("/v1/proofread", headers={"Origin": "chrome-extension://abc", **preflight})
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == "chrome-extension://abc"
        other = client.options("/v1/proofread", headers={"Origin": "https://evil.example", **preflight})
        assert other.headers.get("access-control-allow-origin") is None
        simple = client.post("/v1/score", json={"text": "Hi there."}, headers={"Origin": "https://evil.example"})
        assert simple.headers.get("access-control-allow-origin") is None


def test_no_cors_at_all_by_default(client):
    response = client.options("/v1/proofread", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert response.headers.get("access-control-allow-origin") not in ("*", "https://evil.example")


# --- failures of the core: one error path for the JSON route and the stream -----------------------

SECRET = "zanzibarquokka"


@pytest.mark.parametrize(
    "error, status, code",
    [
        (SpaceError(f"The Space failed on {SECRET}"), 502, "upstream_unavailable"),
        (RuntimeError(f"model broke on {SECRET}"), 500, "internal"),
    ],
)
def test_a_failing_core_gives_the_same_error_on_json_and_stream(error, status, code):
    with client_for(FakeProofreader(fails_with=error)) as client:
        body = assert_error(client.post("/v1/proofread", json={"text": EMAIL}), status, code)
        stream = client.post("/v1/proofread/stream", json={"text": EMAIL})
    assert stream.status_code == 200  # the stream had started: the error comes as its last event
    assert sse_events(stream.text) == [("error", body)]
    assert SECRET not in json.dumps(body)  # exception texts can quote the draft: never sent


def wait_until(condition, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.01)


def test_a_full_queue_is_503_with_retry_after_on_every_model_route():
    hold = threading.Event()
    with client_for(FakeProofreader(hold=hold), queue_size=1) as client:
        worker = client.app.state.worker
        try:
            worker.submit(hold.wait)  # the worker is busy with this one...
            wait_until(lambda: worker.waiting == 0)
            worker.submit(hold.wait)  # ...and this one fills the queue
            for route in ("/v1/proofread", "/v1/proofread/stream"):
                response = client.post(route, json={"text": EMAIL})
                assert_error(response, 503, "busy")
                assert int(response.headers["retry-after"]) > 0
            assert client.post("/v1/score", json={"text": EMAIL}).status_code == 200  # scoring skips the queue
        finally:
            hold.set()


def test_the_real_space_client_with_nothing_listening_is_a_502_on_both_routes():
    space = f"http://127.0.0.1:{free_port()}/"
    with client_for(SpaceProofreader(Settings(engine="space", space=space))) as client:
        body = assert_error(client.post("/v1/proofread", json={"text": EMAIL}), 502, "upstream_unavailable")
        stream = client.post("/v1/proofread/stream", json={"text": EMAIL})
        assert sse_events(stream.text) == [("error", body)]
        assert client.get("/v1/health").json()["model"]["engine"] == "space"


def test_requests_are_logged_without_the_email_text(client, caplog):
    with caplog.at_level(logging.INFO, logger="backend.api"):
        client.post("/v1/proofread", json={"text": f"Hi Ann, I has the {SECRET} notes."})
        client.post("/v1/proofread/stream", json={"text": f"Hi Ann, I has the {SECRET} notes."})
        client.post("/v1/proofread", json={"text": f"<html><body><p>{SECRET}</p><p>x</p></body></html>"})
    assert "POST /v1/proofread -> 200" in caplog.text and "POST /v1/proofread -> 422" in caplog.text
    assert SECRET not in caplog.text
