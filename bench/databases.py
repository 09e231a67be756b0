"""Throwaway databases for the benchmark scripts: a temporary SQLite file or PostgreSQL schema."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from backend.db import Database

PG_BASE_URL = os.environ.get("SEGSTUDIO_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@contextmanager
def temporary_sqlite() -> Iterator[Database]:
    with tempfile.TemporaryDirectory(prefix="segstudio-bench-") as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        try:
            yield db
        finally:
            db.dispose()


@contextmanager
def temporary_postgres_schema() -> Iterator[Database]:
    """A fresh schema of the local PostgreSQL (SEGSTUDIO_BENCH_PG_URL), dropped afterwards."""
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = Database(PG_BASE_URL)
    with admin.engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    db = Database(f"{PG_BASE_URL}?options=-csearch_path%3D{schema}")
    try:
        yield db
    finally:
        db.dispose()
        with admin.engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def temporary_database(backend: str) -> Iterator[Database]:
    """backend is "sqlite" or "postgresql"."""
    with (temporary_sqlite() if backend == "sqlite" else temporary_postgres_schema()) as db:
        yield db


@contextmanager
def given_database(url: str) -> Iterator[Database]:
    db = Database(url)
    try:
        yield db
    finally:
        db.dispose()
