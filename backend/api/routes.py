"""Routes translate HTTP to core calls and back; all model work goes through the one worker."""

from __future__ import annotations

import asyncio
import functools
import json
import platform
import threading

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

import backend
from backend.api.errors import api_error
from backend.api.schemas import ErrorResponse, Health, ProofreadRequest, QueueState, TextRequest
from backend.input_checks import check_input
from backend.scoring import Scores
from backend.streaming import ProofreadEvents
from backend.types import Result

router = APIRouter(prefix="/v1")

_ERRORS = {
    413: {"model": ErrorResponse, "description": "Draft over the size limit"},
    422: {"model": ErrorResponse, "description": "Empty, binary or HTML draft, or a malformed request"},
    500: {"model": ErrorResponse, "description": "Proofreading failed (code internal); the draft is unchanged"},
    502: {"model": ErrorResponse, "description": "engine=space: the Space could not be reached (upstream_unavailable)"},
    503: {"model": ErrorResponse, "description": "Queue full; retry after the Retry-After header"},
}


def _versions() -> dict[str, str]:
    import fastapi

    versions = {"backend": backend.__version__, "python": platform.python_version(), "fastapi": fastapi.__version__}
    try:
        from backend.llama_runtime import load

        versions["llama_cpp_python"] = load().__version__
    except ImportError:
        pass
    return versions


@router.get("/health", response_model=Health)
def health(request: Request) -> Health:
    state = request.app.state
    return Health(
        status="ok",
        model_loaded=state.proofreader is not None,
        model=state.proofreader.model_info,
        versions=_versions(),
        queue=QueueState(
            waiting=state.worker.waiting, capacity=state.worker.capacity, cancelled_total=state.worker.cancelled_total
        ),
    )


@router.post("/score", response_model=Scores, responses=_ERRORS)
async def score(body: TextRequest, request: Request) -> Scores:
    # Classifiers are fast and thread-safe enough to skip the model queue, but still off the event loop.
    return await asyncio.to_thread(request.app.state.proofreader.score, body.text)


@router.post("/proofread", response_model=Result, responses=_ERRORS)
async def proofread(body: ProofreadRequest, request: Request) -> Result:
    state = request.app.state
    check_input(body.text, state.settings.max_input_chars)
    cancelled = threading.Event()
    future = state.worker.submit(
        lambda: state.proofreader.proofread(body.text, body.options, cancelled=cancelled.is_set), cancelled
    )
    try:
        return await asyncio.wrap_future(future)
    finally:
        cancelled.set()  # if the client went away, the worker drops the job


_HEARTBEAT_SECONDS = 0.5


def _sse(event: str, data: dict) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.post("/proofread/stream", responses=_ERRORS)
async def proofread_stream(body: ProofreadRequest, request: Request) -> StreamingResponse:
    """Server-sent events: `token` events as the model writes, then one `result` (or `error`, with
    the body and code the JSON route would answer with)."""
    state = request.app.state
    check_input(body.text, state.settings.max_input_chars)
    events = ProofreadEvents(asyncio.get_running_loop())
    proofread = functools.partial(state.proofreader.proofread, body.text, body.options)
    state.worker.submit(lambda: events.run(proofread), events.cancelled)  # Busy -> 503 before the stream starts

    async def stream():
        try:
            while True:
                try:
                    kind, value = await asyncio.wait_for(events.next_async(), _HEARTBEAT_SECONDS)
                except asyncio.TimeoutError:
                    # An SSE comment, which clients skip: text comes only once a part of the email is done,
                    # and a write is how a client that left shows up, so the worker stops mid-part.
                    yield ": working\n\n"
                    continue
                if kind == "token":
                    yield _sse("token", {"text": value})
                    continue
                if kind == "result":
                    yield _sse("result", value.model_dump(mode="json"))
                else:
                    yield _sse("error", api_error(value).body())
                return
        finally:
            events.cancelled.set()  # a client that disconnects mid-stream frees the worker at the next token

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})

