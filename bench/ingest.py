"""Ingestion throughput: batches of 10,000 customers through POST /api/v1/ingest/customers.

    .venv/bin/python bench/ingest.py [--records 10000] [--batches 3] [--backend sqlite|postgresql|both]
    .venv/bin/python bench/ingest.py --database-url sqlite:////tmp/demo500k.sqlite3   # into a seeded demo org

In process (FastAPI TestClient): validation, the upsert, side tables (usernames, custom values) and the
per-customer metrics listener, committed. For each batch: a first insert of new ids, the same batch
again unchanged, and the batch with every record changed. Prints a table of seconds per batch and
records per second. With --database-url the batches go into the largest organisation of an already
seeded database (the demo's 500,000 customers), under ids of their own, so the metrics refresh and
every lookup run against a full organisation.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import text  # noqa: E402

from backend import metrics  # noqa: E402
from backend.app import create_app  # noqa: E402
from backend.auth import service as auth_service  # noqa: E402
from backend.config import Settings  # noqa: E402
from backend.db import Database  # noqa: E402
from backend.migrate import upgrade  # noqa: E402
from bench.databases import given_database, temporary_database  # noqa: E402

PASSWORD = "Bench-pass-1"


def records(start: int, count: int, version: int, prefix: str = "c") -> list[dict]:
    return [{"id": f"{prefix}{i:07d}", "full_name": f"Customer {i} v{version}", "email": f"c{i}@example.com",
             "phone": f"+62811{i:07d}", "source": "WhatsApp" if i % 3 else "Email", "usernames": [f"u{i}"],
             "address": {"province": "DKI Jakarta", "city": "Jakarta Selatan"},
             "loyalty": {"current_tier": "Gold", "available_balance": i % 500},
             "created_at": "2026-01-01T08:00:00+07:00", "custom": {"score": (i + version) % 100}}
            for i in range(start, start + count)]


def run(db: Database, label: str, count: int, batches: int, existing: bool = False) -> list[tuple[str, str, float]]:
    if existing:
        with db.engine.connect() as conn:
            org_id = conn.execute(text("SELECT org_id FROM customers GROUP BY org_id ORDER BY count(*) DESC "
                                       "LIMIT 1")).scalar_one()
    else:
        upgrade(db.engine)
        with db.session() as session:
            org_id = auth_service.create_org(session, name=f"Bench {uuid.uuid4().hex[:6]}", package="ultimate").id
    admin = f"bench_{uuid.uuid4().hex[:8]}"
    prefix = f"bench-{uuid.uuid4().hex[:6]}-"  # new ids on every run, also into a reused database
    with db.session() as session:
        auth_service.create_user(session, org_id=org_id, username=admin, password=PASSWORD, role="org_admin")
    app = create_app(Settings(database_url=db.url, run_scheduler=False), db)
    rows: list[tuple[str, str, float]] = []
    with TestClient(app) as client:
        token = client.post("/api/v1/auth/login", json={"username": admin, "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        # A second run into the same database finds the field already there (409), which is fine.
        client.post("/api/v1/custom-fields", headers=headers, json={"key": "score", "label": "Score", "type": "number"})
        for stage, version in (("insert", 0), ("same again", 0), ("every record changed", 1)):
            times = []
            for b in range(batches):
                body = {"records": records(b * count, count, version, prefix)}
                started = time.perf_counter()
                r = client.post("/api/v1/ingest/customers", headers=headers, json=body)
                times.append(time.perf_counter() - started)
                assert r.status_code == 200, r.text
            rows.append((label, stage, statistics.median(times)))
    return rows


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--records", type=int, default=10_000)
    p.add_argument("--batches", type=int, default=3)
    p.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    p.add_argument("--database-url", help="ingest into the largest organisation of this seeded database")
    args = p.parse_args()
    metrics.install()
    rows: list[tuple[str, str, float]] = []
    if args.database_url:
        with given_database(args.database_url) as db, db.engine.connect() as conn:
            customers = conn.execute(text("SELECT count(*) FROM customers")).scalar_one()
            conn.rollback()
            rows += run(db, f"{db.engine.dialect.name}, {customers:,} customers", args.records, args.batches,
                        existing=True)
    else:
        for backend in ("sqlite", "postgresql"):
            if args.backend in (backend, "both"):
                with temporary_database(backend) as db:
                    rows += run(db, backend, args.records, args.batches)
    print(f"load average {os.getloadavg()[0]:.1f}\n")
    print(f"| database | batch of {args.records:,} customers | median of {args.batches} (s) | records/s |")
    print("| --- | --- | ---: | ---: |")
    for label, stage, seconds in rows:
        print(f"| {label} | {stage} | {seconds:.2f} | {args.records / seconds:,.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
