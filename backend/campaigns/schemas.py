"""Wire shapes of the campaign hand-off."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

Channel = Literal["whatsapp", "email"]


class TemplateRead(BaseModel):
    id: int
    name: str
    channel: Channel
    variables: list[str]
    body: str


class CampaignEstimate(BaseModel):
    segment_id: int
    channel: Channel
    matched: int
    reachable: int
    message: str


class RecipientListCreate(BaseModel):
    channel: Channel
    template_id: int = Field(ge=1, le=2_147_483_647)
    variables: dict[str, str] = Field(default_factory=dict,
                                      description="Template variable -> customer property key "
                                                  "(a default key such as full_name, or custom.<key>)")


class RecipientListCreated(BaseModel):
    id: int
    segment_id: int | None
    channel: Channel
    size: int
    reachable: int
    created_at: datetime


class RecipientRow(BaseModel):
    position: int
    customer_id: str
    reachable: bool
    properties: dict[str, Any]
    variables: dict[str, Any]


class RecipientListPage(BaseModel):
    id: int
    segment_id: int | None
    segment_name: str
    channel: Channel
    template_id: int | None
    variables: dict[str, str]
    size: int
    reachable: int
    created_at: datetime
    items: list[RecipientRow]
    total: int = Field(description="Rows the caller may read: all of them unless their customer view is owned-only")
    page: int
    page_size: int
