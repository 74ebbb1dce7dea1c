"""Routes translate HTTP to core calls and back; all model work goes through the one worker."""

from __future__ import annotations

import asyncio
import json
import platform
import threading

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

import backend
from backend.api.schemas import ErrorResponse, Health, ProofreadRequest, QueueState, TextRequest
from backend.engines.llama_engine import Cancelled
from backend.input_checks import InputError, check_input
from backend.scoring import Scores
from backend.types import Result

router = APIRouter(prefix="/v1")

_ERRORS = {
    413: {"model": ErrorResponse, "description": "Draft over the size limit"},
    422: {"model": ErrorResponse, "description": "Empty, binary or HTML draft, or a malformed request"},
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
    """Server-sent events: `token` events as the model writes, then one `result` (or `error`)."""
    state = request.app.state
    check_input(body.text, state.settings.max_input_chars)
    loop = asyncio.get_running_loop()
    events: asyncio.Queue = asyncio.Queue()
    cancelled = threading.Event()

    def on_token(text: str) -> None:
        loop.call_soon_threadsafe(events.put_nowait, ("token", {"text": text}))

    def run() -> None:
        try:
            result = state.proofreader.proofread(body.text, body.options, on_token=on_token, cancelled=cancelled.is_set)
            loop.call_soon_threadsafe(events.put_nowait, ("result", result.model_dump()))
        except InputError as exc:
            loop.call_soon_threadsafe(events.put_nowait, ("error", {"error": {"code": exc.code, "message": exc.message}}))
        except Cancelled:
            raise  # the worker counts it; nobody is listening any more
        except Exception:  # noqa: BLE001 - reported to the client; the draft is never in the message
            if not cancelled.is_set():
                error = {"error": {"code": "internal", "message": "Proofreading failed; your draft is unchanged."}}
                loop.call_soon_threadsafe(events.put_nowait, ("error", error))

    state.worker.submit(run, cancelled)  # Busy -> 503 before the stream starts

    async def stream():
        try:
            while True:
                try:
                    event, data = await asyncio.wait_for(events.get(), _HEARTBEAT_SECONDS)
                except asyncio.TimeoutError:
                    # An SSE comment, which clients skip: text comes only once a part of the email is done,
                    # and a write is how a client that left shows up, so the worker stops mid-part.
                    yield ": working\n\n"
                    continue
                yield _sse(event, data)
                if event != "token":
                    return
        finally:
            cancelled.set()  # a client that disconnects mid-stream frees the worker at the next token

    return StreamingResponse(stream(), media_type="text/event-stream", headers={"Cache-Control": "no-store"})

