"""The segment definition. Its membership and readiness live in backend.evaluation.models."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, UTCDateTime, utcnow

NAME_MAX = 60
DESCRIPTION_MAX = 250
ACTIVE = "active"
ARCHIVED = "archived"
STATUSES = (ACTIVE, ARCHIVED)


class Segment(Base):
    __tablename__ = "segments"
    __table_args__ = (
        Index("ix_segments_org_created", "org_id", "created_at"),
        Index("ix_segments_org_status", "org_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    description: Mapped[str | None] = mapped_column(String(DESCRIPTION_MAX))
    rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Bumped whenever the rules change, so an evaluation can tell whether it judged the current rules.
    rules_version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(16), default=ACTIVE)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                           index=True)
    # Kept as text too so the list still names the creator after the user is removed.
    created_by_name: Mapped[str] = mapped_column(String(150))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SegmentRevision(Base):
    """One saved state of a segment's name, description and rules (backend.segments.revisions).

    The summary is written when the revision is saved, so the history still reads after a field it
    names is removed."""

    __tablename__ = "segment_revisions"
    __table_args__ = (UniqueConstraint("segment_id", "revision"),
                      Index("ix_segment_revisions_org_segment", "org_id", "segment_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    segment_id: Mapped[int] = mapped_column(ForeignKey("segments.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    description: Mapped[str | None] = mapped_column(String(DESCRIPTION_MAX))
    rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    summary: Mapped[str | None] = mapped_column(Text)
    restored_from: Mapped[int | None] = mapped_column(Integer)
    edited_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Kept as text so the history still names the editor after the user is removed.
    edited_by_name: Mapped[str] = mapped_column(String(150))
    edited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
