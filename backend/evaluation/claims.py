"""Claiming work: the next queued job (or a segment outside the queue) under a segment lease.

A claim is one short transaction: lock the oldest waiting job nobody else is looking at
(`FOR UPDATE SKIP LOCKED` on PostgreSQL, so processes never queue up behind each other's claims;
SQLite ignores it and serialises writers anyway), take its segment's lease, mark the job running,
open an evaluation row and mark the segment not_ready. Jobs are started in queue order
(`queued_at`, then id), which is the dependency order the daily run queued them in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from backend.auth.models import Organisation
from backend.db import utcnow
from backend.evaluation import lease
from backend.evaluation.lease import DEFAULT_POLICY, LeasePolicy
from backend.evaluation.models import (
    EVAL_RUNNING,
    MERGED,
    NOT_READY,
    QUEUED,
    REASON_SCHEDULE,
    RUNNING,
    SKIPPED,
    EvaluationJob,
    EvaluationState,
    ScheduledRun,
    SegmentEvaluation,
)
from backend.segments.models import Segment

# A claim looks at this many waiting jobs at most before giving up until the next poll.
MAX_CANDIDATES = 20


@dataclass(frozen=True)
class Claim:
    segment_id: int
    org_id: int
    evaluation_id: int
    job_id: int | None
    reason: str
    worker: str


def _open_evaluation(session: Session, segment: Segment, *, worker: str, reason: str, job_id: int | None,
                     now: datetime) -> Claim:
    evaluation = SegmentEvaluation(org_id=segment.org_id, segment_id=segment.id, job_id=job_id, reason=reason,
                                   rules_version=segment.rules_version, status=EVAL_RUNNING, worker=worker,
                                   started_at=now)
    session.add(evaluation)
    session.flush()
    # Any job still waiting for this segment is answered by this evaluation, which reads the rules after now.
    session.execute(update(EvaluationJob)
                    .where(EvaluationJob.segment_id == segment.id, EvaluationJob.status == QUEUED,
                           EvaluationJob.queued_at <= now)
                    .values(status=MERGED, finished_at=now, worker=worker, evaluation_id=evaluation.id)
                    .execution_options(synchronize_session=False))
    if job_id is not None:
        session.execute(update(EvaluationJob).where(EvaluationJob.id == job_id)
                        .values(evaluation_id=evaluation.id).execution_options(synchronize_session=False))
    session.execute(update(EvaluationState).where(EvaluationState.segment_id == segment.id)
                    .values(readiness=NOT_READY).execution_options(synchronize_session=False))
    # A manual refresh waiting for this evaluation starts its 30-minute window now that it runs.
    session.execute(update(EvaluationState)
                    .where(EvaluationState.segment_id == segment.id,
                           EvaluationState.manual_refresh_requested_at.is_not(None),
                           EvaluationState.manual_refresh_requested_at <= now)
                    .values(last_manual_refresh_at=now, manual_refresh_requested_at=None)
                    .execution_options(synchronize_session=False))
    return Claim(segment_id=segment.id, org_id=segment.org_id, evaluation_id=evaluation.id, job_id=job_id,
                 reason=reason, worker=worker)


def claim_segment(session: Session, segment_id: int, *, worker: str, reason: str, now: datetime | None = None,
                  policy: LeasePolicy = DEFAULT_POLICY) -> Claim | None:
    """Claim a segment outside the queue (CLI); None when another worker is evaluating it."""
    now = now or utcnow()
    segment = session.get(Segment, segment_id)
    if segment is None or not lease.acquire(session, segment_id, worker=worker, now=now, policy=policy):
        return None
    return _open_evaluation(session, segment, worker=worker, reason=reason, job_id=None, now=now)


def _over_budget(session: Session, run_id: int, now: datetime) -> bool:
    """The daily run's time budget (an org setting, from the run's claim) is spent."""
    row = session.execute(select(ScheduledRun.started_at, Organisation.evaluation_budget_seconds)
                          .join(Organisation, Organisation.id == ScheduledRun.org_id)
                          .where(ScheduledRun.id == run_id)).first()
    if row is None or row.evaluation_budget_seconds is None:
        return False
    return now - row.started_at >= timedelta(seconds=row.evaluation_budget_seconds)


def claim_next_job(session: Session, *, worker: str, now: datetime | None = None,
                   policy: LeasePolicy = DEFAULT_POLICY) -> Claim | None:
    """Take the oldest queued job whose segment nobody holds; daily-run jobs past the budget are skipped."""
    now = now or utcnow()
    held = exists().where(EvaluationState.segment_id == EvaluationJob.segment_id,
                          EvaluationState.lease_owner.is_not(None))
    passed: list[int] = []
    for _ in range(MAX_CANDIDATES):
        stmt = (select(EvaluationJob.id, EvaluationJob.segment_id, EvaluationJob.reason, EvaluationJob.run_id)
                .where(EvaluationJob.status == QUEUED, ~held)
                .order_by(EvaluationJob.queued_at, EvaluationJob.id).limit(1)
                .with_for_update(skip_locked=True, of=EvaluationJob))
        if passed:
            stmt = stmt.where(EvaluationJob.id.not_in(passed))
        row = session.execute(stmt).first()
        if row is None:
            return None
        job_id, segment_id, reason, run_id = row
        passed.append(job_id)
        if reason == REASON_SCHEDULE and run_id is not None and _over_budget(session, run_id, now):
            session.execute(update(EvaluationJob).where(EvaluationJob.id == job_id, EvaluationJob.status == QUEUED)
                            .values(status=SKIPPED, finished_at=now, worker=worker)
                            .execution_options(synchronize_session=False))
            continue
        segment = session.get(Segment, segment_id)
        if segment is None or not lease.acquire(session, segment_id, worker=worker, now=now, policy=policy):
            continue
        taken = session.execute(update(EvaluationJob)
                                .where(EvaluationJob.id == job_id, EvaluationJob.status == QUEUED)
                                .values(status=RUNNING, started_at=now, worker=worker)
                                .execution_options(synchronize_session=False))
        if taken.rowcount != 1:
            lease.release(session, segment_id, worker=worker)
            continue
        return _open_evaluation(session, segment, worker=worker, reason=reason, job_id=job_id, now=now)
    return None
