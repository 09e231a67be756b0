"""Segments, the live preview, members and the summary figures."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from segstudio.client.models.base import Readiness, WireModel
from segstudio.client.models.rules import RuleGroup


class CustomerRow(WireModel):
    """A customer as the preview sample, members and recipient lists show it: id and name, the rest extra."""

    id: str
    full_name: str | None = None
    source: str | None = None
    last_activity_at: datetime | None = None
    added_by: str | None = None


class Preview(WireModel):
    matched: int
    total_customers: int
    summary: str = ""
    sample: list[CustomerRow] = Field(default_factory=list)
    node_counts: dict[str, Any] | None = None  # with node_counts asked: the tree of counts (models.NodeCount)


class UserRef(WireModel):
    id: int | None = None
    username: str | None = None
    display_name: str | None = None

    @property
    def name(self) -> str:
        return self.display_name or self.username or ""


class Segment(WireModel):
    id: int | str
    name: str
    description: str | None = None
    rules: RuleGroup
    status: str = "active"
    readiness: Readiness = "pending"
    member_count: int | None = None
    last_evaluated_at: datetime | None = None
    created_by: UserRef | str | int | None = None
    created_by_user_id: int | None = None
    created_at: datetime
    summary: str | None = None
    # The server's own answer for this user, when it sends one; the app falls back to /me permissions.
    can_edit: bool | None = None
    can_archive: bool | None = None
    can_delete: bool | None = None

    @property
    def created_by_name(self) -> str:
        if isinstance(self.created_by, UserRef):
            return self.created_by.name
        return "" if self.created_by is None else str(self.created_by)

    @property
    def created_by_id(self) -> int | None:
        """The creator's user id when the server says it; an "owned" permission level needs it."""
        if self.created_by_user_id is not None:
            return self.created_by_user_id
        if isinstance(self.created_by, UserRef):
            return self.created_by.id
        if isinstance(self.created_by, int):
            return self.created_by
        return None

    @property
    def evaluating(self) -> bool:
        return self.readiness in ("pending", "not_ready")


class SegmentPage(WireModel):
    items: list[Segment]
    total: int


class Members(WireModel):
    items: list[CustomerRow]
    total_matched: int
    visible: int


class ChannelReach(WireModel):
    count: int = 0
    percent: float = 0.0


class Reachability(WireModel):
    whatsapp: ChannelReach
    email: ChannelReach


class SegmentSummary(WireModel):
    """SEG-S11 figures: matched, reach, last update and (not for archived segments) reachability."""

    member_count: int | None = None
    last_evaluated_at: datetime | None = None
    status: str = "active"
    readiness: Readiness = "pending"
    total_matched: int = 0
    total_customers: int = 0
    reach_percent: float = 0.0
    last_updated: datetime | None = None
    filter_summary: str | None = None
    reachability: Reachability | None = None


class Revision(WireModel):
    """`GET /segments/{id}/revisions`: one saved state of the name, description and rules (wire-form dict)."""

    revision: int
    name: str
    description: str | None = None
    rules: dict[str, Any]
    summary: str | None = None
    edited_by: str
    edited_at: datetime
    restored_from: int | None = None
