"""Issue 13 item 2: leases renewed while work runs, a dead worker's segment back within a minute,
and a manual refresh that cannot start soon does not use up the 30-minute window."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from backend.evaluation import evaluator, lease
from backend.evaluation.claims import claim_next_job
from backend.evaluation.clock import get_now
from backend.evaluation.lease import DEFAULT_POLICY, LeasePolicy
from backend.evaluation.models import EvaluationJob, SegmentEvaluation
from backend.evaluation.worker import run_pending
from tests.backend.segments.conftest import people

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def readiness(api, org, seg_id: int) -> str:
    return api("GET", f"/segments/{seg_id}", org).json()["readiness"]


def statuses(db, model, seg_id: int) -> list[str]:
    with db.session() as session:
        return list(session.scalars(select(model.status).where(model.segment_id == seg_id).order_by(model.id)))


def test_the_default_lease_gives_a_dead_workers_segment_back_within_a_minute():
    assert DEFAULT_POLICY.seconds + 2 <= 60 and DEFAULT_POLICY.heartbeat_seconds * 3 <= DEFAULT_POLICY.seconds


def test_a_segment_whose_worker_died_mid_evaluation_is_evaluated_again_once_its_lease_runs_out(
        make_org, ingest, make_segment, api, db):
    org = make_org()
    ingest(org, people(("k1", "WhatsApp")))
    seg = make_segment(org)
    with db.session() as session:
        dead = claim_next_job(session, worker="dead-worker", now=T0)  # ... and then kill -9
    assert dead is not None and readiness(api, org, seg["id"]) == "not_ready"
    # Another process polling while the lease still runs leaves it alone.
    assert run_pending(db, worker="live", now=lambda: T0 + timedelta(seconds=DEFAULT_POLICY.seconds - 1)) == []
    later = T0 + timedelta(seconds=DEFAULT_POLICY.seconds + 1)
    assert [o.ok for o in run_pending(db, worker="live", now=lambda: later)] == [True]
    assert readiness(api, org, seg["id"]) == "ready"
    assert statuses(db, SegmentEvaluation, seg["id"]) == ["abandoned", "succeeded"]
    assert statuses(db, EvaluationJob, seg["id"]) == ["abandoned", "done"]


def test_a_live_worker_keeps_its_lease_while_an_evaluation_outlasts_it(make_org, ingest, make_segment, db,
                                                                       monkeypatch):
    policy = LeasePolicy(seconds=2.0, heartbeat_seconds=0.25)
    org = make_org()
    ingest(org, people(("k1", "WhatsApp")))
    seg = make_segment(org)
    started = threading.Event()
    real = evaluator._write_members

    def slow(*args, **kw):
        started.set()
        time.sleep(2.5 * policy.seconds)
        return real(*args, **kw)

    monkeypatch.setattr(evaluator, "_write_members", slow)
    outcomes: list = []
    slow_worker = threading.Thread(target=lambda: outcomes.extend(run_pending(db, worker="slow", policy=policy)))
    slow_worker.start()
    assert started.wait(30)
    taken_over = []
    while slow_worker.is_alive():  # another process looks for dead workers' segments all along
        taken_over += run_pending(db, worker="other", policy=policy)
        time.sleep(0.1)
    assert taken_over == [] and [o.ok for o in outcomes] == [True]
    assert statuses(db, SegmentEvaluation, seg["id"]) == ["succeeded"]


def test_a_lost_lease_never_commits_over_the_new_owner(make_org, ingest, make_segment, db):
    org = make_org()
    ingest(org, people(("k1", "WhatsApp")))
    seg = make_segment(org)
    with db.session() as session:
        stale = claim_next_job(session, worker="stalled", now=T0)
    later = T0 + timedelta(seconds=DEFAULT_POLICY.seconds + 1)
    assert [o.ok for o in run_pending(db, worker="live", now=lambda: later)] == [True]
    # The stalled worker wakes up and finishes: its result is refused, the live one's stands.
    outcome = evaluator.run_claim(db, stale, now=later)
    assert not outcome.ok and "taken over" in (outcome.error or "")
    assert statuses(db, SegmentEvaluation, seg["id"]) == ["abandoned", "succeeded"]
    assert statuses(db, EvaluationJob, seg["id"]) == ["abandoned", "done"]


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def test_a_refresh_that_cannot_start_does_not_use_up_the_window(make_org, make_segment, api, app, db, run_jobs):
    org = make_org()
    seg = make_segment(org)
    run_jobs()
    clock = Clock(T0)
    app.dependency_overrides[get_now] = clock
    try:
        with db.session() as session:  # another process is evaluating the segment (and then dies)
            assert lease.acquire(session, seg["id"], worker="busy", now=T0, policy=DEFAULT_POLICY)
        first = api("POST", f"/segments/{seg['id']}/refresh", org)
        assert first.status_code == 202
        clock.at = T0 + timedelta(minutes=10)
        again = api("POST", f"/segments/{seg['id']}/refresh", org)
        assert again.status_code == 202 and again.json()["job_id"] == first.json()["job_id"]
        # The refresh starts at 09:20 (the busy lease ran out); its window runs from then.
        run_jobs(now=lambda: T0 + timedelta(minutes=20))
        clock.at = T0 + timedelta(minutes=45)
        r = api("POST", f"/segments/{seg['id']}/refresh", org)
        assert r.status_code == 429
        assert r.json()["error"]["message"] == "Segment was recently refreshed. Try again in 5 minutes."
        clock.at = T0 + timedelta(minutes=50)
        assert api("POST", f"/segments/{seg['id']}/refresh", org).status_code == 202
    finally:
        app.dependency_overrides.clear()


def test_a_refresh_on_a_free_segment_starts_its_window_at_once(make_org, make_segment, api, run_jobs):
    org = make_org()
    seg = make_segment(org)
    run_jobs()
    assert api("POST", f"/segments/{seg['id']}/refresh", org).status_code == 202
    assert api("POST", f"/segments/{seg['id']}/refresh", org).status_code == 429


def test_a_waiting_refresh_whose_worker_died_gets_its_window_back(make_org, make_segment, api, app, db, run_jobs):
    org = make_org()
    seg = make_segment(org)
    run_jobs()
    clock = Clock(T0)
    app.dependency_overrides[get_now] = clock
    try:
        with db.session() as session:
            assert lease.acquire(session, seg["id"], worker="busy", now=T0, policy=DEFAULT_POLICY)
        assert api("POST", f"/segments/{seg['id']}/refresh", org).status_code == 202  # waits for "busy"
        with db.session() as session:
            lease.release(session, seg["id"], worker="busy")
            # 09:02: a worker starts the refresh (its window starts), then is killed.
            assert claim_next_job(session, worker="dead-worker", now=T0 + timedelta(minutes=2)) is not None
        clock.at = T0 + timedelta(minutes=5)
        r = api("POST", f"/segments/{seg['id']}/refresh", org)
        assert r.json()["error"]["message"] == "Segment was recently refreshed. Try again in 27 minutes."
        run_jobs(now=lambda: T0 + timedelta(minutes=6))  # recovered: the refresh runs again at 09:06
        clock.at = T0 + timedelta(minutes=30)
        r = api("POST", f"/segments/{seg['id']}/refresh", org)
        assert r.json()["error"]["message"] == "Segment was recently refreshed. Try again in 6 minutes."
    finally:
        app.dependency_overrides.clear()
    assert statuses(db, SegmentEvaluation, seg["id"])[-2:] == ["abandoned", "succeeded"]
