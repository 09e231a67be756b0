"""The hand-off between segment definitions and the evaluator.

The segments service calls these functions when a definition is created, edited, unarchived or
refreshed; they only write queue rows and readiness, never evaluate, so segments never import the
evaluator that writes back into its tables. Work is picked up by backend.evaluation.worker.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from sqlalchemy import event, or_, select, update
from sqlalchemy.orm import Session

from backend.db import utcnow
from backend.evaluation.models import (
    NOT_READY,
    PENDING,
    QUEUED,
    EvaluationJob,
    EvaluationState,
)

# Set after a commit that queued work, so the in-process worker starts at once instead of at its next poll.
wake = threading.Event()


def _wake_after_commit(session: Session) -> None:
    if session.info.get("_evaluation_wake_hooked"):
        return
    session.info["_evaluation_wake_hooked"] = True

    def _after_commit(_session: Session) -> None:
        _session.info.pop("_evaluation_wake_hooked", None)
        wake.set()

    event.listen(session, "after_commit", _after_commit, once=True)


def enqueue(session: Session, *, org_id: int, segment_id: int, reason: str, requested_by: int | None = None,
            now: datetime | None = None) -> EvaluationJob:
    """Queue one evaluation of a segment; a job already waiting for it is reused."""
    waiting = session.scalar(select(EvaluationJob).where(EvaluationJob.segment_id == segment_id,
                                                         EvaluationJob.status == QUEUED)
                             .order_by(EvaluationJob.id).limit(1))
    if waiting is not None:
        _wake_after_commit(session)
        return waiting
    job = EvaluationJob(org_id=org_id, segment_id=segment_id, reason=reason, status=QUEUED,
                        requested_by_user_id=requested_by, queued_at=now or utcnow())
    session.add(job)
    session.flush()
    _wake_after_commit(session)
    return job


def segment_created(session: Session, *, org_id: int, segment_id: int, reason: str,
                    requested_by: int | None = None) -> EvaluationJob:
    session.add(EvaluationState(segment_id=segment_id, org_id=org_id, readiness=PENDING, member_count=0))
    session.flush()
    return enqueue(session, org_id=org_id, segment_id=segment_id, reason=reason, requested_by=requested_by)


def rules_changed(session: Session, *, org_id: int, segment_id: int, reason: str,
                  requested_by: int | None = None) -> EvaluationJob:
    """The committed membership no longer reflects the rules: not ready until the next evaluation."""
    session.execute(update(EvaluationState)
                    .where(EvaluationState.segment_id == segment_id, EvaluationState.readiness != PENDING)
                    .values(readiness=NOT_READY))
    return enqueue(session, org_id=org_id, segment_id=segment_id, reason=reason, requested_by=requested_by)


def claim_refresh_window(session: Session, *, segment_id: int, now: datetime, window_seconds: int) -> bool:
    """Start a manual-refresh window atomically; False when one is still open (compare-and-set)."""
    cutoff = now - timedelta(seconds=window_seconds)
    result = session.execute(
        update(EvaluationState)
        .where(EvaluationState.segment_id == segment_id,
               or_(EvaluationState.last_manual_refresh_at.is_(None),
                   EvaluationState.last_manual_refresh_at <= cutoff))
        .values(last_manual_refresh_at=now)
        .execution_options(synchronize_session=False))
    return result.rowcount == 1
