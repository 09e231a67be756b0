"""Full evaluation, membership swap included, of six representative segments on a demo organisation.

    .venv/bin/python bench/evaluate.py --customers 50000 [--customers 500000] [--backend sqlite|postgresql]
    .venv/bin/python bench/evaluate.py --database-url sqlite:////tmp/demo.sqlite3   # an already seeded demo

Seeds the demo organisation (backend.demo, per-customer metrics subscribed as the server does) into a
fresh SQLite file and a fresh PostgreSQL schema, or uses an already seeded database (`--database-url`;
new segments are added to it, nothing is dropped), then evaluates each segment twice: the first
evaluation (everyone "enters") and a steady-state re-evaluation (the daily case). Prints a Markdown
table and the process's peak resident memory; goal ≤ 1 s per segment at 50,000 customers.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

from sqlalchemy import func, select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend import metrics  # noqa: E402
from backend.auth.models import User  # noqa: E402
from backend.customers.models import Customer  # noqa: E402
from backend.db import Database  # noqa: E402
from backend.demo.service import seed_demo  # noqa: E402
from backend.evaluation import queue  # noqa: E402
from backend.evaluation.evaluator import evaluate_segment  # noqa: E402
from backend.evaluation.models import REASON_CLI  # noqa: E402
from backend.migrate import upgrade  # noqa: E402
from backend.segments.models import Segment  # noqa: E402
from bench.databases import temporary_database  # noqa: E402


def cond(field: str, operator: str, value=None, match: str | None = None) -> dict:
    c = {"field": field, "operator": operator, "value": value}
    if match:
        c["match"] = match
    return c


SEGMENTS: list[tuple[str, dict]] = [
    ("Source is WhatsApp", {"combinator": "and", "rules": [cond("source", "is", "WhatsApp")]}),
    ("Jakarta women with email", {"combinator": "and", "rules": [
        cond("province", "is", "DKI Jakarta"), cond("sex", "is", "female"), cond("email", "is_not_empty")]}),
    ("Gold or Platinum members", {"combinator": "or", "rules": [
        cond("loyalty_current_tier", "is", "Gold"), cond("loyalty_current_tier", "is", "Platinum")]}),
    ("Won a deal", {"combinator": "and", "rules": [cond("deal.stage", "is", "Won", "any")]}),
    ("Lapsed: no conversation for 90 days", {"combinator": "and", "rules": [
        cond("metric.days_since_last_conversation", "gt", 90)]}),
    ("Nested: (WhatsApp AND opted in) OR (Instagram AND 2+ tickets)", {"combinator": "or", "rules": [
        {"combinator": "and", "rules": [cond("source", "is", "WhatsApp"), cond("marketing_opt_in", "is", True)]},
        {"combinator": "and", "rules": [cond("source", "is", "Instagram"), cond("ticket.count", "gt", 1)]}]}),
]


def run(backend: str, customers: int) -> list[tuple]:
    with temporary_database(backend) as db:
        upgrade(db.engine)
        started = time.perf_counter()
        with db.session() as session:
            org_id = seed_demo(session, customers)
        print(f"# {backend} {customers:,} customers: seeded in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        return evaluate_all(db, org_id)


def evaluate_all(db: Database, org_id: int) -> list[tuple]:
    backend = db.engine.dialect.name
    with db.engine.connect() as conn:
        # Fresh statistics, as the seed's metrics refresh and autovacuum give a live PostgreSQL.
        if backend == "postgresql":
            conn.execute(text("ANALYZE"))
        customers = conn.scalar(select(func.count()).select_from(Customer).where(Customer.org_id == org_id))
        conn.commit()
    with db.session() as session:
        user = session.scalars(select(User).where(User.org_id == org_id).order_by(User.id)).first()
        ids = []
        for name, rules in SEGMENTS:
            seg = Segment(org_id=org_id, name=name[:60], rules=rules, created_by_user_id=user.id,
                          created_by_name=user.display_name)
            session.add(seg)
            session.flush()
            queue.segment_created(session, org_id=org_id, segment_id=seg.id, reason=REASON_CLI)
            ids.append((seg.id, name))
    rows = []
    for seg_id, name in ids:
        timings = []
        outcome = None
        for _ in range(2):
            t0 = time.perf_counter()
            outcome = evaluate_segment(db, seg_id, reason=REASON_CLI)
            timings.append(time.perf_counter() - t0)
            if outcome is None or not outcome.ok:
                raise SystemExit(f"evaluation of {name!r} failed: {outcome}")
        rows.append((backend, customers, name, outcome.member_count, timings[0], timings[1]))
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--customers", type=int, action="append")
    ap.add_argument("--backend", choices=["sqlite", "postgresql"], action="append")
    ap.add_argument("--database-url", help="evaluate in an already seeded demo database instead of seeding one")
    args = ap.parse_args()
    metrics.install()
    sizes = args.customers or [50_000]
    backends = args.backend or ["sqlite", "postgresql"]
    print("| database | customers | segment | members | first evaluation | re-evaluation |")
    print("| --- | ---: | --- | ---: | ---: | ---: |")
    if args.database_url:
        db = Database(args.database_url)
        with db.engine.connect() as conn:
            org_id = conn.scalar(select(Customer.org_id).group_by(Customer.org_id)
                                 .order_by(func.count().desc()).limit(1))
        print_rows(evaluate_all(db, org_id))
        db.dispose()
        sizes = []
    for customers in sizes:
        for backend in backends:
            print_rows(run(backend, customers))
    # ru_maxrss is in KiB on Linux: the peak of this process, which is the backend's evaluator here.
    print(f"\npeak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


def print_rows(rows: list[tuple]) -> None:
    for b, n, name, members, first, again in rows:
        print(f"| {b} | {n:,} | {name} | {members:,} | {first * 1000:.0f} ms | {again * 1000:.0f} ms |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
