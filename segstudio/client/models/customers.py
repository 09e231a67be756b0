"""The customers index and the segments one customer belongs to."""

from __future__ import annotations

from datetime import datetime

from segstudio.client.models.base import WireModel


class CustomerListItem(WireModel):
    id: str
    full_name: str | None = None
    phone: str | None = None
    email: str | None = None
    source: str | None = None
    province: str | None = None
    owner: str | None = None
    assignee: str | None = None
    created_at: datetime | None = None
    last_activity_at: datetime | None = None


class CustomerPage(WireModel):
    items: list[CustomerListItem]
    total: int
    page: int = 1
    page_size: int = 20


class SegmentRef(WireModel):
    segment_id: int | str
    segment_name: str


class CustomerSegments(WireModel):
    customer_id: str
    customer_name: str | None = None
    segments: list[SegmentRef]
