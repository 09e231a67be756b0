"""Per-node counts, explanations of one customer, and the customer profile (contract: "Per-node counts and
explain"). Trees mirror the rules: groups have `rules`, conditions do not; `id` is the node's id as sent."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from segstudio.client.models.base import WireModel
from segstudio.client.models.customers import SegmentRef


class NodeCount(WireModel):
    id: str | None = None
    matched: int
    rules: list[NodeCount] | None = None


class ExplainRecord(WireModel):
    id: str | None = None
    value: Any = None
    matched: bool


class ExplainNode(WireModel):
    id: str | None = None
    matched: bool
    value: Any = None
    records: list[ExplainRecord] | None = None
    rules: list[ExplainNode] | None = None


class Explanation(WireModel):
    customer_id: str
    matched: bool
    tree: ExplainNode
    segment_id: int | None = None
    in_segment: bool | None = None  # for a saved segment: the committed membership


class CustomerProfile(WireModel):
    id: str
    full_name: str | None = None
    properties: dict[str, Any] = Field(default_factory=dict)
    custom_fields: dict[str, Any] = Field(default_factory=dict)
    metrics: dict[str, Any] = Field(default_factory=dict)
    associations: dict[str, list[dict[str, Any]]] = Field(default_factory=dict)
    segments: list[SegmentRef] = Field(default_factory=list)
