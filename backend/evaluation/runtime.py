"""Starts and stops the evaluation worker and the daily scheduler with the app (settings.run_scheduler)."""

from __future__ import annotations

from dataclasses import dataclass

from backend.db import Database
from backend.evaluation.scheduler import Scheduler
from backend.evaluation.worker import Worker


@dataclass
class EvaluationRuntime:
    worker: Worker
    scheduler: Scheduler

    def stop(self) -> None:
        self.scheduler.stop()
        self.worker.stop()


def start_evaluation(db: Database) -> EvaluationRuntime:
    runtime = EvaluationRuntime(worker=Worker(db), scheduler=Scheduler(db))
    runtime.worker.start()
    runtime.scheduler.start()
    return runtime
