"""Taking back the work of workers that died (kill -9, a lost machine) mid-evaluation.

A dead worker stops renewing its lease, so the lease runs out within `LeasePolicy.seconds`. Any
live worker's next poll finds the expired lease and, in one transaction per segment, frees it
(compare-and-set, so of several processes exactly one recovers a segment), marks the dead
worker's evaluation abandoned and its jobs abandoned, gives a manual refresh it had started its
window back, and queues the segment again (keeping the daily run it belonged to).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from backend.evaluation import queue
from backend.evaluation.models import (
    ABANDONED,
    EVAL_ABANDONED,
    EVAL_RUNNING,
    MERGED,
    REASON_RECOVER,
    RUNNING,
    EvaluationJob,
    EvaluationState,
    SegmentEvaluation,
)


def expired_leases(session: Session, *, now: datetime) -> list[tuple[int, int, str]]:
    """(segment_id, org_id, owner) of every lease that ran out: its worker stopped renewing it."""
    rows = session.execute(select(EvaluationState.segment_id, EvaluationState.org_id, EvaluationState.lease_owner)
                           .where(EvaluationState.lease_owner.is_not(None),
                                  EvaluationState.lease_expires_at < now)).all()
    return [(r[0], r[1], r[2]) for r in rows]


def recover_segment(session: Session, segment_id: int, org_id: int, owner: str, *, now: datetime) -> bool:
    """Settle one dead worker's segment; False when another process got there first or it renewed."""
    freed = session.execute(update(EvaluationState)
                            .where(EvaluationState.segment_id == segment_id, EvaluationState.lease_owner == owner,
                                   EvaluationState.lease_expires_at < now)
                            .values(lease_owner=None, lease_expires_at=None)
                            .execution_options(synchronize_session=False))
    if freed.rowcount != 1:
        return False
    evaluations = session.execute(select(SegmentEvaluation.id, SegmentEvaluation.started_at)
                                  .where(SegmentEvaluation.segment_id == segment_id,
                                         SegmentEvaluation.worker == owner,
                                         SegmentEvaluation.status == EVAL_RUNNING)).all()
    evaluation_ids = [e.id for e in evaluations]
    session.execute(update(SegmentEvaluation).where(SegmentEvaluation.id.in_(evaluation_ids))
                    .values(status=EVAL_ABANDONED, finished_at=now, error="worker stopped before finishing")
                    .execution_options(synchronize_session=False))
    # The dead worker's running job, and jobs merged into its evaluation, are answered by a new one.
    jobs = session.execute(select(EvaluationJob.id, EvaluationJob.reason, EvaluationJob.run_id)
                           .where(EvaluationJob.segment_id == segment_id,
                                  or_((EvaluationJob.status == RUNNING) & (EvaluationJob.worker == owner),
                                      (EvaluationJob.status == MERGED)
                                      & EvaluationJob.evaluation_id.in_(evaluation_ids)))
                           .order_by(EvaluationJob.id)).all()
    session.execute(update(EvaluationJob).where(EvaluationJob.id.in_([j.id for j in jobs]))
                    .values(status=ABANDONED, finished_at=now)
                    .execution_options(synchronize_session=False))
    for started_at in (e.started_at for e in evaluations):
        # The refresh never finished: its window opens again, and it waits for the next evaluation.
        session.execute(update(EvaluationState)
                        .where(EvaluationState.segment_id == segment_id,
                               EvaluationState.last_manual_refresh_at == started_at)
                        .values(last_manual_refresh_at=None, manual_refresh_requested_at=started_at)
                        .execution_options(synchronize_session=False))
    reason = jobs[0].reason if jobs else REASON_RECOVER
    run_id = next((j.run_id for j in jobs if j.run_id is not None), None)
    queue.enqueue(session, org_id=org_id, segment_id=segment_id, reason=reason, now=now, run_id=run_id)
    return True


def recover_abandoned(session: Session, *, now: datetime) -> int:
    """Requeue the work of every worker whose lease ran out; returns how many segments were recovered."""
    return sum(recover_segment(session, segment_id, org_id, owner, now=now)
               for segment_id, org_id, owner in expired_leases(session, now=now))
