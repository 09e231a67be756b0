"""Daily re-evaluation of every organisation's active segments at its refresh time, in its timezone.

APScheduler ticks once a minute; each tick asks every organisation whether its refresh time has
passed today (local date) and, if so, claims that day (backend.evaluation.runs): a unique row plus
one queued job per active segment, in one transaction, so one process of several claims the day and
every live process's worker helps finish it. A server that was down at refresh time catches up on
start. Jobs of the day are not started once the organisation's time budget is spent (an alert).
`evaluate_org` is the synchronous form, for the `evaluate` command of an external cron.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import select

from backend.admin import events as settings_events
from backend.auth.models import Organisation
from backend.db import Database, utcnow
from backend.evaluation.evaluator import evaluate_segment, new_worker_id
from backend.evaluation.lease import DEFAULT_POLICY, LeasePolicy
from backend.evaluation.models import REASON_SCHEDULE
from backend.evaluation.runs import claim_day, day_claimed, evaluation_order, record_budget_alert
from backend.segments.models import ACTIVE, Segment

log = logging.getLogger(__name__)

DEFAULT_REFRESH_TIME = "08:00"


@dataclass
class OrgRun:
    org_id: int
    evaluated: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    busy: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"org_id": self.org_id, "evaluated": self.evaluated, "failed": self.failed, "busy": self.busy,
                "skipped": self.skipped}


def _refresh_minutes(value: str | None) -> int:
    try:
        hours, minutes = (value or DEFAULT_REFRESH_TIME).split(":")
        return int(hours) * 60 + int(minutes)
    except ValueError:
        hours, minutes = DEFAULT_REFRESH_TIME.split(":")
        return int(hours) * 60 + int(minutes)


def due_date(org: Organisation, now: datetime) -> date | None:
    """The org-local date whose run is due at `now`, or None before today's refresh time."""
    local = now.astimezone(ZoneInfo(org.timezone or "UTC"))
    if local.hour * 60 + local.minute < _refresh_minutes(org.refresh_time):
        return None
    return local.date()


def evaluate_org(db: Database, org_id: int, *, reason: str = REASON_SCHEDULE, worker: str | None = None,
                 now: Callable[[], datetime] = utcnow, clock: Callable[[], float] = time.monotonic,
                 policy: LeasePolicy = DEFAULT_POLICY) -> OrgRun:
    """Evaluate each active segment of one organisation in turn, within its time budget."""
    worker = worker or new_worker_id()
    with db.session() as session:
        org = session.get(Organisation, org_id)
        if org is None:
            raise LookupError(f"no organisation with id {org_id}")
        budget = org.evaluation_budget_seconds
        segment_ids = list(session.scalars(select(Segment.id).where(Segment.org_id == org_id,
                                                                    Segment.status == ACTIVE)
                                           .order_by(Segment.id)))
        segment_ids = evaluation_order(session, segment_ids)
    run = OrgRun(org_id=org_id)
    started = clock()
    for index, segment_id in enumerate(segment_ids):
        elapsed = clock() - started
        if budget is not None and elapsed >= budget:
            run.skipped = segment_ids[index:]
            log.warning("evaluation budget exhausted; segments skipped",
                        extra={"org_id": org_id, "budget_seconds": budget, "skipped": run.skipped})
            with db.session() as session:
                record_budget_alert(session, org_id, budget=budget, elapsed=elapsed, skipped=run.skipped,
                                    evaluated=len(run.evaluated) + len(run.failed), at=now())
            break
        outcome = evaluate_segment(db, segment_id, reason=reason, worker=worker, now=now(), policy=policy)
        if outcome is None:
            run.busy.append(segment_id)
        elif outcome.ok:
            run.evaluated.append(segment_id)
        else:
            run.failed.append(segment_id)
    return run


@dataclass(frozen=True)
class ClaimedRun:
    org_id: int
    run_id: int
    run_date: date


def run_due(db: Database, *, now: Callable[[], datetime] = utcnow, worker: str | None = None) -> list[ClaimedRun]:
    """Claim and queue the day of every organisation whose refresh time has come and nobody has claimed."""
    worker = worker or new_worker_id()
    with db.session() as session:
        orgs = list(session.scalars(select(Organisation).order_by(Organisation.id)))
    runs = []
    for org in orgs:
        day = due_date(org, now())
        if day is None or day_claimed(db, org.id, day):
            continue
        run_id = claim_day(db, org.id, day, worker=worker, at=now())
        if run_id is not None:
            runs.append(ClaimedRun(org_id=org.id, run_id=run_id, run_date=day))
    return runs


class Scheduler:
    """APScheduler inside the backend: a tick (a minute by default) that claims whatever daily runs are due."""

    def __init__(self, db: Database, *, tick_seconds: float = 60) -> None:
        self.db = db
        self.worker_id = new_worker_id()
        self._scheduler = BackgroundScheduler(timezone="UTC")
        self._scheduler.add_job(self._tick, "interval", seconds=tick_seconds, id="segment-daily-refresh",
                                max_instances=1, coalesce=True, next_run_time=utcnow())

    def _tick(self) -> None:
        try:
            run_due(self.db, worker=self.worker_id)
        except Exception:  # noqa: BLE001 - a failed tick must not stop tomorrow's
            log.exception("daily segment refresh tick failed")

    def start(self) -> None:
        self._scheduler.start()
        settings_events.subscribe(self.reschedule)

    def stop(self) -> None:
        settings_events.unsubscribe(self.reschedule)
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    def reschedule(self, org_id: int) -> None:
        """An organisation's refresh time or timezone changed: look at once instead of at the next tick."""
        if self._scheduler.running:
            self._scheduler.modify_job("segment-daily-refresh", next_run_time=utcnow())

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running)
