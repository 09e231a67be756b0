"""Fast Core inserts for generated rows: executemany in chunks, values adapted once per column.

A Core `insert()` against the mapped table runs every value through its column type in Python
(UTCDateTime's conversion, SQLite's datetime formatting, JSON serialisation, boolean coercion),
which doubles the cost of writing millions of rows. The demo generator already produces values in
storage form (naive UTC timestamps, plain dates, lists), so this writer inserts through a lightweight
`table()` whose columns carry no type, after adapting only the columns whose storage form differs per
database: on SQLite timestamps and dates become the exact text SQLAlchemy itself writes, booleans 0/1
and JSON its `json.dumps` text; on PostgreSQL JSON is wrapped for psycopg. The statement is still a
Core insert with bound parameters.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Table, column, insert, table
from sqlalchemy.engine import Connection

from backend.db import UTCDateTime

Adapter = Callable[[Any], Any]
CHUNK_ROWS = 5_000


def _sqlite_datetime(value: datetime | None) -> str | None:
    # SQLAlchemy's SQLite DATETIME storage format: microseconds always present.
    return None if value is None else value.isoformat(" ", "microseconds")


def _sqlite_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _sqlite_bool(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _sqlite_json(value: Any) -> str | None:
    # None stays SQL NULL (not JSON null), so "is empty" sees one kind of empty.
    return None if value is None else json.dumps(value)


def _pg_json() -> Adapter:
    from psycopg.types.json import Json

    def adapt(value: Any) -> Any:
        return None if value is None else Json(value)

    return adapt


def _check_naive(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is not None:
        raise ValueError("the bulk writer takes naive UTC datetimes")
    return value


class BulkWriter:
    """Writes rows (tuples in a given column order) into mapped tables through one connection."""

    def __init__(self, connection: Connection, chunk_rows: int = CHUNK_ROWS) -> None:
        self.connection = connection
        self.chunk_rows = chunk_rows
        self.sqlite = connection.dialect.name == "sqlite"
        self.counts: dict[str, int] = {}

    def _adapter(self, target: Table, name: str) -> Adapter | None:
        kind = target.c[name].type
        if isinstance(kind, UTCDateTime):
            return _sqlite_datetime if self.sqlite else _check_naive
        if isinstance(kind, JSON):
            return _sqlite_json if self.sqlite else _pg_json()
        if self.sqlite and isinstance(kind, Boolean):
            return _sqlite_bool
        if self.sqlite and isinstance(kind, Date):
            return _sqlite_date
        return None

    def adapt_constant(self, target: Table, name: str, value: Any) -> Any:
        adapter = self._adapter(target, name)
        return adapter(value) if adapter else value

    def insert(self, target: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]],
               constants: Mapping[str, Any] | None = None) -> int:
        """Inserts rows; constants (e.g. org_id) are given in Python form and added to every row."""
        constants = {k: self.adapt_constant(target, k, v) for k, v in (constants or {}).items()}
        names = list(columns)
        adapters = [(i, a) for i, name in enumerate(names) if (a := self._adapter(target, name)) is not None]
        light = table(target.name, *(column(n) for n in (*names, *constants)))
        statement = insert(light)
        written = 0
        chunk: list[dict[str, Any]] = []
        for row in rows:
            if adapters:
                values = list(row)
                for i, adapt in adapters:
                    values[i] = adapt(values[i])
            else:
                values = row
            record = dict(zip(names, values, strict=True))
            record.update(constants)
            chunk.append(record)
            if len(chunk) >= self.chunk_rows:
                self.connection.execute(statement, chunk)
                written += len(chunk)
                chunk = []
        if chunk:
            self.connection.execute(statement, chunk)
            written += len(chunk)
        self.counts[target.name] = self.counts.get(target.name, 0) + written
        return written
