"""Evaluate one segment and swap its membership in atomically.

Three short steps, each its own transaction:
1. claim (backend.evaluation.claims) — take the segment's lease (compare-and-set, so at most one
   worker of any process holds it), open an evaluation row, mark the segment not_ready; a heartbeat
   renews the lease while the next step runs (backend.evaluation.lease);
2. swap — write the new member set under the new evaluation id, record who entered and left, flip
   the state's `current_evaluation_id` and readiness, and drop the old rows, all in one commit;
3. on failure — roll the swap back entirely, then record the failure (readiness failed, event).
Readers reach members only through the current id, so they see the old membership until step 2
commits, and `ready` is only ever written together with a complete membership.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, and_, delete, exists, func, insert, literal, select, update
from sqlalchemy.orm import Session, aliased

from backend.admin import alerts
from backend.auth.models import Organisation
from backend.db import Database, utcnow
from backend.errors import ApiError
from backend.evaluation.claims import Claim, claim_segment
from backend.evaluation.lease import DEFAULT_POLICY, Heartbeat, LeasePolicy
from backend.evaluation.models import (
    DONE,
    ENTERED,
    EVAL_FAILED,
    EVAL_RUNNING,
    EVAL_SUCCEEDED,
    EVENT_EVALUATED,
    EVENT_FAILED,
    FAILED,
    JOB_FAILED,
    LEFT,
    NOT_READY,
    READY,
    RUNNING,
    EvaluationJob,
    EvaluationState,
    MembershipChange,
    SegmentEvaluation,
    SegmentEvent,
    SegmentMember,
)
from backend.rules import engine
from backend.segments.models import Segment

log = logging.getLogger(__name__)

CHANGE_RETENTION_DAYS = 90


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class LeaseLost(RuntimeError):
    """Another worker took the segment over (our lease expired); our result must not be committed."""


class SegmentGone(RuntimeError):
    """The segment was deleted while it was being evaluated."""


@dataclass(frozen=True)
class Outcome:
    segment_id: int
    evaluation_id: int
    ok: bool
    member_count: int | None = None
    entered: int | None = None
    left: int | None = None
    duration_ms: int = 0
    error: str | None = None


def org_today(org: Organisation, now: datetime):
    return now.astimezone(ZoneInfo(org.timezone)).date()


def _write_members(session: Session, claim: Claim, segment: Segment, org: Organisation, now: datetime) -> int:
    tree = engine.parse_and_validate(session, org, segment.rules, enforce_limits=False)
    matching = engine.matching_customer_pks(session, org, tree, today=org_today(org, now)).subquery()
    pk = next(iter(matching.c))
    # The rule query yields each customer pk once (it selects from customers), so no DISTINCT: that
    # sorted or hashed every member again (0.2 s of PostgreSQL's 210,000-member swap).
    session.execute(insert(SegmentMember).from_select(
        ["evaluation_id", "customer_pk", "org_id"],
        select(literal(claim.evaluation_id, Integer), pk, literal(claim.org_id, Integer))))
    return session.scalar(select(func.count()).select_from(SegmentMember)
                          .where(SegmentMember.evaluation_id == claim.evaluation_id)) or 0


def _record_changes(session: Session, claim: Claim, old_evaluation_id: int | None, now: datetime) -> tuple[int, int]:
    """Who entered and who left compared with the committed membership (everyone enters the first time)."""
    new = aliased(SegmentMember)
    old = aliased(SegmentMember)
    counts = []
    for change, source_id, other_id in ((ENTERED, claim.evaluation_id, old_evaluation_id),
                                        (LEFT, old_evaluation_id, claim.evaluation_id)):
        if source_id is None:
            counts.append(0)
            continue
        not_in_other = ~exists().where(and_(old.evaluation_id == other_id, old.customer_pk == new.customer_pk)) \
            if other_id is not None else literal(True)
        session.execute(insert(MembershipChange).from_select(
            ["org_id", "segment_id", "evaluation_id", "customer_pk", "change", "recorded_at"],
            select(literal(claim.org_id, Integer), literal(claim.segment_id, Integer),
                   literal(claim.evaluation_id, Integer), new.customer_pk, literal(change),
                   literal(now, MembershipChange.recorded_at.type))
            .where(new.evaluation_id == source_id, not_in_other)))
        # Counted rather than taken from rowcount, which drivers do not all report for INSERT … SELECT.
        counts.append(session.scalar(select(func.count()).select_from(MembershipChange).where(
            MembershipChange.evaluation_id == claim.evaluation_id, MembershipChange.change == change)) or 0)
    return counts[0], counts[1]


def _swap_in(session: Session, claim: Claim, *, started: float, now: datetime) -> Outcome:
    segment = session.get(Segment, claim.segment_id)
    if segment is None:
        raise SegmentGone(f"segment {claim.segment_id} was deleted")
    org = session.get(Organisation, segment.org_id)
    assert org is not None
    rules_version = segment.rules_version
    member_count = _write_members(session, claim, segment, org, now)
    state = session.execute(select(EvaluationState).where(EvaluationState.segment_id == claim.segment_id)
                            .with_for_update().execution_options(populate_existing=True)).scalar_one_or_none()
    if state is None:
        raise SegmentGone(f"segment {claim.segment_id} was deleted")
    if state.lease_owner != claim.worker:
        raise LeaseLost(f"lease on segment {claim.segment_id} was taken over")
    old_evaluation_id = state.current_evaluation_id
    entered, left = _record_changes(session, claim, old_evaluation_id, now)
    session.execute(delete(MembershipChange).where(
        MembershipChange.segment_id == claim.segment_id,
        MembershipChange.recorded_at < now - timedelta(days=CHANGE_RETENTION_DAYS)))
    # Read after taking the state lock: an edit committed meanwhile bumps the version and we stay not_ready.
    current_version = session.scalar(select(Segment.rules_version).where(Segment.id == claim.segment_id))
    duration_ms = int((time.perf_counter() - started) * 1000)
    state.current_evaluation_id = claim.evaluation_id
    state.member_count = member_count
    state.last_evaluated_at = now
    state.evaluated_rules_version = rules_version
    state.readiness = READY if current_version == rules_version else NOT_READY
    state.last_error = None
    state.lease_owner = None
    state.lease_expires_at = None
    session.execute(update(SegmentEvaluation).where(SegmentEvaluation.id == claim.evaluation_id).values(
        status=EVAL_SUCCEEDED, finished_at=now, member_count=member_count, entered_count=entered,
        left_count=left, duration_ms=duration_ms, rules_version=rules_version)
        .execution_options(synchronize_session=False))
    if claim.job_id is not None:
        session.execute(update(EvaluationJob).where(EvaluationJob.id == claim.job_id)
                        .values(status=DONE, finished_at=now).execution_options(synchronize_session=False))
    session.add(SegmentEvent(org_id=claim.org_id, segment_id=claim.segment_id, name=EVENT_EVALUATED, created_at=now,
                             payload={"evaluation_id": claim.evaluation_id, "member_count": member_count,
                                      "evaluation_duration_ms": duration_ms, "entered": entered, "left": left,
                                      "reason": claim.reason}))
    if old_evaluation_id is not None:
        session.execute(delete(SegmentMember).where(SegmentMember.evaluation_id == old_evaluation_id))
    session.flush()
    return Outcome(segment_id=claim.segment_id, evaluation_id=claim.evaluation_id, ok=True,
                   member_count=member_count, entered=entered, left=left, duration_ms=duration_ms)


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, ApiError):
        detail = "; ".join(f"{f.path}: {f.message}" for f in exc.fields)
        return exc.message + (f" ({detail})" if detail else "")
    return f"{type(exc).__name__}: {exc}"[:2000]


def _record_failure(session: Session, claim: Claim, error: str, *, duration_ms: int, now: datetime) -> None:
    # Conditional on still being ours: after a lost lease, recovery has already settled these rows.
    session.execute(update(SegmentEvaluation)
                    .where(SegmentEvaluation.id == claim.evaluation_id, SegmentEvaluation.status == EVAL_RUNNING)
                    .values(status=EVAL_FAILED, finished_at=now, duration_ms=duration_ms, error=error)
                    .execution_options(synchronize_session=False))
    if claim.job_id is not None:
        session.execute(update(EvaluationJob)
                        .where(EvaluationJob.id == claim.job_id, EvaluationJob.status == RUNNING,
                               EvaluationJob.worker == claim.worker)
                        .values(status=JOB_FAILED, finished_at=now).execution_options(synchronize_session=False))
    # Only the lease holder may say "failed": after a takeover the other worker owns the outcome.
    held = session.execute(update(EvaluationState)
                           .where(EvaluationState.segment_id == claim.segment_id,
                                  EvaluationState.lease_owner == claim.worker)
                           .values(readiness=FAILED, last_error=error, lease_owner=None, lease_expires_at=None)
                           .execution_options(synchronize_session=False))
    if held.rowcount == 1:
        alerts.record_alert(session, org_id=claim.org_id, kind=alerts.EVALUATION_FAILED, segment_id=claim.segment_id,
                            message=f"Evaluation of segment {claim.segment_id} failed; its previous membership "
                                    f"is kept. {error}")
        session.add(SegmentEvent(org_id=claim.org_id, segment_id=claim.segment_id, name=EVENT_FAILED, created_at=now,
                                 payload={"evaluation_id": claim.evaluation_id, "error": error,
                                          "evaluation_duration_ms": duration_ms, "reason": claim.reason}))


def run_claim(db: Database, claim: Claim, *, now: datetime | None = None, policy: LeasePolicy = DEFAULT_POLICY,
              clock: Callable[[], datetime] | None = None) -> Outcome:
    """Evaluate a claimed segment under a heartbeat; any failure keeps the committed membership and records why."""
    started = time.perf_counter()
    clock = clock or ((lambda: now) if now is not None else utcnow)
    try:
        with Heartbeat(db, claim.segment_id, worker=claim.worker, policy=policy, clock=clock), \
                db.session() as session:
            return _swap_in(session, claim, started=started, now=now or utcnow())
    except SegmentGone:
        return Outcome(segment_id=claim.segment_id, evaluation_id=claim.evaluation_id, ok=False,
                       error="segment deleted")
    except Exception as exc:  # noqa: BLE001 - every failure must be recorded, whatever raised it
        duration_ms = int((time.perf_counter() - started) * 1000)
        error = _error_text(exc)
        if not isinstance(exc, ApiError | LeaseLost):
            log.exception("segment evaluation failed", extra={"segment_id": claim.segment_id})
        else:
            log.warning("segment evaluation failed", extra={"segment_id": claim.segment_id, "error": error})
        with db.session() as session:
            _record_failure(session, claim, error, duration_ms=duration_ms, now=now or utcnow())
        return Outcome(segment_id=claim.segment_id, evaluation_id=claim.evaluation_id, ok=False,
                       duration_ms=duration_ms, error=error)


def evaluate_segment(db: Database, segment_id: int, *, reason: str, worker: str | None = None,
                     now: datetime | None = None, policy: LeasePolicy = DEFAULT_POLICY) -> Outcome | None:
    """Claim and evaluate one segment now; None when another worker holds it."""
    worker = worker or new_worker_id()
    with db.session() as session:
        claim = claim_segment(session, segment_id, worker=worker, reason=reason, now=now, policy=policy)
    if claim is None:
        return None
    return run_claim(db, claim, now=now, policy=policy)
