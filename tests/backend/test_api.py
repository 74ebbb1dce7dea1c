"""The HTTP API against real uvicorn servers: the real model answers each route once. The contract
itself (status codes, error bodies, framing, auth, CORS, limits) is tested in process with a fake
core, in seconds: tests/backend/test_api_contract.py."""

import httpx

from tests.conftest import free_port, read_events, start_backend, stop_backend

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


def test_a_megabyte_body_is_refused_before_parsing(live_backend):
    response = httpx.post(f"{live_backend}/v1/proofread", content=b'{"text": "' + b"a" * 1_100_000 + b'"}',
                          headers={"content-type": "application/json"}, timeout=30)
    assert response.status_code == 413


def test_key_and_an_unreachable_space_through_real_uvicorn_without_a_model():
    """Settings from the environment reach a real server: its API key is enforced, and its Space
    (nothing listens there) is a 502 on the JSON route and an `error` event on the stream."""
    process, url = start_backend("--engine", "space", "--space", f"http://127.0.0.1:{free_port()}/",
                                 env={"PROOFREAD_API_KEY": "s3cret"})
    key = {"Authorization": "Bearer s3cret"}
    try:
        assert httpx.get(f"{url}/v1/health").json()["model"]["engine"] == "space"
        assert httpx.post(f"{url}/v1/proofread", json={"text": EMAIL}).status_code == 401
        response = httpx.post(f"{url}/v1/proofread", json={"text": EMAIL}, headers=key, timeout=60)
        assert response.status_code == 502 and response.json()["error"]["code"] == "upstream_unavailable"
        with httpx.stream("POST", f"{url}/v1/proofread/stream", json={"text": EMAIL}, headers=key, timeout=60) as stream:
            assert read_events(stream) == [("error", response.json())]
    finally:
        stop_backend(process)
