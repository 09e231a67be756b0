"""The bar for `bench/preview.py`: each of its segments written by hand in SQL, on the same database.

    .venv/bin/python bench/limit.py --database-url sqlite:////tmp/demo.sqlite3 --runs 7

For every segment of `bench.preview.SEGMENTS` there are one or more hand-written forms per engine,
each the "FROM … WHERE …" tail of the statements answering what a preview answers (the matched count
and the first 20 customers by id with the preview's columns), run in two shapes: a count and a
sample statement, or one statement reading the matches from a CTE. Each form is timed in process (no HTTP), and
the fastest form's median is the bar: `bench/preview.py` prints the project's median divided by it.
Every form must match exactly as many customers as the project does; the bench stops if not.

The forms use what a person writing SQL for this schema would: the cheapest case-insensitive
comparison the engine offers that gives the same results on this data (`COLLATE NOCASE` and `LIKE`
on SQLite, `lower()`/`ILIKE` on PostgreSQL), one pass over the metrics table for two metric
conditions, GROUP BY / HAVING for "every ticket". Values are bound parameters, as everywhere.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend.db import Database  # noqa: E402
from backend.rules.predicates import EvalContext  # noqa: E402

SAMPLE_COLUMNS = ("c.ext_id, c.full_name, c.email, c.phone, c.source, c.status, c.province, c.city, c.owner, "
                  "c.assignee, c.created_at")

# segment -> engine -> hand-written forms ("FROM … WHERE …" over `customers c`). `{true}` is the
# engine's boolean literal.
FORMS: dict[str, dict[str, list[str]]] = {
    "text + dropdown": {
        "sqlite": [
            "FROM customers c WHERE c.org_id = :org AND c.email LIKE :gmail_like "
            "AND c.source = :whatsapp COLLATE NOCASE",
        ],
        "postgresql": [
            "FROM customers c WHERE c.org_id = :org AND c.email ILIKE :gmail_like "
            "AND lower(c.source) = lower(:whatsapp)",
        ],
    },
    "nested OR of ANDs": {
        "sqlite": [
            "FROM customers c WHERE c.org_id = :org AND ("
            "(c.province = :jakarta COLLATE NOCASE AND c.sex = :female COLLATE NOCASE) OR "
            "(c.province = :jabar COLLATE NOCASE AND c.status = :customer COLLATE NOCASE))",
        ],
        "postgresql": [
            "FROM customers c WHERE c.org_id = :org AND ("
            "(lower(c.province) = lower(:jakarta) AND lower(c.sex) = lower(:female)) OR "
            "(lower(c.province) = lower(:jabar) AND lower(c.status) = lower(:customer)))",
        ],
    },
    "deal ANY": {
        "*": [
            "FROM customers c WHERE c.org_id = :org AND c.pk IN ("
            "SELECT d.customer_pk FROM deals d WHERE d.org_id = :org AND lower(d.stage) = lower(:won))",
            "FROM customers c WHERE c.org_id = :org AND EXISTS ("
            "SELECT 1 FROM deals d WHERE d.customer_pk = c.pk AND lower(d.stage) = lower(:won))",
        ],
    },
    "ticket ALL": {
        "*": [
            "FROM customers c WHERE c.org_id = :org AND c.pk IN ("
            "SELECT t.customer_pk FROM tickets t WHERE t.org_id = :org GROUP BY t.customer_pk "
            "HAVING min(CASE WHEN lower(t.stage) = lower(:resolved) THEN 1 ELSE 0 END) = 1)",
            "FROM customers c WHERE c.org_id = :org AND c.pk IN ("
            "SELECT t.customer_pk FROM tickets t WHERE t.org_id = :org AND lower(t.stage) = lower(:resolved)) "
            "AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.customer_pk = c.pk "
            "AND (t.stage IS NULL OR lower(t.stage) <> lower(:resolved)))",
        ],
    },
    "two metrics": {
        "*": [
            "FROM customers c WHERE c.org_id = :org AND c.pk IN ("
            "SELECT m.customer_pk FROM customer_metrics m WHERE m.org_id = :org "
            "AND m.spend_sum > :spend AND m.conv_latest_at >= :conv_since)",
            "FROM customers c JOIN customer_metrics m ON m.customer_pk = c.pk WHERE c.org_id = :org "
            "AND m.spend_sum > :spend AND m.conv_latest_at >= :conv_since",
        ],
    },
    "relative date + consent": {
        "*": [
            "FROM customers c WHERE c.org_id = :org AND c.created_at >= :created_from "
            "AND c.created_at < :created_to AND c.marketing_opt_in = {true}",
        ],
    },
    "tags + custom field": {
        "sqlite": [
            "FROM customers c WHERE c.org_id = :org AND c.pk IN ("
            "SELECT v.customer_pk FROM conversation_tags g JOIN conversations v ON v.pk = g.conversation_pk "
            "WHERE g.org_id = :org AND lower(g.value) = lower(:promo)) AND c.pk IN ("
            "SELECT x.customer_pk FROM custom_values x WHERE x.field_id = :interests "
            "AND x.value_text COLLATE NOCASE IN (:kuliner, :travel))",
        ],
        "postgresql": [
            "FROM customers c WHERE c.org_id = :org AND c.pk IN ("
            "SELECT v.customer_pk FROM conversation_tags g JOIN conversations v ON v.pk = g.conversation_pk "
            "WHERE g.org_id = :org AND lower(g.value) = lower(:promo)) AND c.pk IN ("
            "SELECT x.customer_pk FROM custom_values x WHERE x.field_id = :interests "
            "AND lower(x.value_text) IN (lower(:kuliner), lower(:travel)))",
        ],
    },
}


@dataclass(frozen=True)
class Bar:
    segment: str
    matched: int
    median_ms: float
    form: int  # which form (0-based) was fastest, in either shape
    forms: int


def forms_for(segment: str, dialect: str) -> list[str]:
    by_engine = FORMS[segment]
    return by_engine.get(dialect) or by_engine["*"]


def _instant(dialect: str, at: datetime) -> Any:
    """A UTC instant as the column stores it (naive UTC; SQLite keeps SQLAlchemy's text form)."""
    naive = at.replace(tzinfo=None)
    return naive.strftime("%Y-%m-%d %H:%M:%S.%f") if dialect == "sqlite" else naive


def parameters(conn: Connection, org_id: int, timezone: str, today: date | None = None) -> dict[str, Any]:
    dialect = conn.dialect.name
    ctx = EvalContext.for_timezone(timezone, today)
    interests = conn.execute(text("SELECT id FROM custom_field_definitions WHERE org_id = :org AND key = :key"),
                             {"org": org_id, "key": "interests"}).scalar_one()
    return {
        "org": org_id, "gmail_like": "%gmail%", "whatsapp": "WhatsApp", "jakarta": "DKI Jakarta",
        "female": "female", "jabar": "Jawa Barat", "customer": "Customer", "won": "Won", "resolved": "Resolved",
        "spend": 1_000_000.0,
        # "days since last conversation < 30": the latest conversation on one of the last 30 local days.
        "conv_since": _instant(dialect, ctx.start_utc(ctx.today - timedelta(days=29))),
        "created_from": _instant(dialect, ctx.start_utc(ctx.today - timedelta(days=365))),
        "created_to": _instant(dialect, ctx.start_utc(ctx.today + timedelta(days=1))),
        "promo": "promo", "interests": interests, "kuliner": "Kuliner", "travel": "Travel",
    }


def run_form(conn: Connection, tail: str, params: dict[str, Any]) -> int:
    """Two statements: the count, then the first 20 by id."""
    tail = tail.replace("{true}", "true" if conn.dialect.name == "postgresql" else "1")
    matched = conn.execute(text("SELECT count(*) " + tail), params).scalar_one()
    conn.execute(text(f"SELECT {SAMPLE_COLUMNS} {tail} ORDER BY c.ext_id LIMIT 20"), params).all()
    return int(matched)


def run_form_once(conn: Connection, tail: str, params: dict[str, Any]) -> int:
    """One statement: the matches' (pk, id) built once, counted, and the first 20 joined back."""
    tail = tail.replace("{true}", "true" if conn.dialect.name == "postgresql" else "1")
    rows = conn.execute(text(
        f"WITH m AS (SELECT c.pk, c.ext_id {tail}) "
        f"SELECT {SAMPLE_COLUMNS}, (SELECT count(*) FROM m) AS matched FROM customers c "
        f"WHERE c.pk IN (SELECT pk FROM m ORDER BY ext_id LIMIT 20) ORDER BY c.ext_id"), params).all()
    return int(rows[0].matched) if rows else 0


SHAPES = (run_form, run_form_once)


def timed(call: Callable[[], int], runs: int) -> tuple[int, float]:
    times, result = [], -1
    for i in range(runs + 2):
        t0 = time.perf_counter()
        result = call()
        if i >= 2:  # two warm-up calls, as bench/preview.py
            times.append((time.perf_counter() - t0) * 1000)
    return result, statistics.median(times)


def measure(db: Database, org_id: int, timezone: str, runs: int, segments: list[str] | None = None) -> dict[str, Bar]:
    bars: dict[str, Bar] = {}
    with db.engine.connect() as conn:
        params = parameters(conn, org_id, timezone)
        for segment in segments or list(FORMS):
            best: tuple[float, int, int] | None = None
            forms = forms_for(segment, conn.dialect.name)
            counts = set()
            for i, tail in enumerate(forms):
                for shape in SHAPES:
                    matched, median = timed(lambda tail=tail, shape=shape: shape(conn, tail, params), runs)
                    counts.add(matched)
                    if best is None or median < best[0]:
                        best = (median, i, matched)
            if len(counts) != 1:
                raise SystemExit(f"{segment}: the hand-written forms disagree ({sorted(counts)})")
            assert best is not None
            bars[segment] = Bar(segment, best[2], best[0], best[1], len(forms))
            conn.rollback()
    return bars


def demo_org(db: Database) -> tuple[int, str]:
    with db.engine.connect() as conn:
        row = conn.execute(text("SELECT o.id, o.timezone FROM organisations o JOIN customers c ON c.org_id = o.id "
                                "GROUP BY o.id, o.timezone ORDER BY count(*) DESC LIMIT 1")).one()
    return int(row[0]), str(row[1])


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--database-url", required=True, help="an already seeded demo database")
    p.add_argument("--runs", type=int, default=7)
    args = p.parse_args()
    db = Database(args.database_url)
    org_id, timezone = demo_org(db)
    bars = measure(db, org_id, timezone, args.runs)
    print(f"\n**hand-written SQL, {db.engine.dialect.name}** ({args.runs} timed runs each)\n")
    print("| segment | matched | median ms | fastest form |")
    print("| --- | ---: | ---: | ---: |")
    for bar in bars.values():
        print(f"| {bar.segment} | {bar.matched:,} | {bar.median_ms:.1f} | {bar.form + 1} of {bar.forms} |")
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
