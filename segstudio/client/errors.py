"""What a failed call looks like to the app: an `ApiError` from the server, or a `NetworkError`.

Views show `message` to the user as it is; `fields` maps a request path (``rules.rules.0.value``) to its
message so the builder can put each one beside the input it belongs to.
"""

from __future__ import annotations

from typing import Any

import httpx

GENERIC_SERVER_MESSAGE = "The server had a problem and could not finish this request. Try again."


class ClientError(Exception):
    """Base of every failure the client raises, so callers can catch one type."""

    message: str


class ApiError(ClientError):
    """The server answered with an error status (the contract's error body, or something worse)."""

    def __init__(self, status: int, code: str, message: str, fields: dict[str, str] | None = None,
                 retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields: dict[str, str] = dict(fields or {})
        self.retry_after = retry_after

    def __repr__(self) -> str:
        return f"ApiError(status={self.status}, code={self.code!r}, message={self.message!r})"

    @property
    def unauthorized(self) -> bool:
        return self.status == 401

    @property
    def forbidden(self) -> bool:
        return self.status == 403

    @property
    def not_found(self) -> bool:
        return self.status == 404

    @property
    def conflict(self) -> bool:
        return self.status == 409

    @classmethod
    def from_response(cls, response: httpx.Response) -> ApiError:
        """Map any error response to an ApiError; a body outside the contract still gives a readable message."""
        status = response.status_code
        retry_after = _retry_after(response.headers.get("retry-after"))
        try:
            body: Any = response.json()
        except ValueError:
            body = None
        error = body.get("error") if isinstance(body, dict) else None
        if not isinstance(error, dict) or not isinstance(error.get("message"), str):
            return cls(status, _fallback_code(status), _fallback_message(status), retry_after=retry_after)
        fields: dict[str, str] = {}
        for item in error.get("fields") or []:
            if isinstance(item, dict) and isinstance(item.get("path"), str):
                fields[item["path"]] = str(item.get("message", ""))
        code = error.get("code") if isinstance(error.get("code"), str) else _fallback_code(status)
        return cls(status, code, error["message"], fields, retry_after)


class NetworkError(ClientError):
    """The server could not be reached, or the connection broke before an answer arrived."""

    def __init__(self, message: str, cause: BaseException | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.cause = cause

    def __repr__(self) -> str:
        return f"NetworkError({self.message!r})"


def network_error_from(exc: httpx.TransportError, base_url: str) -> NetworkError:
    if isinstance(exc, httpx.TimeoutException):
        return NetworkError(f"The server at {base_url} did not answer in time.", exc)
    if isinstance(exc, httpx.ConnectError):
        return NetworkError(f"Cannot reach the server at {base_url}.", exc)
    return NetworkError(f"The connection to {base_url} was lost.", exc)


def _retry_after(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None


_FALLBACK_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                   409: "conflict", 429: "too_many_requests"}

_FALLBACK_MESSAGES = {
    400: "The server did not accept this request.",
    401: "Sign in to continue.",
    403: "You do not have permission to do this.",
    404: "Not found.",
    409: "This conflicts with the current state. Reload and try again.",
    429: "Too many requests. Try again later.",
}


def _fallback_code(status: int) -> str:
    if status >= 500:
        return "server_error"
    return _FALLBACK_CODES.get(status, "error")


def _fallback_message(status: int) -> str:
    if status >= 500:
        return GENERIC_SERVER_MESSAGE
    return _FALLBACK_MESSAGES.get(status, f"The request failed (HTTP {status}).")
