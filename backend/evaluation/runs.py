"""The daily run's rows: claim a day with one queued job per segment, then finish it when its jobs are done.

Claiming the day only writes — the run row (whose unique key makes one process of several win it)
and a job per active segment, in dependency order, in the same transaction — so a process that dies
right after leaves the whole day queued for whichever processes are alive. The run is finished
(counted, with the budget alert if segments were skipped) by whichever worker sees its last job end.
"""

from __future__ import annotations

from datetime import date, datetime
from graphlib import TopologicalSorter

from sqlalchemy import and_, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from backend.admin import alerts
from backend.auth.models import Organisation
from backend.db import Database
from backend.evaluation import queue
from backend.evaluation.models import (
    DONE,
    EVAL_FAILED,
    EVAL_RUNNING,
    EVAL_SUCCEEDED,
    EVENT_BUDGET_EXCEEDED,
    JOB_FAILED,
    MERGED,
    QUEUED,
    REASON_SCHEDULE,
    RUNNING,
    SKIPPED,
    EvaluationJob,
    ScheduledRun,
    SegmentEvaluation,
    SegmentEvent,
)
from backend.segments.models import ACTIVE, Segment


def segment_dependencies(session: Session, segment_ids: list[int]) -> dict[int, set[int]]:
    """Which of these segments each one reads. None today; segments used inside segments will say so
    here, and the day's jobs are then queued dependencies first."""
    return {segment_id: set() for segment_id in segment_ids}


def evaluation_order(session: Session, segment_ids: list[int]) -> list[int]:
    """Dependencies before dependants; otherwise by id, so a day's order is stable."""
    sorter = TopologicalSorter(segment_dependencies(session, segment_ids))
    sorter.prepare()
    order: list[int] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready())
        order.extend(ready)
        sorter.done(*ready)
    return order


def day_claimed(db: Database, org_id: int, run_date: date) -> bool:
    """A cheap read first, so every process's tick does not attempt (and fail) the insert all day long."""
    with db.session() as session:
        return session.scalar(select(ScheduledRun.id).where(ScheduledRun.org_id == org_id,
                                                            ScheduledRun.run_date == run_date)) is not None


def claim_day(db: Database, org_id: int, run_date: date, *, worker: str, at: datetime) -> int | None:
    """Claim (org, day) and queue every active segment in one transaction; None when already claimed."""
    try:
        with db.session() as session:
            run = ScheduledRun(org_id=org_id, run_date=run_date, worker=worker, started_at=at)
            session.add(run)
            session.flush()
            segment_ids = list(session.scalars(select(Segment.id).where(Segment.org_id == org_id,
                                                                        Segment.status == ACTIVE)))
            for segment_id in evaluation_order(session, segment_ids):
                queue.enqueue(session, org_id=org_id, segment_id=segment_id, reason=REASON_SCHEDULE, now=at,
                              run_id=run.id)
            return run.id
    except IntegrityError:
        return None


def _counts(session: Session, run_id: int) -> dict[str, int]:
    """evaluated / failed / skipped, counting a job merged into another's evaluation by that evaluation."""
    evaluation = aliased(SegmentEvaluation)
    rows = session.execute(select(EvaluationJob.status, evaluation.status, func.count())
                           .outerjoin(evaluation, evaluation.id == EvaluationJob.evaluation_id)
                           .where(EvaluationJob.run_id == run_id)
                           .group_by(EvaluationJob.status, evaluation.status)).all()
    counts = {"evaluated": 0, "failed": 0, "skipped": 0}
    for job_status, evaluation_status, n in rows:
        if job_status == DONE or (job_status == MERGED and evaluation_status == EVAL_SUCCEEDED):
            counts["evaluated"] += n
        elif job_status == JOB_FAILED or (job_status == MERGED and evaluation_status == EVAL_FAILED):
            counts["failed"] += n
        elif job_status == SKIPPED:
            counts["skipped"] += n
    return counts


def _unfinished(session: Session, run_id: int) -> bool:
    evaluation = aliased(SegmentEvaluation)
    pending = (select(EvaluationJob.id)
               .outerjoin(evaluation, evaluation.id == EvaluationJob.evaluation_id)
               .where(EvaluationJob.run_id == run_id,
                      EvaluationJob.status.in_((QUEUED, RUNNING))
                      | and_(EvaluationJob.status == MERGED, evaluation.status == EVAL_RUNNING))
               .limit(1))
    return session.scalar(pending) is not None


def finish_runs(session: Session, *, now: datetime) -> list[int]:
    """Finish every open daily run none of whose jobs is waiting or running; returns their ids."""
    finished = []
    for run in session.scalars(select(ScheduledRun).where(ScheduledRun.finished_at.is_(None))).all():
        if _unfinished(session, run.id):
            continue
        counts = _counts(session, run.id)
        done = session.execute(update(ScheduledRun)
                               .where(ScheduledRun.id == run.id, ScheduledRun.finished_at.is_(None))
                               .values(finished_at=now, **counts)
                               .execution_options(synchronize_session=False))
        if done.rowcount != 1:
            continue  # another process finished it
        finished.append(run.id)
        if counts["skipped"]:
            skipped_ids = list(session.scalars(select(EvaluationJob.segment_id)
                                               .where(EvaluationJob.run_id == run.id, EvaluationJob.status == SKIPPED)
                                               .order_by(EvaluationJob.id)))
            budget = session.scalar(select(Organisation.evaluation_budget_seconds)
                                    .where(Organisation.id == run.org_id)) or 0
            record_budget_alert(session, run.org_id, budget=budget, elapsed=(now - run.started_at).total_seconds(),
                                evaluated=counts["evaluated"] + counts["failed"], skipped=skipped_ids, at=now)
    return finished


def record_budget_alert(session: Session, org_id: int, *, budget: int, elapsed: float, evaluated: int,
                        skipped: list[int], at: datetime) -> None:
    alerts.record_alert(session, org_id=org_id, kind=alerts.EVALUATION_SKIPPED,
                        message=f"The daily evaluation used its {budget}-second budget; "
                                f"{len(skipped)} segment(s) were skipped until the next run.")
    session.add(SegmentEvent(org_id=org_id, segment_id=None, name=EVENT_BUDGET_EXCEEDED, created_at=at,
                             payload={"budget_seconds": budget, "elapsed_seconds": round(elapsed, 3),
                                      "evaluated": evaluated, "skipped_segment_ids": skipped}))
