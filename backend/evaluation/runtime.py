"""Starts and stops the evaluation worker and the daily scheduler with the app (settings.run_scheduler)."""

from __future__ import annotations

from dataclasses import dataclass

from backend.config import Settings
from backend.db import Database
from backend.evaluation.lease import LeasePolicy
from backend.evaluation.scheduler import Scheduler
from backend.evaluation.worker import Worker


@dataclass
class EvaluationRuntime:
    worker: Worker
    scheduler: Scheduler

    def stop(self) -> None:
        self.scheduler.stop()
        self.worker.stop()


def start_evaluation(db: Database, settings: Settings | None = None) -> EvaluationRuntime:
    settings = settings or Settings(database_url=db.url)
    worker = Worker(db, poll_seconds=settings.evaluation_poll_seconds, policy=LeasePolicy.from_settings(settings))
    runtime = EvaluationRuntime(worker=worker, scheduler=Scheduler(db, tick_seconds=settings.scheduler_tick_seconds))
    runtime.worker.start()
    runtime.scheduler.start()
    return runtime
