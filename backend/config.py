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

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=os.environ.get("SEGSTUDIO_DATABASE_URL") or default_database_url(),
            session_token_hours=int(os.environ.get("SEGSTUDIO_SESSION_HOURS", "12")),
            run_scheduler=os.environ.get("SEGSTUDIO_SCHEDULER", "1") != "0",
        )
