"""A deterministic stand-in for the proofreading backend, speaking the HTTP API of docs/API.md.

The browser tests use it where they need a known correction (to check Apply, reject and undo
exactly) or precise timing (cancel mid-stream); the real backend is used for the end-to-end flow.
It also answers the Gradio Space's raw HTTP API (/gradio_api/call/proofread, /gradio_api/info) for
Space mode, and serves a minimal "web app" page at / for the fallback's "Open the web app".
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from backend.api.schemas import Health, QueueState
from backend.scoring import PolitenessScore, Reason, Score, Scores
from backend.types import ModelInfo
from tests.fakes import make_result

# Fixed corrections, applied in order. Chosen to hit the fixtures' drafts.
CORRECTIONS = [("I has", "I have"), ("Their is", "There is"), ("recieve", "receive"), ("teh", "the"), ("\n\n\n", "\n\n")]
STUB_MODEL = ModelInfo(engine="stub", base="stub", chat_format="none")


def correct(text: str) -> str:
    for wrong, right in CORRECTIONS:
        text = text.replace(wrong, right)
    return text


def scores(text: str) -> Scores:
    polite = "please" in text.lower() or "thanks" in text.lower()
    gratitude = [Reason(strategy="gratitude", effect="polite", present=True, evidence="thanks")]
    return Scores(
        sentiment=Score(value=0.3, label="positive", emoji="🙂"),
        politeness=PolitenessScore(
            value=0.8 if polite else 0.45,
            label="polite" if polite else "neutral",
            emoji="😊" if polite else "😐",
            reasons=gratitude if polite else [],
        ),
    )


def result(text: str) -> dict:
    """The Result JSON the real backend would send, built with its own models (backend/types.py)."""
    corrected = correct(text)
    return make_result(text, corrected, scores(text), scores(corrected), STUB_MODEL).model_dump(mode="json")


def health() -> dict:
    return Health(status="ok", model_loaded=True, model=STUB_MODEL, versions={},
                  queue=QueueState(waiting=0, capacity=8)).model_dump(mode="json")


WEB_APP = """<!doctype html><meta charset=utf-8><title>Proofreader web app (stub)</title>
<textarea id=email rows=8 cols=60></textarea>
<script>
const m = location.hash.match(/draft=([^&]*)/);
if (m) document.getElementById("email").value = decodeURIComponent(m[1]);
</script>"""


class StubBackend:
    """Runs on 127.0.0.1:<free port>. `token_delay` slows the stream (for cancel tests)."""

    def __init__(self, token_delay: float = 0.0):
        self.token_delay = token_delay
        self.requests: list[dict] = []
        self.disconnects = 0
        self.space_jobs: dict[str, str] = {}
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output quiet (and draft-free)
                pass

            def _send(self, status, body: bytes, content_type="application/json"):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if self.path == "/v1/health":
                    self._send(200, json.dumps(health()).encode())
                elif self.path == "/gradio_api/info":
                    self._send(200, json.dumps({"named_endpoints": {"/proofread": {}, "/score": {}}}).encode())
                elif self.path.startswith("/gradio_api/call/proofread/"):
                    text = stub.space_jobs.pop(self.path.rsplit("/", 1)[1], None)
                    if text is None:
                        body = b"event: error\ndata: null\n\n"
                    else:
                        body = f"event: generating\ndata: null\n\nevent: complete\ndata: {json.dumps([result(text)])}\n\n".encode()
                    self._send(200, body, "text/event-stream")
                elif self.path.split("#")[0] in ("/", "/index.html"):
                    self._send(200, WEB_APP.encode(), "text/html; charset=utf-8")
                else:
                    self._send(404, b'{"error": {"code": "not_found", "message": "no"}}')

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                stub.requests.append({"path": self.path, "body": body})
                text = body.get("text", "")
                if self.path == "/gradio_api/call/proofread":
                    # Gradio's raw HTTP API: data = [email, temperature, top_p, max_tokens]
                    event_id = str(len(stub.requests))
                    stub.space_jobs[event_id] = body["data"][0]
                    self._send(200, json.dumps({"event_id": event_id}).encode())
                elif not text.strip():
                    self._send(422, b'{"error": {"code": "empty", "message": "The draft is empty."}}')
                elif self.path == "/v1/proofread":
                    self._send(200, json.dumps(result(text)).encode())
                elif self.path == "/v1/proofread/stream":
                    self._stream(text)
                else:
                    self._send(404, b'{"error": {"code": "not_found", "message": "no"}}')

            def _stream(self, text):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-store")
                self.send_header("Connection", "close")
                self.end_headers()
                try:
                    for word in re.findall(r"\S+\s*", correct(text)):
                        self.wfile.write(f"event: token\ndata: {json.dumps({'text': word})}\n\n".encode())
                        self.wfile.flush()
                        time.sleep(stub.token_delay)
                    self.wfile.write(f"event: result\ndata: {json.dumps(result(text))}\n\n".encode())
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    stub.disconnects += 1
                self.close_connection = True

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
