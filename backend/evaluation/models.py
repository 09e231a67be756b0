"""Evaluation state, jobs, evaluations, membership, membership changes, events and daily runs.

Readers always reach members through `EvaluationState.current_evaluation_id`: an evaluation writes
its member rows under a new evaluation id and flips the pointer in the same commit, so a reader
sees either the whole old membership or the whole new one, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, UTCDateTime, utcnow

# readiness
PENDING = "pending"
NOT_READY = "not_ready"
READY = "ready"
FAILED = "failed"
READINESS = (PENDING, NOT_READY, READY, FAILED)

# job status
QUEUED = "queued"
RUNNING = "running"
DONE = "done"
MERGED = "merged"  # satisfied by another job's evaluation of the same segment (its evaluation_id)
JOB_FAILED = "failed"
SKIPPED = "skipped"  # a daily-run job not started because the organisation's time budget was spent
ABANDONED = "abandoned"  # its worker died; recovery queued the segment again

# job / evaluation reasons
REASON_CREATE = "create"
REASON_EDIT = "edit"
REASON_UNARCHIVE = "unarchive"
REASON_MANUAL = "manual"
REASON_SCHEDULE = "schedule"
REASON_CLI = "cli"
REASON_RECOVER = "recover"

# evaluation status
EVAL_RUNNING = "running"
EVAL_SUCCEEDED = "succeeded"
EVAL_FAILED = "failed"
EVAL_ABANDONED = "abandoned"

# event names
EVENT_EVALUATED = "cdp_segment_evaluated"
EVENT_FAILED = "cdp_segment_evaluation_failed"
EVENT_BUDGET_EXCEEDED = "cdp_segment_evaluation_budget_exceeded"

ENTERED = "entered"
LEFT = "left"


class EvaluationState(Base):
    """One row per segment: readiness, the committed membership pointer, the refresh window, the lease."""

    __tablename__ = "segment_evaluation_states"

    segment_id: Mapped[int] = mapped_column(ForeignKey("segments.id", ondelete="CASCADE"), primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    readiness: Mapped[str] = mapped_column(String(16), default=PENDING)
    current_evaluation_id: Mapped[int | None] = mapped_column(
        ForeignKey("segment_evaluations.id", ondelete="SET NULL"))
    member_count: Mapped[int] = mapped_column(Integer, default=0)
    last_evaluated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    evaluated_rules_version: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(Text)
    # The 30-minute window runs from when a manual refresh's evaluation starts, not from the request:
    # a refresh waiting behind another evaluation (or a dead worker) does not use it up.
    last_manual_refresh_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    manual_refresh_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Compare-and-set lease renewed by a heartbeat: at most one worker of any process evaluates a segment.
    lease_owner: Mapped[str | None] = mapped_column(String(120))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class EvaluationJob(Base):
    __tablename__ = "segment_evaluation_jobs"
    __table_args__ = (
        Index("ix_segment_evaluation_jobs_status_queued", "status", "queued_at"),
        Index("ix_segment_evaluation_jobs_segment_status", "segment_id", "status"),
        # At most one waiting job per segment, whichever process queues it.
        Index("uq_segment_evaluation_jobs_queued_segment", "segment_id", unique=True,
              sqlite_where=text("status = 'queued'"), postgresql_where=text("status = 'queued'")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    segment_id: Mapped[int] = mapped_column(ForeignKey("segments.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=QUEUED)
    requested_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    worker: Mapped[str | None] = mapped_column(String(120))
    evaluation_id: Mapped[int | None] = mapped_column(Integer)
    # The daily run this job belongs to, so the run is finished (and counted) when its jobs are.
    run_id: Mapped[int | None] = mapped_column(ForeignKey("segment_scheduled_runs.id", ondelete="SET NULL"),
                                               index=True)


class SegmentEvaluation(Base):
    """One evaluation run; a succeeded one is also the size snapshot of the growth chart."""

    __tablename__ = "segment_evaluations"
    __table_args__ = (Index("ix_segment_evaluations_segment_finished", "segment_id", "finished_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    segment_id: Mapped[int] = mapped_column(ForeignKey("segments.id", ondelete="CASCADE"))
    job_id: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(16))
    rules_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=EVAL_RUNNING)
    worker: Mapped[str | None] = mapped_column(String(120))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    member_count: Mapped[int | None] = mapped_column(Integer)
    entered_count: Mapped[int | None] = mapped_column(Integer)
    left_count: Mapped[int | None] = mapped_column(Integer)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)


# segment_members and segment_membership_changes are derived rows written only by the evaluator's
# INSERT … SELECT (customers of the claimed segment's organisation, under the evaluation it just
# opened), so they carry no foreign keys: on PostgreSQL the per-row FK triggers were most of an
# evaluation at 500,000 customers (2.1 s of the 3.1 s member insert, 2.4 s of the 3.4 s history
# insert; docs/benchmarks.md). What the cascades did is done explicitly instead: deleting a segment
# deletes its rows (evaluation.membership.forget_segment), deleting an organisation deletes them by
# org_id (demo.service.delete_org), and readers reach customers through a join. The columns are plain
# integers; org_id is not a foreign key either (the same per-row cost) nor indexed (only deleting an
# organisation reads by it).


class SegmentMember(Base):
    __tablename__ = "segment_members"
    __table_args__ = (Index("ix_segment_members_customer", "customer_pk", "evaluation_id"),)

    evaluation_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    customer_pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(Integer)


class MembershipChange(Base):
    """Who entered or left a segment in one evaluation; pruned after CHANGE_RETENTION_DAYS."""

    __tablename__ = "segment_membership_changes"
    __table_args__ = (
        Index("ix_segment_membership_changes_eval_change", "evaluation_id", "change"),
        Index("ix_segment_membership_changes_segment_recorded", "segment_id", "recorded_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(Integer)
    segment_id: Mapped[int] = mapped_column(Integer)
    evaluation_id: Mapped[int] = mapped_column(Integer)
    customer_pk: Mapped[int] = mapped_column(Integer, index=True)
    change: Mapped[str] = mapped_column(String(8))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SegmentEvent(Base):
    """Evaluation events and org alerts. No foreign key on segment_id: events outlive their segment."""

    __tablename__ = "segment_events"
    __table_args__ = (
        Index("ix_segment_events_org_created", "org_id", "created_at"),
        Index("ix_segment_events_segment_created", "segment_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    segment_id: Mapped[int | None] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ScheduledRun(Base):
    """The daily run of one organisation; the unique key lets exactly one process claim a day.

    Claiming inserts this row and one queued job per active segment in one transaction; whichever
    processes are alive work the jobs, and the run is finished when none of its jobs is left."""

    __tablename__ = "segment_scheduled_runs"
    __table_args__ = (UniqueConstraint("org_id", "run_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    run_date: Mapped[date] = mapped_column(Date)
    worker: Mapped[str | None] = mapped_column(String(120))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    evaluated: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
