"""The HTTP handlers that turn every failure (our ApiError, FastAPI's validation errors, Starlette's
HTTP errors, values the database refuses, anything unexpected) into the contract's error shape."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from backend.errors import ApiError, FieldError, bad_request, validation_error

log = logging.getLogger(__name__)

# Seconds a client is asked to wait after a 503: the server was overloaded, not broken.
RETRY_AFTER_SECONDS = 5

_STATUS_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                 405: "method_not_allowed", 409: "conflict", 413: "too_large", 429: "too_many_requests"}


def _loc_to_path(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    return ".".join(parts)


def _pydantic_message(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    if kind == "json_invalid":
        return "The request body is not valid JSON."
    if kind == "missing":
        return "This value is required."
    if kind in ("int_parsing", "int_type"):
        return "Enter a whole number."
    if kind in ("float_parsing", "float_type"):
        return "Enter a number."
    msg = str(err.get("msg", "Invalid value."))
    return msg[0].upper() + msg[1:] + ("" if msg.endswith(".") else ".")


def _data_error_reason(exc: DataError) -> str:
    text = str(exc.orig)
    if "NUL" in text or "0x00" in text:
        return "text may not contain the NUL character (U+0000)."
    if "out of range" in text:
        return "a number is out of range."
    return "it has the wrong form."


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers or None)

    @app.exception_handler(RequestValidationError)
    async def _request_validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            return JSONResponse(bad_request("The request body is not valid JSON.", "malformed_json").body(), 400)
        fields = [FieldError(_loc_to_path(tuple(e.get("loc", ()))), _pydantic_message(e)) for e in errors]
        return JSONResponse(validation_error(fields).body(), status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else "Request failed."
        if exc.status_code == 404 and message == "Not Found":
            message = "Not found."
        return JSONResponse({"error": {"code": code, "message": message}}, status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(DataError)
    async def _data_error(_: Request, exc: DataError) -> JSONResponse:
        # A value the database cannot take (a NUL character, a number out of range) is the caller's input.
        log.info("database refused a value", extra={"error": str(exc.orig)[:200]})
        return JSONResponse(bad_request("A value in the request cannot be stored or compared: "
                                        f"{_data_error_reason(exc)}", "invalid_value").body(), status_code=400)

    @app.exception_handler(PoolTimeoutError)
    async def _pool_timeout(_: Request, exc: PoolTimeoutError) -> JSONResponse:
        # Every connection stayed busy for the whole pool timeout: shed the request so the client retries.
        log.warning("no database connection free; answered 503", extra={"error": str(exc)[:200]})
        return JSONResponse({"error": {"code": "service_unavailable",
                                       "message": "The server is busy. Try again in a few seconds."}},
                            status_code=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})

    @app.exception_handler(ClientDisconnect)
    async def _client_disconnect(request: Request, _: ClientDisconnect) -> JSONResponse:
        # The client gave up before its body arrived; nobody reads this answer and nothing went wrong here.
        log.info("client disconnected", extra={"path": request.url.path})
        return JSONResponse(bad_request("The client closed the connection before the request body arrived.",
                                        "client_disconnected").body(), status_code=400)

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return JSONResponse({"error": {"code": "internal_error",
                                       "message": "Something went wrong on the server."}}, status_code=500)
