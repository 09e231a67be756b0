"""Time `seed_demo` on SQLite (and PostgreSQL with --postgres); prints Markdown tables.

    .venv/bin/python bench/seed.py                       # 50,000 customers into a temporary SQLite file
    .venv/bin/python bench/seed.py --postgres            # ... and into a temporary PostgreSQL schema
    .venv/bin/python bench/seed.py --customers 5000 --customers 50000 --metrics

The database is migrated before the clock starts. "seconds" is the whole seed_demo call (one
transaction, commit included); "metrics s" is the part spent in customers_changed listeners, which
only run when --metrics subscribes the per-customer metrics (as the server does).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend.db import Database  # noqa: E402
from backend.demo.service import STAGE_DONE, STAGE_METRICS, seed_demo  # noqa: E402
from backend.migrate import upgrade  # noqa: E402
from bench.databases import given_database, temporary_postgres_schema, temporary_sqlite  # noqa: E402

TABLES = ("companies", "customers", "customer_usernames", "custom_values", "conversations", "conversation_tags",
          "campaign_deliveries", "deals", "tickets", "orders")


@dataclass
class Run:
    backend: str
    customers: int
    seconds: float
    metrics_seconds: float
    rows: dict[str, int] = field(default_factory=dict)


def run(db: Database, customers: int, seed: int, today: date) -> Run:
    upgrade(db.engine)
    marks: dict[str, float] = {}

    def progress(done: int, total: int, stage: str) -> None:
        if stage in (STAGE_METRICS, STAGE_DONE):
            marks[stage] = time.perf_counter()

    start = time.perf_counter()
    with db.session() as session:
        org_id = seed_demo(session, customers, seed, progress, today=today, force=True)
    seconds = time.perf_counter() - start
    result = Run(db.engine.dialect.name, customers, seconds, marks[STAGE_DONE] - marks[STAGE_METRICS])
    from backend.models import metadata

    with db.engine.connect() as conn:
        for name in TABLES:
            tbl = metadata.tables[name]
            result.rows[name] = conn.scalar(select(func.count()).select_from(tbl).where(tbl.c.org_id == org_id))
    return result


def print_tables(runs: list[Run]) -> None:
    print("| backend | customers | seconds | metrics s | rows | rows/s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in runs:
        total = sum(r.rows.values())
        print(f"| {r.backend} | {r.customers:,} | {r.seconds:.1f} | {r.metrics_seconds:.1f} | {total:,} | "
              f"{total / r.seconds:,.0f} |")
    print()
    print("| backend | customers | " + " | ".join(TABLES) + " |")
    print("| --- | ---: | " + " | ".join("---:" for _ in TABLES) + " |")
    for r in runs:
        print(f"| {r.backend} | {r.customers:,} | " + " | ".join(f"{r.rows[t]:,}" for t in TABLES) + " |")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--customers", type=int, action="append", help="size to seed (repeatable; default 50,000)")
    p.add_argument("--database-url", help="seed this database instead of a temporary SQLite file "
                                          "(the demo organisation is rebuilt there)")
    p.add_argument("--postgres", action="store_true", help="also seed a temporary schema of the local PostgreSQL")
    p.add_argument("--metrics", action="store_true",
                   help="subscribe the per-customer metrics to ingestion events, as the server does")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--today", type=date.fromisoformat, default=date(2025, 6, 1),
                   help="reference date (fixed so runs are comparable)")
    args = p.parse_args(argv)
    sizes = args.customers or [50_000]
    if args.metrics:
        from backend import metrics

        metrics.install()

    targets = [given_database(args.database_url) if args.database_url else temporary_sqlite()]
    if args.postgres:
        targets.append(temporary_postgres_schema())
    runs = []
    for target in targets:
        with target as db:
            for size in sizes:
                r = run(db, size, args.seed, args.today)
                print(f"{r.backend}: {size:,} customers in {r.seconds:.1f} s", file=sys.stderr)
                runs.append(r)
    print_tables(runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
