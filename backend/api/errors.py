"""Every error leaves as `{"error": {"code", "message"}}`; none echoes the draft back into logs."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from backend.api.worker import Busy
from backend.engines.space_engine import SpaceError
from backend.input_checks import InputError

RETRY_AFTER_SECONDS = 5


def error_response(status: int, code: str, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


def status_for(error: InputError) -> int:
    return 413 if error.code == "too_large" else 422


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(InputError)
    async def _input_error(_: Request, exc: InputError):
        return error_response(status_for(exc), exc.code, exc.message)

    @app.exception_handler(Busy)
    async def _busy(_: Request, __: Busy):
        return error_response(
            503, "busy", "The proofreader is busy; try again shortly.", {"Retry-After": str(RETRY_AFTER_SECONDS)}
        )

    @app.exception_handler(SpaceError)
    async def _space_down(_: Request, __: SpaceError):
        return error_response(502, "upstream_unavailable", "The Space behind this backend could not be reached; your draft is unchanged.")

    @app.exception_handler(HTTPException)
    async def _http(_: Request, exc: HTTPException):
        if exc.status_code == 400:  # FastAPI's "error parsing the body" (e.g. invalid UTF-8): same as bad JSON
            return error_response(422, "invalid_request", "The request body is not valid JSON text.")
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error_response(exc.status_code, code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError):
        # Field locations and messages only: pydantic's error also carries the offending input.
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return error_response(422, "invalid_request", problems or "Invalid request.")
