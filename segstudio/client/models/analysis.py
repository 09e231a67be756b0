"""A segment's performance and evaluations, and the comparison of several segments."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from segstudio.client.models.base import Readiness, WireModel


class GrowthPoint(WireModel):
    at: datetime
    member_count: int | None = None
    entered: int | None = None
    left: int | None = None


class Share(WireModel):
    label: str
    count: int
    percent: float


class SegmentPerformance(WireModel):
    """SEG-S13 figures over a range: the growth history and four distributions."""

    range: str | None = None
    growth: list[GrowthPoint] = Field(default_factory=list)
    total: int = 0
    last_updated: datetime | None = None
    source: list[Share] = Field(default_factory=list)
    province: list[Share] = Field(default_factory=list)
    age: list[Share] = Field(default_factory=list)
    gender: list[Share] = Field(default_factory=list)


class Evaluation(WireModel):
    id: int
    reason: str = ""
    status: str
    started_at: datetime | None = None
    finished_at: datetime | None = None
    member_count: int | None = None
    entered: int | None = None
    left: int | None = None
    error: str | None = None


class EvaluationPage(WireModel):
    items: list[Evaluation]
    total: int = 0


class MembershipChange(WireModel):
    customer_id: str
    full_name: str | None = None
    change: str


class ChangesPage(WireModel):
    """`GET /segments/{id}/evaluations/{evaluation_id}/changes`: who entered or left, as far as the caller may see."""

    evaluation_id: int
    entered: int | None = None
    left: int | None = None
    items: list[MembershipChange]
    total: int = 0
    page: int = 1
    page_size: int = 50


class KeyMetrics(WireModel):
    avg_total_spend: float | None = None
    avg_deal_size: float | None = None
    avg_csat: float | None = None
    open_deal_percent: float = 0.0
    open_deal_count: int = 0


class Distributions(WireModel):
    source: list[Share] = Field(default_factory=list)
    province: list[Share] = Field(default_factory=list)
    age: list[Share] = Field(default_factory=list)
    gender: list[Share] = Field(default_factory=list)


class ComparedSegment(WireModel):
    segment_id: int | str
    name: str
    status: str = "active"
    readiness: Readiness = "pending"
    member_count: int = 0
    total_customers: int = 0
    reach_percent: float = 0.0
    last_updated: datetime | None = None
    growth: list[GrowthPoint] = Field(default_factory=list)
    distributions: Distributions = Field(default_factory=Distributions)
    metrics: KeyMetrics = Field(default_factory=KeyMetrics)


class Overlap(WireModel):
    segment_ids: list[int | str]
    count: int
    percent_of_each: list[float]


class Comparison(WireModel):
    segments: list[ComparedSegment]
    overlaps: list[Overlap] = Field(default_factory=list)
    in_all: int = 0
