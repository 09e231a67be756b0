"""Segment revisions (issue 17 item 1): every save is a revision; restore is a new revision, re-evaluated."""

from __future__ import annotations

from sqlalchemy import delete, select

from backend.customers.models import CustomFieldDefinition
from backend.segments.models import SegmentRevision
from tests.backend.segments.conftest import EMAIL, WHATSAPP, people

SCORE = {"combinator": "and", "rules": [{"field": "custom.score", "operator": "gt", "value": 3}]}
THREE = {"combinator": "and", "rules": [{"field": "source", "operator": "is", "value": v}
                                        for v in ("WhatsApp", "Email", "Instagram")]}


def revisions(api, org, seg_id, role="org_admin"):
    r = api("GET", f"/segments/{seg_id}/revisions", org, role)
    assert r.status_code == 200, r.text
    return r.json()


def test_create_and_each_save_are_revisions_newest_first_with_who_when_and_summary(make_org, make_segment, api):
    org = make_org()
    seg = make_segment(org, "WhatsApp people", role="team_lead")
    assert api("PUT", f"/segments/{seg['id']}", org, json={"rules": EMAIL}).status_code == 200
    assert api("PUT", f"/segments/{seg['id']}", org, "team_lead", json={"description": "Mail"}).status_code == 200
    revs = revisions(api, org, seg["id"], "agent")
    assert [r["revision"] for r in revs] == [3, 2, 1]
    assert [r["edited_by"] for r in revs] == ["o1 team_lead", "o1 org_admin", "o1 team_lead"]
    assert revs[2]["rules"] == WHATSAPP and revs[1]["rules"] == EMAIL and revs[0]["description"] == "Mail"
    assert revs[2]["summary"] == "Source is WhatsApp" and revs[1]["summary"] == "Source is Email"
    assert revs[0]["edited_at"] >= revs[1]["edited_at"] >= revs[2]["edited_at"]
    assert {"revision", "name", "rules", "summary", "edited_by", "edited_at"} <= set(revs[0])


def test_a_save_that_changes_nothing_is_no_revision(make_org, make_segment, api):
    org = make_org()
    seg = make_segment(org)
    assert api("PUT", f"/segments/{seg['id']}", org, json={"name": seg["name"], "rules": WHATSAPP}).status_code == 200
    assert len(revisions(api, org, seg["id"])) == 1


def test_restore_is_a_new_revision_and_re_evaluates(make_org, make_segment, api, ingest, run_jobs):
    org = make_org()
    ingest(org, people(("a", "WhatsApp"), ("b", "Email"), ("c", "Email")))
    seg = make_segment(org, "First")
    run_jobs()
    api("PUT", f"/segments/{seg['id']}", org, json={"name": "Second", "rules": EMAIL})
    run_jobs()
    assert api("GET", f"/segments/{seg['id']}", org).json()["member_count"] == 2
    r = api("POST", f"/segments/{seg['id']}/revisions/1/restore", org)
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "First" and r.json()["rules"] == WHATSAPP and r.json()["readiness"] == "not_ready"
    revs = revisions(api, org, seg["id"])
    assert [(x["revision"], x["restored_from"], x["name"]) for x in revs][0] == (3, 1, "First")
    run_jobs()
    assert api("GET", f"/segments/{seg['id']}", org).json()["member_count"] == 1


def test_restore_needs_edit_permission_and_an_existing_revision(make_org, make_segment, api):
    org = make_org()
    seg = make_segment(org)
    api("PUT", f"/segments/{seg['id']}", org, json={"rules": EMAIL})
    assert api("POST", f"/segments/{seg['id']}/revisions/1/restore", org, "agent").status_code == 403
    assert api("POST", f"/segments/{seg['id']}/revisions/9/restore", org).status_code == 404
    other = make_org()
    assert api("GET", f"/segments/{seg['id']}/revisions", other).status_code == 404
    assert len(revisions(api, org, seg["id"])) == 2


def test_restoring_rules_over_a_lowered_limit_is_a_400_and_changes_nothing(make_org, make_segment, api, client):
    org = make_org()
    seg = make_segment(org, rules=THREE)
    api("PUT", f"/segments/{seg['id']}", org, json={"rules": EMAIL})
    r = client.put("/api/v1/admin/settings", headers=org.headers(), json={"max_conditions_per_group": 2})
    assert r.status_code == 200, r.text
    r = api("POST", f"/segments/{seg['id']}/revisions/1/restore", org)
    assert r.status_code == 400 and r.json()["error"]["fields"], r.text
    assert "2" in r.json()["error"]["message"] + str(r.json()["error"]["fields"])
    assert api("GET", f"/segments/{seg['id']}", org).json()["rules"] == EMAIL
    assert len(revisions(api, org, seg["id"])) == 2


def test_restoring_rules_naming_a_deleted_custom_field_is_a_400_naming_it(make_org, make_segment, api, db):
    org = make_org()
    r = api("POST", "/custom-fields", org, json={"key": "score", "label": "Score", "type": "number"})
    assert r.status_code == 201, r.text
    seg = make_segment(org, rules=SCORE)
    api("PUT", f"/segments/{seg['id']}", org, json={"rules": EMAIL})
    with db.session() as s:
        s.execute(delete(CustomFieldDefinition).where(CustomFieldDefinition.org_id == org.id))
    r = api("POST", f"/segments/{seg['id']}/revisions/1/restore", org)
    body = r.json()["error"]
    assert r.status_code == 400 and "custom.score" in body["message"] and "Revision 1" in body["message"], r.text
    assert api("GET", f"/segments/{seg['id']}", org).json()["rules"] == EMAIL
    # The saved summary still reads after the field is gone.
    assert revisions(api, org, seg["id"])[-1]["summary"] == "Score is greater than 3"


def test_a_segment_saved_before_revisions_gets_its_first_revision_lazily(make_org, make_segment, api, db):
    org = make_org()
    seg = make_segment(org, "Old", role="team_lead")
    with db.session() as s:
        s.execute(delete(SegmentRevision))
    assert api("PUT", f"/segments/{seg['id']}", org, json={"rules": EMAIL}).status_code == 200
    revs = revisions(api, org, seg["id"])
    assert [(r["revision"], r["rules"], r["edited_by"]) for r in revs] == [
        (2, EMAIL, "o1 org_admin"), (1, WHATSAPP, "o1 team_lead")]
    with db.session() as s:
        assert set(s.scalars(select(SegmentRevision.org_id))) == {org.id}
