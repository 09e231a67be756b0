"""Node ids on the wire: a node's optional "id" round-trips, so the app can match per-node answers to its rows."""

from __future__ import annotations

from sqlalchemy import func, select

from backend.evaluation.models import EvaluationJob

WITH_IDS = {"combinator": "and", "id": "root", "rules": [
    {"id": "n1", "field": "source", "operator": "is", "value": "WhatsApp"},
    {"id": "g1", "combinator": "or", "rules": [
        {"id": "n2", "field": "province", "operator": "is", "value": "Jakarta"},
        {"id": "n3", "field": "province", "operator": "is", "value": "Bali"}]}]}


def _without_ids(node):
    if isinstance(node, dict):
        return {k: _without_ids(v) for k, v in node.items() if k != "id"}
    return [_without_ids(v) for v in node] if isinstance(node, list) else node


def _queued(db) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(EvaluationJob)
                              .where(EvaluationJob.status == "queued")) or 0


def test_ids_round_trip_through_save_read_list_and_preview(make_org, make_segment, api):
    org = make_org()
    seg = make_segment(org, rules=WITH_IDS)
    assert seg["rules"] == WITH_IDS
    assert api("GET", f"/segments/{seg['id']}", org).json()["rules"] == WITH_IDS
    assert api("GET", "/segments", org).json()["items"][0]["rules"] == WITH_IDS
    assert api("POST", "/segments/preview", org, json={"rules": WITH_IDS}).status_code == 200


def test_a_bad_id_is_named_by_its_path(make_org, api):
    org = make_org()
    rules = {"combinator": "and", "rules": [{"id": "x" * 101, "field": "source", "operator": "is_empty"}]}
    r = api("POST", "/segments/preview", org, json={"rules": rules})
    assert r.status_code == 400
    assert [f["path"] for f in r.json()["error"]["fields"]] == ["rules.rules.0.id"]


def test_new_ids_alone_are_stored_without_a_new_evaluation(make_org, make_segment, api, run_jobs, db):
    org = make_org()
    seg = make_segment(org, rules=_without_ids(WITH_IDS))
    run_jobs()
    r = api("PUT", f"/segments/{seg['id']}", org, json={"rules": WITH_IDS})
    assert r.status_code == 200 and r.json()["rules"] == WITH_IDS
    assert _queued(db) == 0, "the same rules with ids select the same customers"
    changed = {**WITH_IDS, "combinator": "or"}
    api("PUT", f"/segments/{seg['id']}", org, json={"rules": changed})
    assert _queued(db) == 1
