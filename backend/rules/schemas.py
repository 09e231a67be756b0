"""Wire shapes of the catalog, suggestions and preview (see the contract's "Field catalog")."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field


class FieldRead(BaseModel):
    key: str
    label: str
    group: str
    type: str
    operators: list[str]
    options: list[str] | None
    association: str | None
    package: Literal["plus", "ultimate"]
    suggestions: bool
    available: bool
    description: str = ""
    category: str | None = Field(None, description="Metric domain (section 13.2.6 A-G)")
    match: list[str] | None = Field(None, description="any/all/none, for conditions on each associated record")
    value_labels: dict[str, str] | None = Field(
        None, description='Words the app shows for values, e.g. {"true": "Opted in", "false": "Opted out", '
                          '"null": "Unknown"} for marketing consent')


class SuggestionsRead(BaseModel):
    values: list[str]


class PreviewCustomer(BaseModel):
    id: str
    full_name: str | None
    email: str | None
    phone: str | None
    source: str | None
    status: str | None = None
    province: str | None = None
    city: str | None = None
    owner: str | None = None
    assignee: str | None = None
    created_at: datetime | None = None
    values: dict[str, Any] = Field(default_factory=dict, description="The values of the fields the rules use, by "
                                   "field key (for fields on associated records, their distinct values, at most 5)")


class PreviewRead(BaseModel):
    matched: int
    total_customers: int
    summary: str
    sample: list[PreviewCustomer] = Field(description="The first 20 matches by id (code-point order) the caller "
                                                      "may see")
    visible: int | None = Field(None, description="Matches the caller may see, when that is not all of them")
    node_counts: dict[str, Any] | None = Field(
        None, description="With `\"node_counts\": true`: `{\"matched\", \"rules\"}` mirroring `rules` (groups have "
                          "`rules`, conditions do not; each node's `id` as sent): how many customers each node alone "
                          "matches")


PREVIEW_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {
            "type": "object", "required": ["rules"],
            "properties": {"rules": {"type": "object", "description": "The rule tree (contract: Rules)"},
                           "node_counts": {"type": "boolean", "description": "Also count each node alone"}},
        }}},
    }
}


class OperatorRead(BaseModel):
    key: str
    label: str = Field(description="The words the app shows, in the operator box and in summaries; a `days` "
                                   "operator's label holds \"N days\" where its count goes")
    value_shape: Literal["none", "one", "two", "list", "days"]
