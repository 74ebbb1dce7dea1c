"""The HTTP API against real uvicorn servers running the real model."""

import httpx
import pytest

from tests.conftest import read_events, start_backend, stop_backend

EMAIL = "Hi Sam,\n\nI has attached the report you ask for.\n\nBest,\nDana"
SHORT = {"max_tokens": 24}


def test_health_reports_the_loaded_model(live_backend):
    health = httpx.get(f"{live_backend}/v1/health").json()
    assert health["status"] == "ok" and health["model_loaded"]
    assert health["model"]["base"].endswith(".gguf") and "llama_cpp_python" in health["versions"]
    assert health["queue"]["capacity"] >= 1


def test_proofread_returns_a_result(live_backend):
    response = httpx.post(f"{live_backend}/v1/proofread", json={"text": EMAIL, "options": SHORT}, timeout=120)
    assert response.status_code == 200
    result = response.json()
    assert result["original"] == EMAIL and "".join(s["corrected"] for s in result["diff"]) == result["corrected"]


def test_score_returns_both_indicators(live_backend):
    response = httpx.post(f"{live_backend}/v1/score", json={"text": "Send me the report now."})
    assert response.status_code == 200
    scores = response.json()
    assert {"value", "label", "emoji", "reasons"} <= set(scores["politeness"]) and "emoji" in scores["sentiment"]


def test_stream_sends_tokens_then_the_result(live_backend):
    with httpx.stream("POST", f"{live_backend}/v1/proofread/stream", json={"text": EMAIL, "options": SHORT}, timeout=120) as response:
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/event-stream")
        events = read_events(response)
    kinds = [kind for kind, _ in events]
    assert kinds[-1] == "result" and kinds.count("token") >= 1 and set(kinds[:-1]) == {"token"}
    assert events[-1][1]["original"] == EMAIL


@pytest.mark.parametrize("route", ["/v1/proofread", "/v1/score", "/v1/proofread/stream"])
def test_oversized_draft_is_413(live_backend, route):
    response = httpx.post(f"{live_backend}{route}", json={"text": "word " * 5000}, timeout=30)
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"


def test_a_megabyte_body_is_refused_before_parsing(live_backend):
    response = httpx.post(f"{live_backend}/v1/proofread", content=b'{"text": "' + b"a" * 1_100_000 + b'"}',
                          headers={"content-type": "application/json"}, timeout=30)
    assert response.status_code == 413


@pytest.mark.parametrize(
    "body, code",
    [
        ({"text": ""}, "empty"),
        ({"text": "   \n"}, "empty"),
        ({}, "invalid_request"),
        ({"text": 42}, "invalid_request"),
        ({"text": "<html><body><p>Hi</p><p>there</p></body></html>"}, "html"),
        ({"text": "Hi", "options": {"temperature": 9}}, "invalid_request"),
    ],
)
def test_bad_requests_are_422_with_a_code(live_backend, body, code):
    response = httpx.post(f"{live_backend}/v1/proofread", json=body)
    assert response.status_code == 422 and response.json()["error"]["code"] == code


def test_malformed_json_is_422(live_backend):
    response = httpx.post(f"{live_backend}/v1/proofread", content=b'{"text": "Hi', headers={"content-type": "application/json"})
    assert response.status_code == 422


def test_no_wildcard_cors(live_backend):
    response = httpx.options(f"{live_backend}/v1/proofread",
                             headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert response.headers.get("access-control-allow-origin") not in ("*", "https://evil.example")


def test_api_key_is_required_when_configured():
    process, url = start_backend(env={"PROOFREAD_API_KEY": "s3cret"})
    try:
        assert httpx.post(f"{url}/v1/score", json={"text": "Hi there."}).status_code == 401
        ok = httpx.post(f"{url}/v1/score", json={"text": "Hi there."}, headers={"Authorization": "Bearer s3cret"})
        assert ok.status_code == 200
        assert httpx.get(f"{url}/v1/health").status_code == 200
    finally:
        stop_backend(process)


def test_unreachable_space_is_a_502_and_the_server_stays_up():
    from tests.conftest import free_port

    process, url = start_backend("--engine", "space", "--space", f"http://127.0.0.1:{free_port()}/")
    try:
        assert httpx.get(f"{url}/v1/health").json()["model"]["engine"] == "space"
        response = httpx.post(f"{url}/v1/proofread", json={"text": EMAIL}, timeout=60)
        assert response.status_code == 502 and response.json()["error"]["code"] == "upstream_unavailable"
    finally:
        stop_backend(process)
