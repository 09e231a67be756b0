"""Keeps customer_metrics current: rows of exactly the changed customers are recomputed in bulk."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, insert, text
from sqlalchemy.orm import Session

from backend.metrics.aggregates import aggregates_select
from backend.metrics.models import CustomerMetrics

# Each chunk repeats its ids in every aggregate subquery; 500 keeps a statement far below the
# bind-parameter limits of SQLite (32766) and PostgreSQL (65535).
CHUNK = 500
# Bulk loads (the demo seed, a CSV import) leave PostgreSQL without statistics inside the loading
# transaction, and the planner then nests loops over the aggregates: minutes instead of a fraction
# of a second for 5,000 customers. ANALYZE sees the transaction's own rows, so refresh runs it first.
ANALYZE_FROM = 5_000
ANALYZED_TABLES = ("customers, conversations, campaign_deliveries, deals, tickets, orders, conversation_tags, "
                   "custom_values, customer_usernames")
# SQLite has no statistics at all until ANALYZE, and then plans rule conditions over side tables
# from the customers' org index instead of the side table's value index (2.3 s instead of 0.9 s for
# a conversation-tag segment at 500,000 customers). A sampled ANALYZE (about 1,000 rows an index)
# takes milliseconds even there and is enough for those choices, so bulk loads end with one.
SQLITE_ANALYSIS_LIMIT = 1_000


def _chunks(pks: Iterable[int], size: int) -> Iterable[list[int]]:
    ordered = sorted(pks)
    for i in range(0, len(ordered), size):
        yield ordered[i:i + size]


# Statistics are gathered only when the rows they describe would be far off: a batch of 10,000
# into an organisation of 500,000 already analysed does not change a plan, and analysing nine tables
# of that size on every batch made a batch's cost grow with the database instead of with the batch.
STALE_FACTOR = 4


def _known_customers(session: Session, dialect: str) -> float | None:
    """How many customer rows the current statistics describe (None: no statistics yet)."""
    if dialect == "postgresql":
        rows = session.scalar(text("SELECT reltuples FROM pg_class WHERE oid = to_regclass('customers')"))
        return float(rows) if rows is not None and rows >= 0 else None
    if dialect == "sqlite":
        has_stats = session.scalar(text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'"))
        if not has_stats:
            return None
        stat = session.scalar(text("SELECT stat FROM sqlite_stat1 WHERE tbl = 'customers' LIMIT 1"))
        return float(stat.split()[0]) if stat else None
    return None


def _needs_statistics(session: Session, dialect: str, customer_pks: set[int] | None) -> bool:
    if customer_pks is not None and len(customer_pks) < ANALYZE_FROM:
        return False
    known = _known_customers(session, dialect)
    changed = len(customer_pks) if customer_pks is not None else None
    if known is None or changed is None:
        return True
    return changed * STALE_FACTOR > known


def refresh(session: Session, org_id: int, customer_pks: set[int] | None) -> None:
    """Recompute the metrics rows of the given customers (every customer of the org for None)."""
    dialect = session.get_bind().dialect.name
    table = CustomerMetrics.__table__
    bulk = _needs_statistics(session, dialect, customer_pks)
    if dialect == "postgresql" and bulk:
        session.execute(text(f"ANALYZE {ANALYZED_TABLES}"))
    if customer_pks is None:
        session.execute(delete(table).where(table.c.org_id == org_id))
        stmt, names = aggregates_select(dialect, org_id, None)
        session.execute(insert(table).from_select(names, stmt))
    else:
        for chunk in _chunks(customer_pks, CHUNK):
            session.execute(delete(table).where(table.c.customer_pk.in_(chunk)))
            stmt, names = aggregates_select(dialect, org_id, chunk)
            session.execute(insert(table).from_select(names, stmt))
    if dialect == "sqlite" and bulk:
        session.execute(text(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}"))
        session.execute(text("ANALYZE"))


def on_customers_changed(session: Session, org_id: int, customer_pks: set[int] | None) -> None:
    if customer_pks is not None and not customer_pks:
        return
    refresh(session, org_id, customer_pks)
