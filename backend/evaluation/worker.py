"""The in-process worker that runs queued evaluations, and `run_pending` for tests and scripts.

Every server process runs one worker; several processes on one database share the queue. Each
poll first takes back the work of dead workers (expired leases: a cheap read unless there is
something to recover), then claims and runs jobs until none is left that it may take, then
finishes any daily run whose last job has ended.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from backend.db import Database, utcnow
from backend.evaluation import queue
from backend.evaluation.claims import claim_next_job
from backend.evaluation.evaluator import Outcome, new_worker_id, run_claim
from backend.evaluation.lease import DEFAULT_POLICY, LeasePolicy
from backend.evaluation.recovery import recover_abandoned
from backend.evaluation.runs import finish_runs

log = logging.getLogger(__name__)


def run_pending(db: Database, *, worker: str | None = None, max_jobs: int | None = None,
                now: Callable[[], datetime] = utcnow, recover: bool = True,
                policy: LeasePolicy = DEFAULT_POLICY) -> list[Outcome]:
    """Run queued evaluations one after another until none is left that this worker may take."""
    worker = worker or new_worker_id()
    if recover:
        with db.session() as session:
            recover_abandoned(session, now=now())
    outcomes: list[Outcome] = []
    while max_jobs is None or len(outcomes) < max_jobs:
        with db.session() as session:
            claim = claim_next_job(session, worker=worker, now=now(), policy=policy)
        if claim is None:
            break
        outcomes.append(run_claim(db, claim, now=now(), policy=policy, clock=now))
    with db.session() as session:
        finish_runs(session, now=now())
    return outcomes


class Worker:
    """A background thread that wakes when work is queued here, or every poll_seconds for other processes'."""

    def __init__(self, db: Database, *, poll_seconds: float = 2.0, policy: LeasePolicy = DEFAULT_POLICY) -> None:
        self.db = db
        self.poll_seconds = poll_seconds
        self.policy = policy
        self.worker_id = new_worker_id()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="segment-evaluation-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        queue.wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _loop(self) -> None:
        while not self._stop.is_set():
            queue.wake.wait(self.poll_seconds)
            queue.wake.clear()
            if self._stop.is_set():
                break
            try:
                run_pending(self.db, worker=self.worker_id, policy=self.policy)
            except Exception:  # noqa: BLE001 - the worker must survive a bad moment of the database
                log.exception("evaluation worker iteration failed")
