"""Campaign templates, recipient estimates and recipient lists made from a segment."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from segstudio.client.models.base import WireModel


class CampaignTemplate(WireModel):
    id: int | str
    name: str
    channel: str
    variables: list[str] = Field(default_factory=list)


class CampaignEstimate(WireModel):
    matched: int
    reachable: int
    message: str


class RecipientList(WireModel):
    id: int | str
    segment_id: int | str
    channel: str
    size: int
    created_at: datetime
    # How many of `size` are reachable on the channel (the server's one definition); None from an old server.
    reachable: int | None = None


class RecipientListPage(RecipientList):
    """A page of a stored snapshot: its rows carry every default and custom property."""

    items: list[dict[str, Any]] = Field(default_factory=list)
    total: int | None = None
    page: int | None = None
