"""Wire shapes of segment definitions, and the documented error responses every segment route shares."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from backend.params import DbId  # noqa: F401 - re-exported for the routes


class ErrorField(BaseModel):
    path: str
    message: str


class ErrorDetail(BaseModel):
    code: str
    message: str
    fields: list[ErrorField] | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses a route can answer, all in the contract's shape."""
    descriptions = {400: "Invalid input", 401: "Missing or expired token", 403: "Not allowed",
                    404: "Unknown or not visible", 409: "Conflict", 429: "Refreshed too recently"}
    out: dict[int | str, dict[str, Any]] = {}
    for code in (400, 401, 403, *codes):
        out[code] = {"model": ErrorBody, "description": descriptions[code]}
    return out


class SegmentCreate(BaseModel):
    name: str = Field(description="Required, at most 60 characters.")
    description: str | None = Field(default=None, description="Optional, at most 250 characters.")
    rules: dict[str, Any] = Field(description="The condition tree (see the contract).")


class SegmentUpdate(BaseModel):
    """Only the fields sent change; `description: null` clears it."""

    name: str | None = None
    description: str | None = None
    rules: dict[str, Any] | None = None


class SegmentRead(BaseModel):
    id: int
    name: str
    description: str | None
    rules: dict[str, Any]
    status: Literal["active", "archived"]
    readiness: Literal["pending", "not_ready", "ready", "failed"]
    member_count: int
    last_evaluated_at: datetime | None
    created_by: str
    created_by_user_id: int | None
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None
    summary: str | None = Field(default=None, description="The filter pattern in words; null when the stored "
                                                     "rules no longer validate.")
    can_edit: bool
    can_archive: bool
    can_delete: bool


class SegmentList(BaseModel):
    items: list[SegmentRead]
    total: int
    page: int
    page_size: int


class RefreshAccepted(BaseModel):
    segment_id: int
    job_id: int
    status: Literal["queued"] = "queued"
    queued_at: datetime
