"""The FastAPI application: loads the proofreader once, wires middleware, errors and routes."""

from __future__ import annotations

import hmac
import logging
import time
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware

from backend.api.errors import error_response, install_error_handlers
from backend.api.middleware import AllowedHosts, BodySizeLimit
from backend.api.routes import router
from backend.api.worker import ModelWorker
from backend.config import Settings
from backend.factory import build_proofreader

log = logging.getLogger("backend.api")

# JSON escaping can at most ~6x a character; anything bigger is refused before it is parsed.
_BODY_BYTES_PER_CHAR = 8
_BODY_OVERHEAD = 64 * 1024


def create_app(settings: Settings | None = None, proofreader=None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.settings = settings
        app.state.proofreader = proofreader or build_proofreader(settings)
        app.state.worker = ModelWorker(settings.queue_size)
        log.info("model ready: %s", app.state.proofreader.model_info.model_dump())
        yield
        app.state.worker.close()

    app = FastAPI(
        title="Email proofreader",
        version="0.1.0",
        description="Proofreads email drafts on this machine with a fine-tuned small LLM.",
        lifespan=lifespan,
    )
    if settings.allowed_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.allowed_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "Authorization"],
        )

    max_body = settings.max_input_chars * _BODY_BYTES_PER_CHAR + _BODY_OVERHEAD

    @app.middleware("http")
    async def guard_requests(request: Request, call_next):
        if settings.api_key and request.url.path.startswith("/v1/") and request.url.path != "/v1/health":
            supplied = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
            if not hmac.compare_digest(supplied.encode(), settings.api_key.encode()):
                return error_response(401, "unauthorized", "Missing or wrong API key.")
        length = request.headers.get("content-length")
        started = time.perf_counter()
        response = await call_next(request)
        # Sizes and timings only: the request body (the email) is never logged.
        log.info(
            "%s %s -> %d (%s bytes, %.0f ms)",
            request.method, request.url.path, response.status_code, length or "?", (time.perf_counter() - started) * 1000,
        )
        return response

    # Added last, so they run first: a refused host or an oversized body costs nothing further.
    app.add_middleware(BodySizeLimit, max_bytes=max_body)
    app.add_middleware(AllowedHosts, hosts=settings.resolved_allowed_hosts())
    install_error_handlers(app)
    app.include_router(router)
    return app
