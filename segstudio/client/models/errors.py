"""The contract's error body: a code, a message and the fields at fault."""

from __future__ import annotations

from segstudio.client.models.base import WireModel


class ErrorField(WireModel):
    path: str
    message: str


class ErrorDetail(WireModel):
    code: str
    message: str
    fields: list[ErrorField] | None = None


class ErrorBody(WireModel):
    error: ErrorDetail
