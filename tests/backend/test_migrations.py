"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

import re

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.util import sqla_compat
from sqlalchemy import text

from backend.models import metadata


def test_migrated_schema_matches_the_models(db):
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": False})
        diff = compare_metadata(ctx, metadata)
    assert diff == [], "run scripts/regen_initial_migration.py (pre-release) or add a migration"


def _compact(sql: str) -> str:
    """Index SQL without quotes, spaces, parentheses and PostgreSQL's casts, for a containment check."""
    return re.sub(r"::\w+", "", sql.lower()).translate(str.maketrans("", "", '"() '))


def _index_definition(conn, name: str) -> str | None:
    if conn.dialect.name == "sqlite":
        return conn.execute(text("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = :n"),
                            {"n": name}).scalar()
    return conn.execute(text("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                             "AND indexname = :n"), {"n": name}).scalar()


def test_migrated_schema_has_every_expression_index_of_the_models(db):
    # SQLite's reflection skips indexes on expressions, so the comparison above cannot see them there.
    expected = [index for table in metadata.sorted_tables for index in table.indexes
                if sqla_compat.is_expression_index(index)]
    assert expected, "the models declare lower() indexes for case-insensitive rule matching"
    with db.engine.connect() as conn:
        for index in expected:
            definition = _index_definition(conn, index.name)
            assert definition is not None, f"{index.name} is missing; regenerate the migration"
            compact = _compact(definition)
            for expr in index.expressions:
                wanted = _compact(str(expr.compile(conn)).replace(f"{index.table.name}.", ""))
                assert wanted in compact, f"{index.name}: {wanted} not in {definition}"
