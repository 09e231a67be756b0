"""Wire shapes of members, summary, performance, history, events and customer segments."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel

Readiness = Literal["pending", "not_ready", "ready", "failed"]


class MemberRead(BaseModel):
    id: str
    full_name: str | None
    source: str | None
    last_activity_at: datetime | None
    added_by: str | None
    phone: str | None
    email: str | None
    owner: str | None
    assignee: str | None


class MembersPage(BaseModel):
    items: list[MemberRead]
    total_matched: int
    visible: int
    page: int
    page_size: int
    readiness: Readiness
    last_evaluated_at: datetime | None


class ChannelReach(BaseModel):
    count: int
    percent: float


class Reachability(BaseModel):
    whatsapp: ChannelReach
    email: ChannelReach


class SegmentSummary(BaseModel):
    segment_id: int
    status: Literal["active", "archived"]
    readiness: Readiness
    total_matched: int
    total_customers: int
    reach_percent: float
    last_updated: datetime | None
    filter_summary: str | None
    reachability: Reachability | None


class GrowthPoint(BaseModel):
    at: datetime
    member_count: int
    entered: int | None
    left: int | None


class Share(BaseModel):
    label: str
    count: int
    percent: float


class SegmentPerformance(BaseModel):
    segment_id: int
    range: Literal["all", "7d", "30d"]
    growth: list[GrowthPoint]
    total: int
    last_updated: datetime | None
    source: list[Share]
    province: list[Share]
    age: list[Share]
    gender: list[Share]


class CustomerSegment(BaseModel):
    segment_id: int
    segment_name: str


class CustomerSegments(BaseModel):
    customer_id: str
    customer_name: str | None
    segments: list[CustomerSegment]


class EvaluationRead(BaseModel):
    id: int
    reason: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    member_count: int | None
    entered: int | None
    left: int | None
    duration_ms: int | None
    error: str | None


class EvaluationsPage(BaseModel):
    items: list[EvaluationRead]
    total: int
    page: int
    page_size: int


class ChangeRead(BaseModel):
    customer_id: str
    full_name: str | None
    change: Literal["entered", "left"]
    recorded_at: datetime


class ChangesPage(BaseModel):
    evaluation_id: int
    entered: int | None
    left: int | None
    items: list[ChangeRead]
    total: int
    page: int
    page_size: int


class EventRead(BaseModel):
    id: int
    name: str
    segment_id: int | None
    payload: dict[str, Any]
    created_at: datetime


class EventsPage(BaseModel):
    items: list[EventRead]
    total: int
    page: int
    page_size: int
