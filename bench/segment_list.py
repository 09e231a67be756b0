"""Segment list latency: 1,000 segments, p95 of GET /segments (goal ≤ 50 ms).

    .venv/bin/python bench/segment_list.py [--segments 1000] [--requests 200] [--backend sqlite|postgresql]

Requests go through the ASGI app in process (FastAPI TestClient): routing, auth, the query and
serialisation, without network. A mix of the list's uses: first page, a later page, a search and a
created-date filter in a timezone.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fastapi.testclient import TestClient  # noqa: E402

from backend.app import create_app  # noqa: E402
from backend.auth import service as auth_service  # noqa: E402
from backend.config import Settings  # noqa: E402
from backend.db import utcnow  # noqa: E402
from backend.evaluation.models import READY, EvaluationState  # noqa: E402
from backend.migrate import upgrade  # noqa: E402
from backend.segments.models import Segment  # noqa: E402
from bench.databases import temporary_database  # noqa: E402

PASSWORD = "Bench-pass-1"
RULES = {"combinator": "and", "rules": [{"field": "source", "operator": "is", "value": "WhatsApp"}]}
QUERIES = ["/api/v1/segments", "/api/v1/segments?page=7", "/api/v1/segments?search=loyal",
           "/api/v1/segments?created_from=2026-01-01&created_to=2026-12-31&tz=Asia/Jakarta&status=active"]


def measure(backend: str, segments: int, requests: int) -> tuple[float, float]:
    with temporary_database(backend) as db:
        upgrade(db.engine)
        with db.session() as session:
            org = auth_service.create_org(session, name="Bench", package="ultimate")
            user = auth_service.create_user(session, org_id=org.id, username=f"bench_{uuid.uuid4().hex[:6]}",
                                            password=PASSWORD, role="org_admin", display_name="Bench")
            username = user.username
            now = utcnow()
            words = ["Loyal", "WhatsApp", "Churn", "Jakarta", "Buyers", "Leads", "VIP", "Dormant"]
            for i in range(segments):
                seg = Segment(org_id=org.id, name=f"{words[i % 8]} {words[(i // 8) % 8]} {i}", rules=RULES,
                              created_by_user_id=user.id, created_by_name="Bench",
                              created_at=now - timedelta(hours=i * 7), updated_at=now)
                session.add(seg)
                session.flush()
                session.add(EvaluationState(segment_id=seg.id, org_id=org.id, readiness=READY,
                                            member_count=i * 3, last_evaluated_at=now))
        app = create_app(Settings(database_url=db.url, run_scheduler=False), db)
        with TestClient(app) as client:
            token = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            for q in QUERIES:  # warm up
                assert client.get(q, headers=headers).status_code == 200
            samples = []
            for i in range(requests):
                t0 = time.perf_counter()
                r = client.get(QUERIES[i % len(QUERIES)], headers=headers)
                samples.append((time.perf_counter() - t0) * 1000)
                assert r.status_code == 200
        samples.sort()
        return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--segments", type=int, default=1000)
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument("--backend", choices=["sqlite", "postgresql"], action="append")
    args = ap.parse_args()
    print("| database | segments | requests | median | p95 |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for backend in args.backend or ["sqlite", "postgresql"]:
        median, p95 = measure(backend, args.segments, args.requests)
        print(f"| {backend} | {args.segments:,} | {args.requests} | {median:.1f} ms | {p95:.1f} ms |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
