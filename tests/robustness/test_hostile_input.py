"""Hostile and odd input through a real server: a clear error or the text unchanged, never
garbage, never a 500, never a lost request, and no email text in the server's logs."""

import json
import threading

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import start_backend, stop_backend

SECRET_WORDS = "zanzibarquokka"  # planted in every draft below; must never reach the logs


@pytest.fixture(scope="module")
def server():
    process, url = start_backend("--queue-size", "2")
    box = {"url": url}
    yield box
    box["log"] = stop_backend(process)
    assert SECRET_WORDS not in box["log"], "email text reached the server log"
    assert "POST /v1/proofread" in box["log"]  # the log exists and records requests (sizes and timings only)


def post(url, body, **kwargs):
    return httpx.post(f"{url}/v1/proofread", json=body, timeout=300, **kwargs)


@pytest.mark.parametrize(
    "text, expected_code",
    [
        ("", "empty"),
        (" \n\t  \n", "empty"),
        (f"{SECRET_WORDS} " * 200_000, "too_large"),
        (f"<html><body><div>Hi {SECRET_WORDS}</div><p>Regards</p></body></html>", "html"),
        (f"{SECRET_WORDS}\x00\x01\x02 binary", "binary"),
    ],
)
def test_refused_input_gets_a_clear_error(server, text, expected_code):
    response = post(server["url"], {"text": text})
    assert response.status_code in (413, 422)
    error = response.json()["error"]
    assert error["code"] == expected_code and error["message"]


def test_invalid_utf8_body_is_a_clear_422(server):
    body = b'{"text": "Hi \xff\xfe ' + SECRET_WORDS.encode() + b'"}'
    response = httpx.post(f"{server['url']}/v1/proofread", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.json()["error"]["code"] == "invalid_request"


@pytest.mark.parametrize(
    "text",
    [
        f"مرحبا {SECRET_WORDS}، هل يمكنك إرسال التقرير غدا؟ شكرا",
        f"שלום {SECRET_WORDS}, האם תוכל לשלוח את הדוח מחר? תודה",
        f"Guten Tag {SECRET_WORDS}, könnten Sie mir bitte den Bericht bis morgen schicken? Danke und viele Grüße",
        f"こんにちは {SECRET_WORDS}、明日レポートを送っていただけますか？",
        "🙂🎉🙏🔥 👍👍",
    ],
)
def test_other_languages_and_emoji_only_come_back_unchanged(server, text):
    result = post(server["url"], {"text": text}).json()
    assert result["corrected"] == text and not result["changed"] and result["warnings"]


def test_english_with_emoji_keeps_the_emoji(server):
    text = f"Hi {SECRET_WORDS} 🎉,\nThanks for the party photos! 🙏\nBest,\nAna"
    result = post(server["url"], {"text": text, "options": {"max_tokens": 60}}).json()
    assert "🎉" in result["corrected"] and "🙏" in result["corrected"]


def test_burst_beyond_the_queue_answers_every_request_with_200_or_503_retry_after(server):
    outcomes, lock = [], threading.Lock()

    def call(i):
        response = post(server["url"], {"text": f"Hi {SECRET_WORDS},\nThe file are ready {i}.\nBo", "options": {"max_tokens": 8}})
        busy = response.json()["error"]["code"] if response.status_code == 503 else None
        with lock:
            outcomes.append((response.status_code, response.headers.get("retry-after"), busy))

    threads = [threading.Thread(target=call, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    codes = [code for code, _, _ in outcomes]
    assert len(codes) == 12 and set(codes) <= {200, 503} and 503 in codes and 200 in codes
    assert all(retry and busy == "busy" for code, retry, busy in outcomes if code == 503)


def test_cancelled_stream_frees_the_worker(server):
    url = server["url"]
    before = httpx.get(f"{url}/v1/health").json()["queue"]["cancelled_total"]
    long_email = f"Hi {SECRET_WORDS},\n\n" + "I has a long list of thing to tell you about the project. " * 20 + "\n\nBest,\nAna"
    with httpx.stream("POST", f"{url}/v1/proofread/stream", json={"text": long_email, "options": {"max_tokens": 400}}, timeout=120) as response:
        for line in response.iter_lines():
            if line:
                break  # leave at the first sign of life (a heartbeat while the first part is proofread, or a token)
    after_cancel = post(url, {"text": f"Hi {SECRET_WORDS},\nok.\nBo", "options": {"max_tokens": 4}})
    assert after_cancel.status_code == 200
    health = httpx.get(f"{url}/v1/health").json()
    assert health["queue"]["cancelled_total"] == before + 1 and health["queue"]["waiting"] == 0


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8,
)
_options = st.fixed_dictionaries(
    {"max_tokens": st.integers(min_value=-2, max_value=3)},
    optional={"temperature": st.floats(-1, 3, allow_nan=False), "top_p": st.floats(-0.5, 1.5, allow_nan=False)},
)
_bodies = st.one_of(
    _json_values,
    st.fixed_dictionaries({"text": st.text(max_size=120), "options": _options}),
    st.fixed_dictionaries({"text": _json_values, "options": _json_values}),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=_bodies, route=st.sampled_from(["/v1/proofread", "/v1/score"]))
def test_fuzzed_requests_never_get_a_500(server, body, route):
    response = httpx.post(f"{server['url']}{route}", content=json.dumps(body), headers={"content-type": "application/json"}, timeout=300)
    assert response.status_code in (200, 413, 422, 503), response.text
