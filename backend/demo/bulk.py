"""Fast Core inserts for generated rows: executemany in chunks, values adapted once per column.

A Core `insert()` against the mapped table runs every value through its column type in Python
(UTCDateTime's conversion, SQLite's datetime formatting, JSON serialisation, boolean coercion),
and then turns every row dict back into the driver's parameter tuple, which together more than
double the cost of writing millions of rows. The demo generator already produces values in storage
form (naive UTC timestamps, plain dates, lists), so this writer compiles a Core insert into a
lightweight `table()` whose columns carry no type once per table, adapts only the columns whose
storage form differs per database (on SQLite timestamps and dates become the exact text SQLAlchemy
itself writes, booleans 0/1 and JSON its `json.dumps` text; on PostgreSQL JSON is wrapped for
psycopg), and hands the rows to the driver's executemany in the compiled statement's own parameter
style. Values stay bound parameters throughout.
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


_json_cache: dict[tuple[str, ...], str] = {}


def _sqlite_json(value: Any) -> str | None:
    # None stays SQL NULL (not JSON null), so "is empty" sees one kind of empty.
    if value is None:
        return None
    if isinstance(value, list) and len(value) <= 3:
        # Tag lists repeat endlessly; encoding each once saves a json.dumps per conversation.
        key = tuple(value)
        text = _json_cache.get(key)
        if text is None:
            text = json.dumps(value)
            if len(_json_cache) < 50_000:
                _json_cache[key] = text
        return text
    return json.dumps(value)


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
        names = [*columns, *constants]
        width = len(columns)
        adapters = [(i, a) for i, name in enumerate(columns) if (a := self._adapter(target, name)) is not None]
        compiled = insert(table(target.name, *(column(n) for n in names))).compile(dialect=self.connection.dialect)
        sql = str(compiled)
        positional = compiled.positiontup is not None
        if positional and list(compiled.positiontup) != names:
            raise AssertionError(f"unexpected parameter order for {target.name}")
        tail = tuple(constants.values())
        written = 0
        chunk: list[Any] = []
        for row in rows:
            if len(row) != width:
                raise ValueError(f"{target.name}: expected {width} values, got {len(row)}")
            if adapters:
                row = list(row)
                for i, adapt in adapters:
                    row[i] = adapt(row[i])
            values = (*row, *tail)
            chunk.append(values if positional else dict(zip(names, values, strict=True)))
            if len(chunk) >= self.chunk_rows:
                self.connection.exec_driver_sql(sql, chunk)
                written += len(chunk)
                chunk = []
        if chunk:
            self.connection.exec_driver_sql(sql, chunk)
            written += len(chunk)
        self.counts[target.name] = self.counts.get(target.name, 0) + written
        return written
