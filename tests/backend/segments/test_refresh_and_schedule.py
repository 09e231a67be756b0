"""Manual refresh (issue item 5) and the daily schedule, budget and CLI (item 4).

The refresh window and the daily run's queueing as hardened by issue 13 are in test_leases.py and
test_daily_run.py."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from backend.auth.models import Organisation
from backend.evaluation.clock import get_now
from backend.evaluation.models import ScheduledRun
from backend.evaluation.scheduler import evaluate_org, run_due
from tests.backend.segments.conftest import people


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def test_refresh_is_202_then_429_for_30_minutes_with_retry_after(make_org, make_segment, api, app, run_jobs):
    org = make_org()
    seg = make_segment(org)
    clock = Clock(datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    app.dependency_overrides[get_now] = clock
    try:
        r = api("POST", f"/segments/{seg['id']}/refresh", org)
        assert r.status_code == 202 and r.json()["job_id"]
        clock.at += timedelta(minutes=18)
        r = api("POST", f"/segments/{seg['id']}/refresh", org)
        assert r.status_code == 429
        assert r.json()["error"]["message"] == "Segment was recently refreshed. Try again in 12 minutes."
        assert r.headers["Retry-After"] == str(12 * 60)
        clock.at += timedelta(minutes=11, seconds=30)
        r = api("POST", f"/segments/{seg['id']}/refresh", org)
        assert r.json()["error"]["message"] == "Segment was recently refreshed. Try again in 1 minute."
        assert r.headers["Retry-After"] == "30"
        clock.at += timedelta(seconds=30)
        assert api("POST", f"/segments/{seg['id']}/refresh", org).status_code == 202
    finally:
        app.dependency_overrides.clear()


def test_only_manual_refreshes_start_the_window(make_org, make_segment, api, run_jobs):
    org = make_org()
    seg = make_segment(org)  # create queues an evaluation: no window
    run_jobs()
    api("PUT", f"/segments/{seg['id']}", org, json={"rules": {"combinator": "and", "rules": [
        {"field": "source", "operator": "is", "value": "Email"}]}})  # edit queues one too: no window
    assert api("POST", f"/segments/{seg['id']}/refresh", org).status_code == 202


def test_refresh_starts_an_evaluation(make_org, ingest, make_segment, api, run_jobs):
    org = make_org()
    seg = make_segment(org)
    run_jobs()
    ingest(org, people(("k1", "WhatsApp")))
    api("POST", f"/segments/{seg['id']}/refresh", org)
    run_jobs()
    assert api("GET", f"/segments/{seg['id']}", org).json()["member_count"] == 1


def test_concurrent_refreshes_of_one_segment_accept_exactly_one(make_org, make_segment, db, app):
    from fastapi.testclient import TestClient

    org = make_org()
    seg = make_segment(org)
    codes: list[int] = []
    start = threading.Barrier(6)

    def hit() -> None:
        with TestClient(app) as c:
            start.wait()
            codes.append(c.post(f"/api/v1/segments/{seg['id']}/refresh", headers=org.headers()).status_code)

    threads = [threading.Thread(target=hit) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(codes) == [202] + [429] * 5


def test_archived_segments_are_not_refreshed(make_org, make_segment, api):
    org = make_org()
    seg = make_segment(org)
    api("POST", f"/segments/{seg['id']}/archive", org)
    assert api("POST", f"/segments/{seg['id']}/refresh", org).status_code == 409


def _set_org(db, org_id: int, **values) -> None:
    with db.session() as session:
        session.execute(update(Organisation).where(Organisation.id == org_id).values(**values))


def test_daily_run_starts_at_the_refresh_time_in_the_org_timezone_once_a_day(
        make_org, ingest, make_segment, api, db, run_jobs):
    org = make_org(timezone="Asia/Jakarta")
    ingest(org, people(("k1", "WhatsApp")))
    active, archived = make_segment(org, "active"), make_segment(org, "archived")
    api("POST", f"/segments/{archived['id']}/archive", org)
    run_jobs()
    ingest(org, people(("k2", "WhatsApp")))
    # 07:59 in Jakarta is 00:59 UTC: not yet.
    assert run_due(db, now=lambda: datetime(2026, 3, 2, 0, 59, tzinfo=UTC)) == []
    runs = run_due(db, now=lambda: datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    assert [(r.org_id, str(r.run_date)) for r in runs] == [(org.id, "2026-03-02")]
    # Claiming only queued the day; workers run it (within the org's time budget, from the claim).
    assert [o.segment_id for o in run_jobs(now=lambda: datetime(2026, 3, 2, 1, 0, 5, tzinfo=UTC))] == [active["id"]]
    assert api("GET", f"/segments/{active['id']}", org).json()["member_count"] == 2
    assert api("GET", f"/segments/{archived['id']}", org).json()["member_count"] == 1
    # Later the same day (another process, say) nothing runs again; the next day it does.
    assert run_due(db, now=lambda: datetime(2026, 3, 2, 9, 0, tzinfo=UTC)) == []
    assert len(run_due(db, now=lambda: datetime(2026, 3, 3, 1, 0, tzinfo=UTC))) == 1
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(ScheduledRun)) == 2


def test_refresh_time_is_an_org_setting(make_org, make_segment, db, run_jobs):
    org = make_org(timezone="UTC")
    make_segment(org)
    run_jobs()
    _set_org(db, org.id, refresh_time="21:30")
    assert run_due(db, now=lambda: datetime(2026, 3, 2, 21, 29, tzinfo=UTC)) == []
    assert len(run_due(db, now=lambda: datetime(2026, 3, 2, 21, 30, tzinfo=UTC))) == 1


def test_the_cli_run_stops_at_the_time_budget_and_records_an_alert(make_org, make_segment, db, api, run_jobs):
    org = make_org()
    segs = [make_segment(org, f"s{i}") for i in range(3)]
    run_jobs()
    _set_org(db, org.id, evaluation_budget_seconds=10)
    ticks = iter([0.0, 0.0, 6.0, 11.0])  # start, before s0, before s1, before s2
    run = evaluate_org(db, org.id, clock=lambda: next(ticks))
    assert run.evaluated == [segs[0]["id"], segs[1]["id"]] and run.skipped == [segs[2]["id"]]
    events = api("GET", "/segment-events?name=cdp_segment_evaluation_budget_exceeded", org).json()["items"]
    assert events[0]["payload"]["skipped_segment_ids"] == [segs[2]["id"]]
    assert [a["kind"] for a in api("GET", "/admin/alerts", org).json()] == ["evaluation_skipped"]


def test_cli_evaluate_runs_an_organisation_for_an_external_cron(make_org, ingest, make_segment, api, db, monkeypatch,
                                                                 capsys):
    import json

    from backend import cli

    org = make_org()
    ingest(org, people(("k1", "WhatsApp")))
    seg = make_segment(org)
    monkeypatch.setenv("SEGSTUDIO_DATABASE_URL", db.url)
    assert cli.main(["evaluate", "--org", str(org.id)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["evaluated"] == [seg["id"]]
    assert api("GET", f"/segments/{seg['id']}", org).json()["readiness"] == "ready"


def test_the_app_runs_the_worker_and_the_scheduler_when_asked(db, make_org, ingest):
    import time

    from fastapi.testclient import TestClient

    from backend.app import create_app
    from backend.config import Settings

    org = make_org()
    ingest(org, people(("k1", "WhatsApp")))
    app = create_app(Settings(database_url=db.url, run_scheduler=True), db)
    with TestClient(app) as c:
        runtime = app.state.evaluation
        assert runtime.worker.running and runtime.scheduler.running
        r = c.post("/api/v1/segments", headers=org.headers(), json={"name": "live", "rules": {
            "combinator": "and", "rules": [{"field": "source", "operator": "is", "value": "WhatsApp"}]}})
        seg_id = r.json()["id"]
        for _ in range(100):
            if c.get(f"/api/v1/segments/{seg_id}", headers=org.headers()).json()["readiness"] == "ready":
                break
            time.sleep(0.05)
        assert c.get(f"/api/v1/segments/{seg_id}", headers=org.headers()).json()["member_count"] == 1
    assert not runtime.worker.running and not runtime.scheduler.running


def test_changing_the_refresh_time_reschedules_the_daily_job_at_once(db, make_org, client):
    import time

    from backend.evaluation.scheduler import Scheduler

    class CountingScheduler(Scheduler):
        ticks = 0

        def _tick(self) -> None:
            CountingScheduler.ticks += 1
            super()._tick()

    def wait_for_ticks(n: int) -> int:
        for _ in range(200):
            if CountingScheduler.ticks >= n:
                break
            time.sleep(0.025)
        return CountingScheduler.ticks

    org = make_org(timezone="UTC")
    scheduler = CountingScheduler(db, tick_seconds=3600)
    scheduler.start()
    try:
        assert wait_for_ticks(1) == 1  # the tick at start; the next one is an hour away
        r = client.put("/api/v1/admin/settings", headers=org.headers(), json={"refresh_time": "06:45"})
        assert r.status_code == 200
        assert wait_for_ticks(2) == 2
    finally:
        scheduler.stop()
