"""The in-process worker that runs queued evaluations, and `run_pending` for tests and scripts."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime

from backend.db import Database, utcnow
from backend.evaluation import queue
from backend.evaluation.evaluator import Outcome, claim_next_job, new_worker_id, recover_abandoned, run_claim

log = logging.getLogger(__name__)


def run_pending(db: Database, *, worker: str | None = None, max_jobs: int | None = None,
                now: Callable[[], datetime] = utcnow, recover: bool = True) -> list[Outcome]:
    """Run queued evaluations one after another until none is left that this worker may take."""
    worker = worker or new_worker_id()
    if recover:
        with db.session() as session:
            recover_abandoned(session, now=now())
    outcomes: list[Outcome] = []
    while max_jobs is None or len(outcomes) < max_jobs:
        with db.session() as session:
            claim = claim_next_job(session, worker=worker, now=now())
        if claim is None:
            break
        outcomes.append(run_claim(db, claim, now=now()))
    return outcomes


class Worker:
    """A background thread that wakes when work is queued (or every poll_seconds, for other processes' jobs)."""

    def __init__(self, db: Database, *, poll_seconds: float = 2.0, recover_seconds: float = 60.0) -> None:
        self.db = db
        self.poll_seconds = poll_seconds
        self.recover_seconds = recover_seconds
        self._last_recovery = float("-inf")
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
            # Looking for dead workers' jobs is a write; once a minute is plenty next to a 15-minute lease.
            recover = time.monotonic() - self._last_recovery >= self.recover_seconds
            if recover:
                self._last_recovery = time.monotonic()
            try:
                run_pending(self.db, worker=self.worker_id, recover=recover)
            except Exception:  # noqa: BLE001 - the worker must survive a bad moment of the database
                log.exception("evaluation worker iteration failed")
