"""Grow a seeded demo organisation N-fold by copying its customers and their records in SQL.

    .venv/bin/python bench/replicate.py --database-url sqlite:////tmp/demo.sqlite3 --times 10

Seeding 500,000 customers through `seed_demo` takes 13-21 minutes on an idle machine and over an
hour on the shared one; copying a seeded 50,000 ten times takes minutes. Copy k of every row gets
its primary key and the keys pointing at copied tables shifted by k × the table's largest key, and
`~k` appended to its external id, so copies are distinct customers with the same records, values
and dates as the originals (the per-customer metrics rows are copied the same way, and stay exact).
The benchmarks' matched counts are then exactly N times the original's. Statistics are refreshed at
the end. On PostgreSQL the copy runs with triggers (foreign-key checks) off, as a restore does.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Integer, func, insert, literal, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend.db import Database  # noqa: E402
from backend.models import metadata  # noqa: E402

TABLES = ("companies", "customers", "customer_usernames", "custom_values", "conversations", "conversation_tags",
          "campaign_deliveries", "deals", "tickets", "orders", "customer_metrics")


def replicate(db: Database, org_id: int, times: int) -> None:
    tables = [metadata.tables[name] for name in TABLES]
    with db.engine.begin() as conn:
        postgres = conn.dialect.name == "postgresql"
        if postgres:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        offsets: dict[str, int] = {}
        for t in tables:
            key = next(iter(t.primary_key.columns))
            offsets[t.name] = int(conn.execute(select(func.max(key))).scalar_one() or 0)
        for k in range(1, times):
            for t in tables:
                started = time.perf_counter()
                exprs: list[Any] = []
                for c in t.columns:
                    refs = {fk.column.table.name for fk in c.foreign_keys} & set(offsets)
                    if c.primary_key and not c.foreign_keys:
                        exprs.append(c + literal(k * offsets[t.name], Integer))
                    elif refs:
                        exprs.append(c + literal(k * offsets[refs.pop()], Integer))
                    elif c.name == "ext_id":
                        exprs.append(c + literal(f"~{k}"))
                    else:
                        exprs.append(c)
                key = next(iter(t.primary_key.columns))
                originals = select(*exprs).where(t.c.org_id == org_id, key <= offsets[t.name])
                conn.execute(insert(t).from_select([c.name for c in t.columns], originals))
                print(f"copy {k}: {t.name} in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
        if postgres:
            for t in tables:
                key = next(iter(t.primary_key.columns))
                if key.foreign_keys:
                    continue
                conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{t.name}', '{key.name}'), "
                                  f"(SELECT max({key.name}) FROM {t.name}))"))
    with db.engine.connect() as conn:
        conn.execute(text("ANALYZE" if conn.dialect.name == "sqlite" else "ANALYZE " + ", ".join(TABLES)))
        conn.commit()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--database-url", required=True)
    p.add_argument("--times", type=int, default=10, help="how many times as many customers afterwards")
    args = p.parse_args()
    db = Database(args.database_url)
    with db.engine.connect() as conn:
        org_id = conn.execute(text("SELECT org_id FROM customers GROUP BY org_id ORDER BY count(*) DESC "
                                   "LIMIT 1")).scalar_one()
    started = time.perf_counter()
    replicate(db, org_id, args.times)
    print(f"replicated organisation {org_id} {args.times}-fold in {time.perf_counter() - started:.0f} s")
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
