"""Message templates and recipient-list snapshots handed to the campaign service."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, UTCDateTime, utcnow

WHATSAPP = "whatsapp"
EMAIL = "email"
CHANNELS = (WHATSAPP, EMAIL)


class CampaignTemplate(Base):
    __tablename__ = "campaign_templates"
    __table_args__ = (UniqueConstraint("org_id", "channel", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    channel: Mapped[str] = mapped_column(String(16))
    body: Mapped[str] = mapped_column(Text)
    variables: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RecipientList(Base):
    """A frozen copy of a segment's full membership; it survives later evaluations and deletion."""

    __tablename__ = "recipient_lists"
    __table_args__ = (Index("ix_recipient_lists_org_created", "org_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    segment_id: Mapped[int | None] = mapped_column(ForeignKey("segments.id", ondelete="SET NULL"), index=True)
    segment_name: Mapped[str] = mapped_column(String(60))
    evaluation_id: Mapped[int | None] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(16))
    template_id: Mapped[int | None] = mapped_column(ForeignKey("campaign_templates.id", ondelete="SET NULL"))
    variables: Mapped[dict[str, str]] = mapped_column(JSON)
    size: Mapped[int] = mapped_column(Integer, default=0)
    reachable: Mapped[int] = mapped_column(Integer, default=0)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RecipientListRow(Base):
    __tablename__ = "recipient_list_rows"

    list_id: Mapped[int] = mapped_column(ForeignKey("recipient_lists.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_id: Mapped[str] = mapped_column(String(255))
    reachable: Mapped[bool] = mapped_column(Boolean)
    properties: Mapped[dict[str, Any]] = mapped_column(JSON)
    variables: Mapped[dict[str, Any]] = mapped_column(JSON)
