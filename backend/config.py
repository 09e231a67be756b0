"""Runtime settings, read from the environment once per process."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir

APP_NAME = "segstudio"


def default_data_dir() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_database_url() -> str:
    data_dir = default_data_dir()
    data_dir.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{data_dir / 'segstudio.sqlite3'}"


@dataclass(frozen=True)
class Settings:
    database_url: str
    session_token_hours: int = 12
    login_failure_window_seconds: int = 300
    login_failure_limit: int = 5
    login_address_failure_limit: int = 20
    run_scheduler: bool = True
    # Evaluation leases (docs/decisions.md, "Evaluation jobs and leases"): a dead worker's segment is
    # taken back at most lease + poll seconds after it died; a live one renews every heartbeat.
    evaluation_lease_seconds: float = 30.0
    evaluation_heartbeat_seconds: float = 10.0
    evaluation_poll_seconds: float = 2.0
    scheduler_tick_seconds: float = 60.0
    # Sync routes run in anyio's thread pool; each thread holds at most one pooled connection, so the
    # pool is sized to the threads (docs/decisions.md, "Request threads and the connection pool").
    request_threads: int = 40
    # A request that waits this long for a connection is answered 503 with Retry-After, not queued on.
    db_pool_timeout_seconds: float = 30.0

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ.get
        return cls(
            database_url=env("SEGSTUDIO_DATABASE_URL") or default_database_url(),
            session_token_hours=int(env("SEGSTUDIO_SESSION_HOURS", "12")),
            run_scheduler=env("SEGSTUDIO_SCHEDULER", "1") != "0",
            evaluation_lease_seconds=float(env("SEGSTUDIO_EVALUATION_LEASE_SECONDS", "30")),
            evaluation_heartbeat_seconds=float(env("SEGSTUDIO_EVALUATION_HEARTBEAT_SECONDS", "10")),
            evaluation_poll_seconds=float(env("SEGSTUDIO_EVALUATION_POLL_SECONDS", "2")),
            scheduler_tick_seconds=float(env("SEGSTUDIO_SCHEDULER_TICK_SECONDS", "60")),
            request_threads=int(env("SEGSTUDIO_REQUEST_THREADS", "40")),
            db_pool_timeout_seconds=float(env("SEGSTUDIO_DB_POOL_TIMEOUT_SECONDS", "30")),
        )
