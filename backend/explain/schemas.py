"""Wire shapes of explain and the customer profile (contract: "Per-node counts and explain")."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from backend.evaluation.schemas import CustomerSegment


class Explanation(BaseModel):
    customer_id: str
    matched: bool
    tree: dict[str, Any] = Field(description="Mirrors `rules`: each node's `matched` (and `id` as sent); "
                                             "conditions carry `value`, conditions on associated records "
                                             "`records` [{id, value, matched}], matching first, at most 20")


class SegmentExplanation(Explanation):
    segment_id: int
    in_segment: bool = Field(description="Whether the committed membership has the customer; differs from "
                                         "`matched` when the data changed since the last evaluation")


class CustomerProfile(BaseModel):
    id: str
    full_name: str | None
    properties: dict[str, Any] = Field(description="Every default property by catalog key")
    custom_fields: dict[str, Any] = Field(description="Every custom field by catalog key (custom.…)")
    metrics: dict[str, Any] = Field(description="Every metric and per-customer aggregate by catalog key")
    associations: dict[str, list[dict[str, Any]]] = Field(description="The latest 10 records per association")
    segments: list[CustomerSegment]


EXPLAIN_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {
            "type": "object", "required": ["rules", "customer_id"],
            "properties": {"rules": {"type": "object", "description": "The rule tree (contract: Rules)"},
                           "customer_id": {"type": "string", "description": "The customer's own id"}},
        }}},
    }
}
