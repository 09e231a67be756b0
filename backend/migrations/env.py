from __future__ import annotations

from alembic import context
from alembic.operations import ops
from alembic.util import sqla_compat
from sqlalchemy import create_engine

from backend.models import metadata

config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as conn:
            _migrate(conn)
        engine.dispose()
    else:
        _migrate(connection)


def _created_indexes(op_list) -> set[str]:
    names: set[str] = set()
    for op in op_list:
        if isinstance(op, ops.CreateIndexOp):
            names.add(op.index_name)
        elif hasattr(op, "ops"):
            names |= _created_indexes(op.ops)
    return names


def _add_expression_indexes(context, revision, directives) -> None:
    """SQLite cannot reflect indexes on expressions (`lower(col)`), so alembic's autogenerate leaves
    them out there; the pre-release migration is generated against SQLite, so add the missing ones."""
    if context.connection.dialect.name != "sqlite":
        return
    script = directives[0]
    created = _created_indexes(script.upgrade_ops.ops)
    for table in metadata.sorted_tables:
        for index in sorted(table.indexes, key=lambda i: i.name or ""):
            if sqla_compat.is_expression_index(index) and index.name not in created:
                script.upgrade_ops.ops.append(ops.CreateIndexOp.from_index(index))
                script.downgrade_ops.ops.insert(0, ops.DropIndexOp.from_index(index))


def _migrate(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite", compare_type=True,
                      process_revision_directives=_add_expression_indexes)
    with context.begin_transaction():
        context.run_migrations()


run()
