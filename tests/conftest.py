"""Shared fixtures. Backend tests run on SQLite and on PostgreSQL (127.0.0.1:5432, database test).

Each test session gets its own PostgreSQL schema, migrated once; tables are emptied after each test.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import text

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from argon2 import PasswordHasher  # noqa: E402

from backend.auth import passwords  # noqa: E402
from backend.config import Settings  # noqa: E402
from backend.db import Database  # noqa: E402
from backend.migrate import upgrade  # noqa: E402
from backend.models import metadata  # noqa: E402

# Production argon2 parameters cost ~50 ms a hash; tests create hundreds of users.
passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

PG_BASE_URL = os.environ.get("SEGSTUDIO_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(autouse=True)
def restore_logging():
    """cli.main configures the root logger for its process; in tests that must not leak into later tests."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _pg_url(schema: str) -> str:
    return f"{PG_BASE_URL}?options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session", params=BACKENDS)
def database(request, tmp_path_factory) -> Iterator[Database]:
    """A migrated database of each kind, shared by the tests of one session."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("db") / "test.sqlite3"
        db = Database(f"sqlite:///{path}")
        upgrade(db.engine)
        yield db
        db.dispose()
        return
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = Database(PG_BASE_URL)
    with admin.engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    db = Database(_pg_url(schema))
    try:
        upgrade(db.engine)
        yield db
    finally:
        db.dispose()
        with admin.engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def empty_tables(db: Database) -> None:
    tables = [t.name for t in reversed(metadata.sorted_tables)]
    with db.engine.begin() as conn:
        if db.is_sqlite:
            for name in tables:
                conn.execute(text(f'DELETE FROM "{name}"'))
        else:
            conn.execute(text("TRUNCATE " + ", ".join(f'"{n}"' for n in tables) + " RESTART IDENTITY CASCADE"))


@pytest.fixture
def db(database: Database) -> Iterator[Database]:
    yield database
    empty_tables(database)


@pytest.fixture
def settings(db: Database) -> Settings:
    return Settings(database_url=db.url, run_scheduler=False)


@pytest.fixture
def app(settings: Settings, db: Database):
    from backend.app import create_app

    return create_app(settings, db)


@pytest.fixture
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        yield c


PASSWORD = "Secret-pass-1"


@dataclass
class OrgHandle:
    """An organisation with one user per default role, and a signed-in HTTP client helper."""

    id: int
    tokens: dict[str, str]

    def headers(self, role: str = "org_admin") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


@pytest.fixture
def make_org(db: Database, client):
    """make_org(package="ultimate") -> OrgHandle with users <prefix>_admin, _lead, _agent signed in."""
    from backend.auth import service

    counter = {"n": 0}

    def _make(package: str = "ultimate", timezone: str = "Asia/Jakarta", prefix: str | None = None) -> OrgHandle:
        counter["n"] += 1
        prefix = prefix or f"o{counter['n']}"
        with db.session() as session:
            org = service.create_org(session, name=f"Org {prefix}", package=package, timezone=timezone)
            for role in ("org_admin", "team_lead", "agent"):
                service.create_user(session, org_id=org.id, username=f"{prefix}_{role}", password=PASSWORD,
                                    role=role, display_name=f"{prefix} {role}")
            org_id = org.id
        tokens = {}
        for role in ("org_admin", "team_lead", "agent"):
            r = client.post("/api/v1/auth/login", json={"username": f"{prefix}_{role}", "password": PASSWORD})
            assert r.status_code == 200, r.text
            tokens[role] = r.json()["access_token"]
        return OrgHandle(org_id, tokens)

    return _make


# PySide6 (with pyqtgraph's objects alive) can abort in `bool_dealloc` while the interpreter finalises Qt
# objects in arbitrary order, turning a green run into exit code 134 after every test has passed. The app
# itself leaves with os._exit for the same reason (segstudio/main.py); the test process does too, with the
# session's own status, once pytest has printed its summary.
_exit_status: dict[str, int] = {}


def pytest_sessionfinish(session, exitstatus):
    _exit_status["status"] = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    import sys

    if "PySide6" in sys.modules and "status" in _exit_status:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_exit_status["status"])
