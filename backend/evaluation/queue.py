"""The hand-off between segment definitions and the evaluator.

The segments service calls these functions when a definition is created, edited, unarchived or
refreshed; they only write queue rows and readiness, never evaluate, so segments never import the
evaluator that writes back into its tables. Work is picked up by backend.evaluation.worker.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from sqlalchemy import event, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from backend.db import utcnow
from backend.evaluation.models import (
    NOT_READY,
    PENDING,
    QUEUED,
    REASON_MANUAL,
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


# The predicate of the partial unique index, spelled as in the index (a bound parameter would not match it).
WAITING_INDEX_WHERE = text(f"status = '{QUEUED}'")


def _insert_ignoring_waiting(session: Session, values: dict) -> None:
    """INSERT … ON CONFLICT DO NOTHING against the one-waiting-job-per-segment index: of several
    processes queueing the same segment at once, one inserts and the others reuse its row."""
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(EvaluationJob).values(**values).on_conflict_do_nothing(
        index_elements=[EvaluationJob.segment_id], index_where=WAITING_INDEX_WHERE))


def _waiting(session: Session, segment_id: int) -> EvaluationJob | None:
    return session.scalar(select(EvaluationJob).where(EvaluationJob.segment_id == segment_id,
                                                      EvaluationJob.status == QUEUED)
                          .execution_options(populate_existing=True))


def enqueue(session: Session, *, org_id: int, segment_id: int, reason: str, requested_by: int | None = None,
            now: datetime | None = None, run_id: int | None = None) -> EvaluationJob:
    """Queue one evaluation of a segment; a job already waiting for it is reused (and joins `run_id`)."""
    waiting = _waiting(session, segment_id)
    if waiting is None:
        _insert_ignoring_waiting(session, {"org_id": org_id, "segment_id": segment_id, "reason": reason,
                                           "status": QUEUED, "requested_by_user_id": requested_by,
                                           "queued_at": now or utcnow(), "run_id": run_id})
        waiting = _waiting(session, segment_id)
        assert waiting is not None  # inserted, or another transaction's committed row
    elif run_id is not None and waiting.run_id is None:
        waiting.run_id = run_id
        session.flush()
    _wake_after_commit(session)
    return waiting


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


def manual_refresh_wait(session: Session, *, segment_id: int, now: datetime, window_seconds: int) -> float | None:
    """Seconds until another manual refresh is allowed, or None when the window is open."""
    started = session.scalar(select(EvaluationState.last_manual_refresh_at)
                             .where(EvaluationState.segment_id == segment_id))
    if started is None:
        return None
    remaining = (started + timedelta(seconds=window_seconds) - now).total_seconds()
    return remaining if remaining > 0 else None


def segment_held(session: Session, segment_id: int) -> bool:
    """A worker (live, or dead with its lease not yet run out) holds the segment: new work must wait."""
    return session.scalar(select(EvaluationState.lease_owner).where(EvaluationState.segment_id == segment_id)) \
        is not None


def claim_refresh_window(session: Session, *, segment_id: int, now: datetime, window_seconds: int) -> bool:
    """Start a manual-refresh window atomically; False when one is still open (compare-and-set)."""
    cutoff = now - timedelta(seconds=window_seconds)
    result = session.execute(
        update(EvaluationState)
        .where(EvaluationState.segment_id == segment_id,
               or_(EvaluationState.last_manual_refresh_at.is_(None),
                   EvaluationState.last_manual_refresh_at <= cutoff))
        .values(last_manual_refresh_at=now, manual_refresh_requested_at=None)
        .execution_options(synchronize_session=False))
    return result.rowcount == 1


def request_manual_refresh(session: Session, *, org_id: int, segment_id: int, requested_by: int | None,
                           now: datetime) -> EvaluationJob:
    """Queue a manual refresh that cannot start yet without starting its window: the evaluation that
    answers it starts the window when it starts (claims.py); asking again meanwhile reuses the job."""
    session.execute(update(EvaluationState)
                    .where(EvaluationState.segment_id == segment_id,
                           EvaluationState.manual_refresh_requested_at.is_(None))
                    .values(manual_refresh_requested_at=now)
                    .execution_options(synchronize_session=False))
    return enqueue(session, org_id=org_id, segment_id=segment_id, reason=REASON_MANUAL, requested_by=requested_by,
                   now=now)
