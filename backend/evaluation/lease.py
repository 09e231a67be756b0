"""Segment leases: which worker (of any process) may evaluate a segment, kept alive by a heartbeat.

A lease is `lease_owner` + `lease_expires_at` on the segment's evaluation state, taken by
compare-and-set. It is short (settings: 30 s by default) and renewed every few seconds by a
heartbeat thread while the evaluation runs, so a live worker never loses it to a slow evaluation
and a dead worker's lease runs out quickly; backend.evaluation.recovery then takes its work back.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import TracebackType

from sqlalchemy import update
from sqlalchemy.orm import Session

from backend.config import Settings
from backend.db import Database, utcnow
from backend.evaluation.models import EvaluationState

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LeasePolicy:
    """How long a lease lasts unrenewed, and how often a running evaluation renews it."""

    seconds: float = 30.0
    heartbeat_seconds: float = 10.0

    @classmethod
    def from_settings(cls, settings: Settings) -> LeasePolicy:
        return cls(seconds=settings.evaluation_lease_seconds,
                   heartbeat_seconds=settings.evaluation_heartbeat_seconds)

    def expiry(self, now: datetime) -> datetime:
        return now + timedelta(seconds=self.seconds)


DEFAULT_POLICY = LeasePolicy()


def acquire(session: Session, segment_id: int, *, worker: str, now: datetime, policy: LeasePolicy) -> bool:
    """Take a free lease (or extend our own). An expired one is not taken here: recovery frees it
    first, so the dead worker's job and evaluation rows are settled before anyone starts again."""
    result = session.execute(
        update(EvaluationState)
        .where(EvaluationState.segment_id == segment_id,
               (EvaluationState.lease_owner.is_(None)) | (EvaluationState.lease_owner == worker))
        .values(lease_owner=worker, lease_expires_at=policy.expiry(now))
        .execution_options(synchronize_session=False))
    return result.rowcount == 1


def release(session: Session, segment_id: int, *, worker: str) -> None:
    session.execute(update(EvaluationState)
                    .where(EvaluationState.segment_id == segment_id, EvaluationState.lease_owner == worker)
                    .values(lease_owner=None, lease_expires_at=None)
                    .execution_options(synchronize_session=False))


def renew(db: Database, segment_id: int, *, worker: str, now: datetime, policy: LeasePolicy) -> bool:
    """Push our lease's expiry forward in a transaction of its own; False when it is no longer ours."""
    with db.session() as session:
        result = session.execute(
            update(EvaluationState)
            .where(EvaluationState.segment_id == segment_id, EvaluationState.lease_owner == worker)
            .values(lease_expires_at=policy.expiry(now))
            .execution_options(synchronize_session=False))
        return result.rowcount == 1


class Heartbeat:
    """Renews a lease every policy.heartbeat_seconds until the `with` block ends.

    A renewal that fails for a moment (SQLite busy while the evaluation itself writes) is retried at
    the next beat; the evaluation's final commit checks ownership under a row lock anyway, so a lost
    lease can only cost the work, never commit over another worker's result.
    """

    def __init__(self, db: Database, segment_id: int, *, worker: str, policy: LeasePolicy,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.segment_id = segment_id
        self.worker = worker
        self.policy = policy
        self.clock = clock
        self.beats = 0
        self.lost = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"lease-heartbeat-{segment_id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join(self.policy.heartbeat_seconds + 5)

    def _run(self) -> None:
        while not self._stop.wait(self.policy.heartbeat_seconds):
            try:
                held = renew(self.db, self.segment_id, worker=self.worker, now=self.clock(), policy=self.policy)
            except Exception:  # noqa: BLE001 - a missed beat is retried; the lease outlives several
                log.warning("lease renewal failed; retrying", exc_info=True,
                            extra={"segment_id": self.segment_id})
                continue
            if self._stop.is_set():
                return
            self.beats += 1
            if not held:
                self.lost = True
                log.warning("lease lost during evaluation", extra={"segment_id": self.segment_id})
                return
