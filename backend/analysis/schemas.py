"""Wire shapes of the segment comparison and the customers index."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from backend.evaluation.schemas import GrowthPoint, Share

MIN_COMPARED = 2
MAX_COMPARED = 6


class CompareRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    segment_ids: list[int] = Field(description=f"{MIN_COMPARED} to {MAX_COMPARED} distinct segment ids")


class KeyMetrics(BaseModel):
    """Averages are empty (null) over no records, as every average in the contract is."""

    avg_total_spend: float | None = Field(description="Mean over members of their total spend (IDR)")
    avg_deal_size: float | None = Field(description="Sum of deal sizes / number of deals of the members")
    avg_csat: float | None = Field(description="Sum of CSAT scores / number of rated conversations")
    open_deal_percent: float = Field(description="Members with at least one open deal, 0-100")
    open_deal_count: int


class Distributions(BaseModel):
    source: list[Share]
    province: list[Share]
    age: list[Share]
    gender: list[Share]


class ComparedSegment(BaseModel):
    segment_id: int
    name: str
    status: Literal["active", "archived"]
    readiness: Literal["pending", "not_ready", "ready", "failed"]
    member_count: int
    total_customers: int
    reach_percent: float
    last_updated: datetime | None
    growth: list[GrowthPoint]
    distributions: Distributions
    metrics: KeyMetrics


class Overlap(BaseModel):
    segment_ids: list[int]
    count: int = Field(description="Customers in every one of these segments")
    percent_of_each: list[float] = Field(description="count as a percentage of each segment's size, in order")


class CompareResult(BaseModel):
    segments: list[ComparedSegment]
    overlaps: list[Overlap] = Field(description="Every pair, in request order")
    in_all: int = Field(description="Customers in every compared segment")


class CustomerListItem(BaseModel):
    id: str
    full_name: str | None
    phone: str | None
    email: str | None
    source: str | None
    province: str | None
    owner: str | None
    assignee: str | None
    created_at: datetime | None
    last_activity_at: datetime | None


class CustomerList(BaseModel):
    items: list[CustomerListItem]
    total: int
    page: int
    page_size: int
