"""The outermost input boundary: JSON bodies and query strings no column could hold are a 400 here.

Every route's own validation (pydantic models, rule trees, ingestion records) then sees only text
that is valid storable Unicode and numbers within 64 bits, so none of them has to repeat the check
and no value can surface later as a database or encoding error (a 500 that also drops the
keep-alive connection). The problems are named by their path in the body (`records.3.email`,
`rules.rules.0.value`, `name`) or by the query parameter's name, in the contract's error shape.

A cheap scan of the raw bytes decides whether the body needs decoding here at all: NUL and lone
surrogates can only arrive as `\\u` escapes, oversized numbers only as long digit runs or exponents.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl

from backend.errors import FieldError, validation_error
from backend.inputs import text_problem, unstorable

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_SUSPECT = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])|\d{19,}|[eE]\+?\d{3,}|NaN|Infinity")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def body_problems(raw: bytes) -> list[FieldError]:
    if not _SUSPECT.search(raw):
        return []
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return []  # malformed JSON is the route's own 400
    return unstorable(data)


def path_problems(path: str) -> list[FieldError]:
    """A NUL (`%00`) in the address; it would reach an id or key lookup otherwise."""
    why = text_problem(path)
    return [] if why is None else [FieldError("path", f"The address is not valid: {why}")]


def query_problems(query_string: bytes) -> list[FieldError]:
    if not query_string:
        return []
    problems = []
    for name, value in parse_qsl(query_string.decode("latin-1"), keep_blank_values=True, encoding="utf-8",
                                 errors="replace"):
        why = text_problem(value) or text_problem(name)
        if why is not None:
            problems.append(FieldError(name if text_problem(name) is None else "query", why))
    return problems


class InputGuard:
    """Pure ASGI middleware (the body is read once and handed on unchanged)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problems = path_problems(scope.get("path", "")) or query_problems(scope.get("query_string", b""))
        if problems:
            await _refuse(problems, send)
            return
        if scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        # Every body, whatever its declared type: FastAPI and the rules routes read JSON without one.
        chunks = []
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        raw = b"".join(chunks)
        problems = body_problems(raw)
        if problems:
            await _refuse(problems, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": raw, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _refuse(problems: list[FieldError], send: Send) -> None:
    body = json.dumps(validation_error(problems).body()).encode()
    await send({"type": "http.response.start", "status": 400,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
