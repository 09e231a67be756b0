"""Ingestion throughput: batches of 10,000 customers through POST /api/v1/ingest/customers.

    .venv/bin/python bench/ingest.py [--records 10000] [--batches 3] [--backend sqlite|postgresql|both]

In process (FastAPI TestClient): validation, the upsert, side tables (usernames, custom values) and the
per-customer metrics listener, committed. For each batch: a first insert of new ids, the same batch
again unchanged, and the batch with every record changed. Prints a table of seconds per batch.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient  # noqa: E402

from backend import metrics  # noqa: E402
from backend.app import create_app  # noqa: E402
from backend.auth import service as auth_service  # noqa: E402
from backend.config import Settings  # noqa: E402
from backend.db import Database  # noqa: E402
from backend.migrate import upgrade  # noqa: E402
from bench.databases import temporary_database  # noqa: E402

PASSWORD = "Bench-pass-1"


def records(start: int, count: int, version: int) -> list[dict]:
    return [{"id": f"c{i:07d}", "full_name": f"Customer {i} v{version}", "email": f"c{i}@example.com",
             "phone": f"+62811{i:07d}", "source": "WhatsApp" if i % 3 else "Email", "usernames": [f"u{i}"],
             "address": {"province": "DKI Jakarta", "city": "Jakarta Selatan"},
             "loyalty": {"current_tier": "Gold", "available_balance": i % 500},
             "created_at": "2026-01-01T08:00:00+07:00", "custom": {"score": (i + version) % 100}}
            for i in range(start, start + count)]


def run(db: Database, label: str, count: int, batches: int) -> list[tuple[str, str, float]]:
    upgrade(db.engine)
    with db.session() as session:
        org = auth_service.create_org(session, name=f"Bench {uuid.uuid4().hex[:6]}", package="ultimate")
        admin = f"bench_{uuid.uuid4().hex[:8]}"
        auth_service.create_user(session, org_id=org.id, username=admin, password=PASSWORD, role="org_admin")
    app = create_app(Settings(database_url=db.url, run_scheduler=False), db)
    rows: list[tuple[str, str, float]] = []
    with TestClient(app) as client:
        token = client.post("/api/v1/auth/login", json={"username": admin, "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        client.post("/api/v1/custom-fields", headers=headers, json={"key": "score", "label": "Score", "type": "number"})
        for stage, version in (("insert", 0), ("same again", 0), ("every record changed", 1)):
            times = []
            for b in range(batches):
                body = {"records": records(b * count, count, version)}
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
    args = p.parse_args()
    metrics.install()
    rows: list[tuple[str, str, float]] = []
    for backend in ("sqlite", "postgresql"):
        if args.backend in (backend, "both"):
            with temporary_database(backend) as db:
                rows += run(db, backend, args.records, args.batches)
    print(f"| database | batch of {args.records:,} customers | median of {args.batches} (s) |")
    print("| --- | --- | ---: |")
    for label, stage, seconds in rows:
        print(f"| {label} | {stage} | {seconds:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
