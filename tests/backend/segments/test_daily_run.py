"""Issue 13 item 3 and "several processes": the daily run is queued in the claiming transaction, one
job per segment in dependency order, so any live process finishes it; one waiting job per segment;
claims skip rows other processes are claiming."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from backend.auth.models import Organisation
from backend.evaluation import runs
from backend.evaluation.claims import claim_next_job
from backend.evaluation.lease import DEFAULT_POLICY
from backend.evaluation.models import (
    EVENT_BUDGET_EXCEEDED,
    QUEUED,
    EvaluationJob,
    ScheduledRun,
    SegmentEvaluation,
    SegmentEvent,
)
from backend.evaluation.queue import enqueue
from backend.evaluation.scheduler import run_due
from backend.evaluation.worker import run_pending
from tests.backend.segments.conftest import people

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # 08:00, the default refresh time, in a UTC organisation


def at(seconds: float):
    return lambda: T0 + timedelta(seconds=seconds)


def the_run(db) -> ScheduledRun:
    with db.session() as session:
        return session.scalars(select(ScheduledRun)).one()


def queued_segment_ids(db) -> list[int]:
    with db.session() as session:
        return list(session.scalars(select(EvaluationJob.segment_id).where(EvaluationJob.status == QUEUED)
                                    .order_by(EvaluationJob.queued_at, EvaluationJob.id)))


@pytest.fixture
def day(make_org, ingest, make_segment, run_jobs):
    """An organisation with five evaluated segments, before its 08:00 run."""
    org = make_org(timezone="UTC")
    ingest(org, people(("k1", "WhatsApp"), ("k2", "Email")))
    segments = [make_segment(org, f"s{i}")["id"] for i in range(5)]
    run_jobs()
    return org, segments


def test_claiming_the_day_only_queues_one_job_per_segment(day, db):
    org, segments = day
    [claimed] = run_due(db, now=at(0), worker="A")
    assert queued_segment_ids(db) == segments
    run = the_run(db)
    assert (run.id, run.worker, run.finished_at) == (claimed.run_id, "A", None)
    with db.session() as session:  # nothing was evaluated by the claim itself
        assert session.scalar(select(func.count()).select_from(SegmentEvaluation)
                              .where(SegmentEvaluation.reason == "schedule")) == 0


def test_a_process_that_dies_after_claiming_the_day_loses_no_segment(day, db, api):
    org, segments = day
    run_due(db, now=at(0), worker="A")
    with db.session() as session:
        assert claim_next_job(session, worker="A", now=at(0)()) is not None  # A starts s0, then is killed
    # B's worker finishes every other segment; the run waits for the one A held.
    assert sorted(o.segment_id for o in run_pending(db, worker="B", now=at(5))) == segments[1:]
    assert the_run(db).finished_at is None
    # A's lease runs out; B takes s0 back and the day is complete.
    assert [o.segment_id for o in run_pending(db, worker="B", now=at(DEFAULT_POLICY.seconds + 1))] == segments[:1]
    run = the_run(db)
    assert run.finished_at is not None and (run.evaluated, run.failed, run.skipped) == (5, 0, 0)
    with db.session() as session:
        rows = session.execute(select(SegmentEvaluation.segment_id, SegmentEvaluation.status)
                               .where(SegmentEvaluation.reason == "schedule")).all()
    succeeded = sorted(sid for sid, status in rows if status == "succeeded")
    assert succeeded == segments  # every segment once
    assert [status for sid, status in rows if sid == segments[0]] == ["abandoned", "succeeded"]
    assert {api("GET", f"/segments/{s}", org).json()["readiness"] for s in segments} == {"ready"}


def test_the_day_is_queued_dependencies_first(day, db, monkeypatch):
    org, (a, b, c, d, e) = day
    # Segments inside segments are not there yet; when they are, their graph comes from this hook.
    monkeypatch.setattr(runs, "segment_dependencies",
                        lambda session, ids: {a: {c}, b: set(), c: {e}, d: set(), e: set()})
    run_due(db, now=at(0))
    assert queued_segment_ids(db) == [b, d, e, c, a]


def test_jobs_past_the_time_budget_are_skipped_and_the_run_says_so(day, db, api):
    org, segments = day
    with db.session() as session:
        session.execute(update(Organisation).where(Organisation.id == org.id).values(evaluation_budget_seconds=10))
    run_due(db, now=at(0))
    assert len(run_pending(db, max_jobs=2, now=at(5))) == 2
    assert run_pending(db, now=at(11)) == []
    run = the_run(db)
    assert run.finished_at is not None and (run.evaluated, run.failed, run.skipped) == (2, 0, 3)
    with db.session() as session:
        event = session.scalars(select(SegmentEvent).where(SegmentEvent.name == EVENT_BUDGET_EXCEEDED)).one()
    assert event.payload["skipped_segment_ids"] == segments[2:]
    assert [a["kind"] for a in api("GET", "/admin/alerts", org).json()] == ["evaluation_skipped"]


def test_a_job_already_waiting_answers_the_day_too(day, db, api):
    org, segments = day
    api("PUT", f"/segments/{segments[0]}", org, json={"rules": {"combinator": "and", "rules": [
        {"field": "source", "operator": "is", "value": "Email"}]}})  # an edit queued s0 before 08:00
    run_due(db, now=at(0))
    assert sorted(queued_segment_ids(db)) == segments  # still one waiting job per segment
    run_pending(db, now=at(1))
    run = the_run(db)
    assert (run.evaluated, run.finished_at is not None) == (5, True)


def test_queued_jobs_are_unique_per_segment(day, db):
    org, segments = day
    with db.session() as session:
        first = enqueue(session, org_id=org.id, segment_id=segments[0], reason="manual")
        assert enqueue(session, org_id=org.id, segment_id=segments[0], reason="edit").id == first.id
    with pytest.raises(IntegrityError), db.session() as session:
        session.add(EvaluationJob(org_id=org.id, segment_id=segments[0], reason="edit", status=QUEUED,
                                  queued_at=T0))
        session.flush()


def test_concurrent_enqueues_of_one_segment_make_one_job(day, db):
    org, segments = day
    ids: list[int] = []
    start = threading.Barrier(4)

    def queue_it() -> None:
        start.wait()
        with db.session() as session:
            ids.append(enqueue(session, org_id=org.id, segment_id=segments[1], reason="manual").id)

    threads = [threading.Thread(target=queue_it) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(ids) == 4 and len(set(ids)) == 1


def test_a_claim_in_progress_elsewhere_is_skipped_not_waited_for(day, db):
    if db.is_sqlite:
        pytest.skip("SQLite has one writer at a time; SKIP LOCKED is PostgreSQL's")
    org, segments = day
    run_due(db, now=at(0))
    elsewhere = db.sessionmaker()
    try:
        first = claim_next_job(elsewhere, worker="A", now=at(1)())  # not committed yet: its row stays locked
        assert first is not None and first.segment_id == segments[0]
        result: list = []
        other = threading.Thread(target=lambda: result.append(_claim(db, "B")))
        other.start()
        other.join(15)
        assert not other.is_alive(), "the second claim waited for the first instead of skipping its row"
        assert result[0].segment_id == segments[1]
    finally:
        elsewhere.rollback()
        elsewhere.close()


def _claim(db, worker: str):
    with db.session() as session:
        return claim_next_job(session, worker=worker, now=at(1)())
