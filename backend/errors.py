"""The contract's error shape as plain exceptions, free of the web framework so the rule engine and
the services can raise them; backend/error_handlers.py turns every failure into this shape over HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class FieldError:
    path: str
    message: str


@dataclass
class ApiError(Exception):
    status: int
    code: str
    message: str
    fields: list[FieldError] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        err: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.fields:
            err["fields"] = [{"path": f.path, "message": f.message} for f in self.fields]
        return {"error": err}


def validation_error(fields: list[FieldError], message: str | None = None) -> ApiError:
    if message is None:
        message = fields[0].message if len(fields) == 1 else f"{len(fields)} values are invalid."
    return ApiError(400, "validation_error", message, fields)


def bad_request(message: str, code: str = "bad_request") -> ApiError:
    return ApiError(400, code, message)


def not_found(what: str = "Resource") -> ApiError:
    return ApiError(404, "not_found", f"{what} not found.")


def forbidden(message: str = "You do not have permission to do this.") -> ApiError:
    return ApiError(403, "forbidden", message)


def conflict(message: str, code: str = "conflict") -> ApiError:
    return ApiError(409, code, message)


def unauthorized(message: str = "Sign in to continue.") -> ApiError:
    return ApiError(401, "unauthorized", message, headers={"WWW-Authenticate": "Bearer"})
