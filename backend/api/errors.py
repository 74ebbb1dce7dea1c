"""Every error leaves as `{"error": {"code", "message"}}`; none echoes the draft back into logs.

`api_error` is the one mapping from what the core raises to an HTTP status, code and message: the
JSON routes answer with it, and the event stream sends the same body as its `error` event."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from backend.api.worker import Busy
from backend.engines.space_engine import SpaceError
from backend.input_checks import InputError

RETRY_AFTER_SECONDS = 5


@dataclass
class ApiError:
    status: int
    code: str
    message: str
    headers: dict[str, str] = field(default_factory=dict)

    def body(self) -> dict:
        return {"error": {"code": self.code, "message": self.message}}

    def response(self) -> JSONResponse:
        return JSONResponse(self.body(), status_code=self.status, headers=self.headers or None)


def api_error(error: Exception) -> ApiError:
    """How an exception from the core or the worker is told to a client."""
    if isinstance(error, InputError):
        return ApiError(413 if error.code == "too_large" else 422, error.code, error.message)
    if isinstance(error, Busy):
        return ApiError(503, "busy", "The proofreader is busy; try again shortly.", {"Retry-After": str(RETRY_AFTER_SECONDS)})
    if isinstance(error, SpaceError):
        return ApiError(502, "upstream_unavailable", "The Space behind this backend could not be reached; your draft is unchanged.")
    # Anything else is a bug or a broken model: the message never carries the exception's text,
    # which can quote its input (the draft).
    return ApiError(500, "internal", "Proofreading failed; your draft is unchanged.")


def error_response(status: int, code: str, message: str) -> JSONResponse:
    return ApiError(status, code, message).response()


def install_error_handlers(app: FastAPI) -> None:
    async def _core_error(_: Request, exc: Exception):
        return api_error(exc).response()

    # Exception: a JSON 500 instead of Starlette's plain-text one (the traceback is still logged).
    for error_type in (InputError, Busy, SpaceError, Exception):
        app.add_exception_handler(error_type, _core_error)

    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException):
        if exc.status_code == 400:  # FastAPI's "error parsing the body" (e.g. invalid UTF-8): same as bad JSON
            return error_response(422, "invalid_request", "The request body is not valid JSON text.")
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return ApiError(exc.status_code, code, str(exc.detail), dict(getattr(exc, "headers", None) or {})).response()

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError):
        # Field locations and messages only: pydantic's error also carries the offending input.
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return error_response(422, "invalid_request", problems or "Invalid request.")
