"""Time POST /segments/preview over HTTP against the demo organisation; prints Markdown tables.

    .venv/bin/python bench/preview.py                         # 50,000 customers, SQLite and PostgreSQL
    .venv/bin/python bench/preview.py --customers 500000 --runs 7
    .venv/bin/python bench/preview.py --backend sqlite --customers 5000
    .venv/bin/python bench/preview.py --database-url sqlite:////tmp/demo.sqlite3   # an already seeded demo

Each run seeds the demo organisation (seed_demo, metrics refreshed as on ingestion) into a
temporary SQLite file or PostgreSQL schema, serves the real app with uvicorn on a loopback port,
signs in as the demo admin and posts each representative segment `--runs` times after two warm-up
calls. Times are wall-clock per request as the client sees them (HTTP, auth, JSON included).
In the same run, on the same database, `bench/limit.py` times hand-written SQL for each segment;
"ratio" is the project's median over the fastest hand-written form's (the issue-19 goal: ≤ 3);
"in-process ratio" the same for `rules.service.preview` called directly (no HTTP, auth or JSON).
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend import metrics  # noqa: E402
from backend.app import create_app  # noqa: E402
from backend.config import Settings  # noqa: E402
from backend.db import Database  # noqa: E402
from backend.demo.service import seed_demo  # noqa: E402
from backend.migrate import upgrade  # noqa: E402
from backend.models import metadata  # noqa: E402
from bench.databases import temporary_database  # noqa: E402
from bench.limit import Bar, demo_org, measure  # noqa: E402

Row = tuple[str, int, float, float, Bar | None, float | None]


def _c(field: str, operator: str, value: Any = None, **extra: Any) -> dict[str, Any]:
    return {"field": field, "operator": operator, "value": value, **extra}


SEGMENTS: dict[str, dict[str, Any]] = {
    "text + dropdown": {"combinator": "and", "rules": [
        _c("email", "contains", "gmail"), _c("source", "is", "WhatsApp")]},
    "nested OR of ANDs": {"combinator": "or", "rules": [
        {"combinator": "and", "rules": [_c("province", "is", "DKI Jakarta"), _c("sex", "is", "female")]},
        {"combinator": "and", "rules": [_c("province", "is", "Jawa Barat"), _c("status", "is", "Customer")]}]},
    "deal ANY": {"combinator": "and", "rules": [_c("deal.stage", "is", "Won", match="any")]},
    "ticket ALL": {"combinator": "and", "rules": [_c("ticket.stage", "is", "Resolved", match="all")]},
    "two metrics": {"combinator": "and", "rules": [
        _c("metric.total_spend", "gt", 1_000_000), _c("metric.days_since_last_conversation", "lt", 30)]},
    "relative date + consent": {"combinator": "and", "rules": [
        _c("created_at", "in_last_days", 365), _c("marketing_opt_in", "is", True)]},
    "tags + custom field": {"combinator": "and", "rules": [
        _c("conversation.tags", "is", "promo"), _c("custom.interests", "contains_any", ["Kuliner", "Travel"])]},
    # Rule language v2 (issue 16)
    "NOT group": {"combinator": "and", "rules": [_c("source", "is", "WhatsApp"), {"combinator": "or", "not": True,
        "rules": [_c("province", "is", "DKI Jakarta"), _c("metric.total_spend", "gte", 1_000_000)]}]},
    "deal NONE": {"combinator": "and", "rules": [_c("deal.stage", "is", "Won", match="none")]},
    "any of + birthday": {"combinator": "and", "rules": [
        _c("province", "is_any_of", ["DKI Jakarta", "Jawa Barat", "Bali"]),
        _c("date_of_birth", "anniversary_in_next_days", 7)]},
}


@contextmanager
def serving(db: Database) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(Settings(database_url=db.url, run_scheduler=False), db)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/api/v1"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def bench(backend: str, customers: int, runs: int, today: date, only: list[str] | None) -> list[Row]:
    with temporary_database(backend) as db:
        upgrade(db.engine)
        metrics.install()
        start = time.perf_counter()
        with db.session() as session:
            seed_demo(session, customers, 42, today=today, force=True)
        print(f"<!-- {backend}: seeded {customers:,} customers in {time.perf_counter() - start:.1f} s -->",
              flush=True)
        return time_previews(db, runs, only)


def time_previews(db: Database, runs: int, only: list[str] | None = None) -> list[Row]:
    rows: list[Row] = []
    segments = {name: rules for name, rules in SEGMENTS.items() if not only or name in only}
    with db.engine.connect() as conn:
        # Fresh statistics, as autovacuum would give a live database. On PostgreSQL only this schema's
        # tables: a bare ANALYZE walks every schema of the database, other sessions' included.
        conn.execute(text("ANALYZE" if conn.dialect.name == "sqlite" else
                          "ANALYZE " + ", ".join(metadata.tables)))
        conn.commit()
    with serving(db) as base, httpx.Client(base_url=base, timeout=120) as client:
        token = client.post("/auth/login", json={"username": "admin", "password": "Admin-pass-1"}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        for name, rules in segments.items():
            times = []
            matched = -1
            for i in range(runs + 2):
                t0 = time.perf_counter()
                r = client.post("/segments/preview", json={"rules": rules}, headers=headers)
                elapsed = (time.perf_counter() - t0) * 1000
                if r.status_code != 200:
                    raise SystemExit(f"{name}: {r.status_code} {r.text}")
                matched = r.json()["matched"]
                if i >= 2:
                    times.append(elapsed)
            rows.append((name, matched, statistics.median(times), p95(times), None, None))
    in_process = time_in_process(db, runs, segments)
    org_id, timezone = demo_org(db)
    bars = measure(db, org_id, timezone, runs, list(segments))
    out = []
    for name, matched, median, high, _, _ in rows:
        bar = bars[name]
        if bar.matched != matched:
            raise SystemExit(f"{name}: the project matched {matched:,}, the hand-written SQL {bar.matched:,}")
        out.append((name, matched, median, high, bar, in_process[name]))
    return out


def time_in_process(db: Database, runs: int, segments: dict[str, Any]) -> dict[str, float]:
    """The same previews through `rules.service.preview` in this process: no HTTP, auth or JSON, so
    on a loaded machine the SQL's own ratio to the hand-written SQL is not drowned by the rest."""
    from backend.auth.models import Organisation
    from backend.rules import service

    org_id, _ = demo_org(db)
    out = {}
    with db.session() as session:
        org = session.get(Organisation, org_id)
        for name, rules in segments.items():
            times = []
            for i in range(runs + 2):
                t0 = time.perf_counter()
                service.preview(session, org, rules)
                if i >= 2:
                    times.append((time.perf_counter() - t0) * 1000)
            out[name] = statistics.median(times)
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--customers", type=int, action="append")
    p.add_argument("--backend", choices=("sqlite", "postgresql"), action="append")
    p.add_argument("--runs", type=int, default=15)
    p.add_argument("--today", type=date.fromisoformat, default=date(2026, 6, 1))
    p.add_argument("--database-url", help="time an already seeded demo database instead of seeding one")
    p.add_argument("--segment", action="append", choices=list(SEGMENTS), help="only these segments")
    args = p.parse_args()
    if args.database_url:
        db = Database(args.database_url)
        metrics.install()
        with db.engine.connect() as conn:
            customers = conn.execute(text("SELECT count(*) FROM customers")).scalar_one()
        report(db.engine.dialect.name, customers, args.runs, time_previews(db, args.runs, args.segment))
        db.dispose()
        return 0
    for customers in args.customers or [50_000]:
        for backend in args.backend or ["sqlite", "postgresql"]:
            report(backend, customers, args.runs, bench(backend, customers, args.runs, args.today, args.segment))
    return 0


def report(backend: str, customers: int, runs: int, rows: list[Row]) -> None:
    print(f"\n**{backend}, {customers:,} customers** ({runs} timed runs each; load average "
          f"{os.getloadavg()[0]:.1f})\n")
    print("| segment | matched | median ms | p95 ms | in process ms | hand-written ms | ratio | in-process ratio |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, matched, median, high, bar, direct in rows:
        assert bar is not None and direct is not None
        print(f"| {name} | {matched:,} | {median:.0f} | {high:.0f} | {direct:.0f} | {bar.median_ms:.0f} | "
              f"{median / bar.median_ms:.1f} | {direct / bar.median_ms:.1f} |")
    # The server runs in this process, so its peak resident memory (KiB on Linux) is the backend's.
    print(f"\npeak RSS of the process so far {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
