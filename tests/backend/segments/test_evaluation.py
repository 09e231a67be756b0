"""Evaluation (issue items 3 and 6): readiness, the atomic membership swap, failures, events, history."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from backend.evaluation import evaluator
from backend.evaluation.claims import claim_next_job
from backend.evaluation.evaluator import evaluate_segment, new_worker_id
from backend.evaluation.models import EvaluationJob, SegmentMember
from backend.evaluation.service import members_of
from backend.evaluation.worker import run_pending
from tests.backend.segments.conftest import EMAIL, people


def segment(api, org, seg_id: int) -> dict:
    r = api("GET", f"/segments/{seg_id}", org)
    assert r.status_code == 200, r.text
    return r.json()


def member_ids(api, org, seg_id: int) -> list[str]:
    r = api("GET", f"/segments/{seg_id}/members?page_size=100", org)
    assert r.status_code == 200, r.text
    return [m["id"] for m in r.json()["items"]]


def committed_members(db, seg_id: int) -> set[int]:
    with db.session() as session:
        return set(session.scalars(members_of(seg_id)))


def test_created_segment_is_pending_then_ready_with_its_members(make_org, ingest, make_segment, api, run_jobs):
    org = make_org()
    ingest(org, people(("k1", "WhatsApp"), ("k2", "Email"), ("k3", "WhatsApp")))
    seg = make_segment(org)
    assert seg["readiness"] == "pending" and seg["member_count"] == 0
    assert [o.ok for o in run_jobs()] == [True]
    got = segment(api, org, seg["id"])
    assert got["readiness"] == "ready" and got["member_count"] == 2 and got["last_evaluated_at"]
    assert member_ids(api, org, seg["id"]) == ["k1", "k3"]


def test_edit_makes_the_segment_not_ready_until_re_evaluated(make_org, ingest, make_segment, api, run_jobs):
    org = make_org()
    ingest(org, people(("k1", "WhatsApp"), ("k2", "Email")))
    seg = make_segment(org)
    run_jobs()
    r = api("PUT", f"/segments/{seg['id']}", org, json={"rules": EMAIL})
    assert r.json()["readiness"] == "not_ready"
    # Readers keep the old, complete membership meanwhile.
    assert member_ids(api, org, seg["id"]) == ["k1"]
    run_jobs()
    assert segment(api, org, seg["id"])["readiness"] == "ready"
    assert member_ids(api, org, seg["id"]) == ["k2"]


def test_renaming_does_not_queue_an_evaluation(make_org, make_segment, api, run_jobs, db):
    org = make_org()
    seg = make_segment(org)
    run_jobs()
    api("PUT", f"/segments/{seg['id']}", org, json={"name": "renamed"})
    assert segment(api, org, seg["id"])["readiness"] == "ready"
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(EvaluationJob)
                              .where(EvaluationJob.status == "queued")) == 0


def test_a_failure_after_writing_part_of_the_membership_keeps_the_old_one(
        make_org, ingest, make_segment, api, run_jobs, db, monkeypatch):
    org = make_org()
    ingest(org, people(("k1", "WhatsApp"), ("k2", "Email")))
    seg = make_segment(org)
    run_jobs()
    before = committed_members(db, seg["id"])
    ingest(org, people(("k3", "WhatsApp"), ("k4", "WhatsApp")))
    written = {}

    def explode(session, claim, old_id, now):
        written["rows"] = session.scalar(select(func.count()).select_from(SegmentMember)
                                         .where(SegmentMember.evaluation_id == claim.evaluation_id))
        raise RuntimeError("disk full")

    monkeypatch.setattr(evaluator, "_record_changes", explode)
    api("PUT", f"/segments/{seg['id']}", org, json={"description": "edited"})
    outcome = evaluate_segment(db, seg["id"], reason="manual")
    assert outcome is not None and not outcome.ok and "disk full" in outcome.error
    assert written["rows"] == 3  # the new membership was written before the failure...
    assert committed_members(db, seg["id"]) == before  # ...and none of it was committed
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(SegmentMember)) == len(before)
    got = segment(api, org, seg["id"])
    assert got["readiness"] == "failed" and got["member_count"] == 1
    assert member_ids(api, org, seg["id"]) == ["k1"]
    events = api("GET", f"/segments/{seg['id']}/events?name=cdp_segment_evaluation_failed", org).json()
    assert events["total"] == 1 and "disk full" in events["items"][0]["payload"]["error"]
    # The administrator is alerted too.
    alerts = api("GET", "/admin/alerts", org).json()
    assert [a["kind"] for a in alerts] == ["evaluation_failed"]


def test_readers_see_the_old_membership_and_not_ready_while_an_evaluation_runs(
        make_org, ingest, make_segment, api, run_jobs, db, monkeypatch):
    org = make_org()
    ingest(org, people(("k1", "WhatsApp")))
    seg = make_segment(org)
    run_jobs()
    ingest(org, people(("k2", "WhatsApp")))
    written, release = threading.Event(), threading.Event()
    real = evaluator._record_changes

    def paused(session, claim, old_id, now):
        written.set()
        release.wait(20)
        return real(session, claim, old_id, now)

    monkeypatch.setattr(evaluator, "_record_changes", paused)
    worker = threading.Thread(target=evaluate_segment, args=(db, seg["id"]), kwargs={"reason": "manual"})
    worker.start()
    try:
        assert written.wait(20)
        with db.session() as session:
            from backend.evaluation.models import EvaluationState

            state = session.get(EvaluationState, seg["id"])
            assert state.readiness == "not_ready"
            old = set(session.scalars(members_of(seg["id"])))
        assert len(old) == 1
    finally:
        release.set()
        worker.join(30)
    assert len(committed_members(db, seg["id"])) == 2
    assert segment(api, org, seg["id"])["readiness"] == "ready"


def test_success_records_an_event_with_member_count_and_duration(make_org, ingest, make_segment, api, run_jobs):
    org = make_org()
    ingest(org, people(("k1", "WhatsApp"), ("k2", "WhatsApp")))
    seg = make_segment(org)
    run_jobs()
    events = api("GET", f"/segments/{seg['id']}/events", org).json()
    assert [e["name"] for e in events["items"]] == ["cdp_segment_evaluated"]
    payload = events["items"][0]["payload"]
    assert payload["member_count"] == 2 and payload["evaluation_duration_ms"] >= 0
    org_events = api("GET", "/segment-events?name=cdp_segment_evaluated", org).json()
    assert org_events["total"] == 1


def test_history_keeps_a_size_snapshot_and_who_entered_and_left(make_org, ingest, make_segment, api, run_jobs):
    org = make_org()
    ingest(org, people(("k1", "WhatsApp"), ("k2", "WhatsApp")))
    seg = make_segment(org)
    run_jobs()
    ingest(org, people(("k2", "Email"), ("k3", "WhatsApp")))
    api("POST", f"/segments/{seg['id']}/refresh", org)
    run_jobs()
    evaluations = api("GET", f"/segments/{seg['id']}/evaluations", org).json()["items"]
    assert [(e["member_count"], e["entered"], e["left"]) for e in evaluations] == [(2, 1, 1), (2, 2, 0)]
    latest = evaluations[0]["id"]
    changes = api("GET", f"/segments/{seg['id']}/evaluations/{latest}/changes", org).json()
    assert [(c["customer_id"], c["change"]) for c in changes["items"]] == [("k3", "entered"), ("k2", "left")]
    growth = api("GET", f"/segments/{seg['id']}/performance?range=all", org).json()["growth"]
    assert [p["member_count"] for p in growth] == [2, 2]


def test_membership_changes_older_than_90_days_are_pruned(make_org, ingest, make_segment, run_jobs, db):
    from datetime import timedelta

    from sqlalchemy import update

    from backend.evaluation.models import MembershipChange

    org = make_org()
    ingest(org, people(("k1", "WhatsApp")))
    seg = make_segment(org)
    run_jobs()
    with db.session() as session:
        first = session.scalar(select(MembershipChange.recorded_at))
        session.execute(update(MembershipChange).values(recorded_at=first - timedelta(days=89)))
    evaluate_segment(db, seg["id"], reason="manual")
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(MembershipChange)) == 1
        session.execute(update(MembershipChange).values(recorded_at=first - timedelta(days=91)))
    evaluate_segment(db, seg["id"], reason="manual")
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(MembershipChange)) == 0


def test_a_segment_is_never_evaluated_by_two_workers_at_once(make_org, ingest, make_segment, db, monkeypatch):
    org = make_org()
    ingest(org, people(("k1", "WhatsApp")))
    seg = make_segment(org)
    active, overlaps, lock = [0], [], threading.Lock()
    real = evaluator._write_members

    def counting(*args, **kw):
        with lock:
            active[0] += 1
            overlaps.append(active[0])
        try:
            threading.Event().wait(0.2)
            return real(*args, **kw)
        finally:
            with lock:
                active[0] -= 1

    monkeypatch.setattr(evaluator, "_write_members", counting)
    results: list = []
    threads = [threading.Thread(target=lambda: results.append(evaluate_segment(db, seg["id"], reason="cli")))
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert max(overlaps) == 1
    done = [r for r in results if r is not None]
    assert done and all(r.ok for r in done)


def test_a_held_lease_keeps_queued_jobs_waiting(make_org, make_segment, db):
    org = make_org()
    seg = make_segment(org)
    with db.session() as session:
        claim = claim_next_job(session, worker="other-process")
    assert claim is not None and claim.segment_id == seg["id"]
    from backend.evaluation.queue import enqueue

    with db.session() as session:
        enqueue(session, org_id=org.id, segment_id=seg["id"], reason="manual")
    assert run_pending(db, worker=new_worker_id()) == []  # the other process still holds the segment
    evaluator.run_claim(db, claim)
    assert [o.ok for o in run_pending(db)] == [True]


def test_deleting_a_segment_removes_its_members_and_history(make_org, ingest, make_segment, api, run_jobs, db):
    """Member and change rows have no foreign keys (issue 19): deleting the segment removes them itself,
    and another segment's rows stay."""
    from backend.evaluation.models import MembershipChange
    from backend.segments.models import Segment

    org = make_org()
    ingest(org, people(("k1", "WhatsApp"), ("k2", "Email"), ("k3", "WhatsApp")))
    gone, kept = make_segment(org), make_segment(org, name="Kept")
    run_jobs()
    with db.session() as session:
        kept_rows = session.scalar(select(func.count()).select_from(MembershipChange)
                                   .where(MembershipChange.segment_id == kept["id"]))
        assert kept_rows == 2 and session.scalar(select(func.count()).select_from(MembershipChange)
                                                 .where(MembershipChange.segment_id == gone["id"])) == 2
    assert api("DELETE", f"/segments/{gone['id']}", org).status_code == 200
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(MembershipChange)
                              .where(MembershipChange.segment_id == gone["id"])) == 0
        assert session.scalar(select(func.count()).select_from(MembershipChange)
                              .where(MembershipChange.segment_id == kept["id"])) == kept_rows
        assert session.scalar(select(func.count()).select_from(SegmentMember)) == 2  # the kept segment's
        org_id = session.scalar(select(Segment.org_id).where(Segment.id == kept["id"]))
        assert set(session.scalars(select(SegmentMember.org_id))) == {org_id}
    assert committed_members(db, kept["id"]) and len(committed_members(db, kept["id"])) == 2
