"""Checks that refuse a request before any route sees it: a Host the server does not answer to, and a
body over the byte cap. Plain ASGI (not `@app.middleware`), so the body is counted as it arrives."""

from __future__ import annotations

import logging

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from backend.api.errors import error_response

log = logging.getLogger("backend.api")


def host_name(host_header: str) -> str:
    """'127.0.0.1:8000' -> '127.0.0.1', '[::1]:8000' -> '[::1]'."""
    host = host_header.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1]
    return host.partition(":")[0]


class AllowedHosts:
    """Answers only requests whose Host header names this server. A web page can point its own
    domain at 127.0.0.1 (DNS rebinding) and then call the local server as a same-origin site, which
    CORS does not stop; its requests still carry the page's host name, so they are refused here."""

    def __init__(self, app: ASGIApp, hosts: set[str]) -> None:
        self.app = app
        self.hosts = {name.lower() for name in hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and "*" not in self.hosts:
            if host_name(Headers(scope=scope).get("host", "")) not in self.hosts:
                log.info("%s %s -> 400 (host not allowed)", scope["method"], scope["path"])
                response = error_response(
                    400, "host_not_allowed", "This server does not answer to that host name (PROOFREAD_ALLOWED_HOSTS)."
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class BodySizeLimit:
    """Reads the body before the app does, and stops reading at `max_bytes`: a body sent with
    `Transfer-Encoding: chunked` has no Content-Length to check, and would otherwise be read whole
    into memory before the draft's own size check refused it. What fits the cap is handed on unchanged."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        log.info("%s %s -> 413 (body over %d bytes)", scope["method"], scope["path"], self.max_bytes)
        response = error_response(413, "too_large", f"The request is over {self.max_bytes:,} bytes.")
        await response(scope, receive, send)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = Headers(scope=scope).get("content-length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            await self._too_large(scope, receive, send)
            return
        parts: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client left before sending its body
            parts.append(message.get("body", b""))
            size += len(parts[-1])
            if size > self.max_bytes:
                # The rest is never read: the server answers and closes the connection.
                await self._too_large(scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        body: Message | None = {"type": "http.request", "body": b"".join(parts), "more_body": False}

        async def replay() -> Message:
            nonlocal body
            if body is not None:
                message, body = body, None
                return message
            return await receive()  # later calls wait for the client's disconnect, as streaming responses do

        await self.app(scope, replay, send)
