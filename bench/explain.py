"""Time per-node counts, explain and the customer profile over HTTP against the demo organisation.

    .venv/bin/python bench/explain.py                       # 50,000 customers, SQLite and PostgreSQL
    .venv/bin/python bench/explain.py --backend sqlite --customers 5000 --runs 5

Seeds the demo organisation as bench/preview.py does, serves the real app on a loopback port and, for a
7-node tree, times the plain preview and the preview with `"node_counts": true` alternately in the same
run (the ratio is what the issue bounds: within 2x), then explain of the tree for `--runs` customers
and the profile of the same customers. Wall-clock per request as the client sees it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend import metrics  # noqa: E402
from backend.demo.service import seed_demo  # noqa: E402
from backend.migrate import upgrade  # noqa: E402
from bench.databases import temporary_database  # noqa: E402
from bench.preview import _c, p95, serving  # noqa: E402

SEVEN_NODES = {"combinator": "and", "rules": [
    _c("source", "is", "WhatsApp"),
    {"combinator": "or", "rules": [
        _c("deal.stage", "is", "Won", match="any"), _c("metric.total_spend", "gt", 1_000_000),
        _c("province", "is", "DKI Jakarta")]},
    _c("created_at", "in_last_days", 365),
]}


def _timed(call: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    r = call()
    elapsed = (time.perf_counter() - t0) * 1000
    if r.status_code != 200:
        raise SystemExit(f"{r.request.url}: {r.status_code} {r.text}")
    return elapsed, r.json()


def measure(base: str, runs: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"preview": [], "preview + node_counts": [], "explain": [], "profile": []}
    with httpx.Client(base_url=base, timeout=120) as client:
        token = client.post("/auth/login", json={"username": "admin", "password": "Admin-pass-1"}).json()
        client.headers["Authorization"] = f"Bearer {token['access_token']}"
        for i in range(runs + 2):  # alternate, so both see the same machine load
            plain = _timed(lambda: client.post("/segments/preview", json={"rules": SEVEN_NODES}))
            counted = _timed(lambda: client.post("/segments/preview", json={"rules": SEVEN_NODES,
                                                                            "node_counts": True}))
            assert counted[1]["node_counts"]["matched"] == plain[1]["matched"]
            if i >= 2:
                times["preview"].append(plain[0])
                times["preview + node_counts"].append(counted[0])
        ids = [c["id"] for c in client.get("/customers", params={"page_size": runs + 2}).json()["items"]]
        for i, customer_id in enumerate(ids):
            explained = _timed(lambda cid=customer_id: client.post(
                "/segments/explain", json={"rules": SEVEN_NODES, "customer_id": cid}))
            profiled = _timed(lambda cid=customer_id: client.get(f"/customers/{cid}"))
            if i >= 2:
                times["explain"].append(explained[0])
                times["profile"].append(profiled[0])
    return times


def bench(backend: str, customers: int, runs: int, today: date) -> dict[str, list[float]]:
    with temporary_database(backend) as db:
        upgrade(db.engine)
        metrics.install()
        start = time.perf_counter()
        with db.session() as session:
            seed_demo(session, customers, 42, today=today, force=True)
        print(f"<!-- {backend}: seeded {customers:,} customers in {time.perf_counter() - start:.1f} s -->",
              flush=True)
        with db.engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()
        with serving(db) as base:
            return measure(base, runs)


def report(backend: str, customers: int, runs: int, times: dict[str, list[float]]) -> None:
    print(f"\n**{backend}, {customers:,} customers** ({runs} timed runs each; load average "
          f"{os.getloadavg()[0]:.1f})\n")
    print("| request | median ms | p95 ms | ratio to plain preview |")
    print("| --- | ---: | ---: | ---: |")
    base = statistics.median(times["preview"])
    for name, values in times.items():
        ratio = f"{statistics.median(values) / base:.2f}" if name.startswith("preview") else ""
        print(f"| {name} | {statistics.median(values):.0f} | {p95(values):.0f} | {ratio} |")
    sys.stdout.flush()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--customers", type=int, default=50_000)
    p.add_argument("--backend", choices=("sqlite", "postgresql"), action="append")
    p.add_argument("--runs", type=int, default=15)
    p.add_argument("--today", type=date.fromisoformat, default=date(2026, 6, 1))
    args = p.parse_args()
    for backend in args.backend or ["sqlite", "postgresql"]:
        report(backend, args.customers, args.runs, bench(backend, args.customers, args.runs, args.today))
    return 0


if __name__ == "__main__":
    sys.exit(main())
