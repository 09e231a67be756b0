"""Segment CRUD (issue items 1 and 13): names, descriptions, duplicate, archive, edit, delete, quota."""

from __future__ import annotations

from tests.backend.segments.conftest import EMAIL, WHATSAPP

LIMIT = "Segment limit reached. Delete an existing segment to create a new one."


def paths(r) -> list[str]:
    return [f["path"] for f in r.json()["error"].get("fields", [])]


def test_create_answers_201_with_every_field_of_the_segment_object(make_org, make_segment):
    org = make_org()
    seg = make_segment(org, "WhatsApp people")
    assert {"id", "name", "description", "rules", "status", "readiness", "member_count", "last_evaluated_at",
            "created_by", "created_at"} <= set(seg)
    assert seg["status"] == "active" and seg["readiness"] == "pending" and seg["description"] is None
    assert seg["created_by"] == "o1 org_admin" and seg["rules"] == WHATSAPP


def test_name_is_required_and_at_most_60_characters(make_org, api):
    org = make_org()
    for body in ({"rules": WHATSAPP}, {"name": "   ", "rules": WHATSAPP}, {"name": "x" * 61, "rules": WHATSAPP}):
        r = api("POST", "/segments", org, json=body)
        assert r.status_code == 400 and paths(r) == ["name"], r.text
    assert api("POST", "/segments", org, json={"name": "x" * 60, "rules": WHATSAPP}).status_code == 201


def test_description_is_optional_and_at_most_250_characters(make_org, api):
    org = make_org()
    r = api("POST", "/segments", org, json={"name": "a", "description": "d" * 251, "rules": WHATSAPP})
    assert r.status_code == 400 and paths(r) == ["description"]
    r = api("POST", "/segments", org, json={"name": "a", "description": "d" * 250, "rules": WHATSAPP})
    assert r.status_code == 201 and r.json()["description"] == "d" * 250


def test_invalid_rules_are_a_400_naming_the_rule(make_org, api):
    org = make_org()
    bad = {"combinator": "and", "rules": [{"field": "no_such_field", "operator": "is", "value": "x"}]}
    r = api("POST", "/segments", org, json={"name": "a", "rules": bad})
    assert r.status_code == 400
    assert all(p.startswith("rules") for p in paths(r)) and paths(r)


def test_malformed_json_and_wrong_types_are_400_never_422(make_org, client):
    org = make_org()
    r = client.post("/api/v1/segments", content=b'{"name": "broken', headers=org.headers())
    assert r.status_code == 400 and r.json()["error"]["code"]
    r = client.post("/api/v1/segments", json={"name": 5, "rules": []}, headers=org.headers())
    assert r.status_code == 400 and r.json()["error"]["fields"]


def test_duplicate_is_named_copy_of_and_kept_within_60(make_org, make_segment, api):
    org = make_org()
    seg = make_segment(org, "N" * 58, description="why")
    r = api("POST", f"/segments/{seg['id']}/duplicate", org)
    assert r.status_code == 201
    copy = r.json()
    assert copy["name"] == ("Copy of " + "N" * 58)[:60] and len(copy["name"]) == 60
    assert copy["rules"] == seg["rules"] and copy["description"] == "why" and copy["id"] != seg["id"]
    short = make_segment(org, "Buyers")
    assert api("POST", f"/segments/{short['id']}/duplicate", org).json()["name"] == "Copy of Buyers"


def test_archive_and_unarchive_change_the_status(make_org, make_segment, api):
    org = make_org()
    seg = make_segment(org)
    r = api("POST", f"/segments/{seg['id']}/archive", org)
    assert r.status_code == 200 and r.json()["status"] == "archived" and r.json()["archived_at"]
    r = api("POST", f"/segments/{seg['id']}/unarchive", org)
    assert r.status_code == 200 and r.json()["status"] == "active" and r.json()["archived_at"] is None


def test_edit_changes_name_description_and_rules(make_org, make_segment, api):
    org = make_org()
    seg = make_segment(org, description="first")
    r = api("PUT", f"/segments/{seg['id']}", org, json={"name": "Email people", "rules": EMAIL})
    assert r.status_code == 200
    body = r.json()
    assert body["name"] == "Email people" and body["rules"] == EMAIL and body["description"] == "first"
    r = api("PUT", f"/segments/{seg['id']}", org, json={"description": None})
    assert r.json()["description"] is None and r.json()["name"] == "Email people"
    r = api("PUT", f"/segments/{seg['id']}", org, json={"name": ""})
    assert r.status_code == 400 and paths(r) == ["name"]


def test_an_archived_segment_must_be_unarchived_before_editing(make_org, make_segment, api):
    org = make_org()
    seg = make_segment(org)
    api("POST", f"/segments/{seg['id']}/archive", org)
    assert api("PUT", f"/segments/{seg['id']}", org, json={"name": "x"}).status_code == 409


def test_delete_removes_the_segment(make_org, make_segment, api):
    org = make_org()
    seg = make_segment(org)
    assert api("DELETE", f"/segments/{seg['id']}", org).status_code == 200
    assert api("GET", f"/segments/{seg['id']}", org).status_code == 404


def test_unknown_and_malformed_ids_are_404_or_400_in_the_error_shape(make_org, api):
    org = make_org()
    r = api("GET", "/segments/999999", org)
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    r = api("GET", "/segments/not-an-id", org)
    assert r.status_code in (400, 404) and r.json()["error"]["message"]


def test_another_organisations_segment_is_a_404(make_org, make_segment, api):
    mine, theirs = make_org(), make_org()
    seg = make_segment(theirs)
    for method, path in (("GET", ""), ("PUT", ""), ("DELETE", ""), ("POST", "/archive"), ("POST", "/refresh"),
                         ("GET", "/members")):
        r = api(method, f"/segments/{seg['id']}{path}", mine, json={"name": "x"} if method == "PUT" else None)
        assert r.status_code == 404, (method, path, r.text)


def test_plus_allows_five_active_segments_then_409(make_org, make_segment, api):
    org = make_org(package="plus")
    made = [make_segment(org, f"s{i}") for i in range(5)]
    r = api("POST", "/segments", org, json={"name": "sixth", "rules": WHATSAPP})
    assert r.status_code == 409 and r.json()["error"]["message"] == LIMIT
    assert api("POST", f"/segments/{made[0]['id']}/duplicate", org).status_code == 409
    # Archiving frees a slot; unarchiving it again while full is refused.
    api("POST", f"/segments/{made[0]['id']}/archive", org)
    assert api("POST", "/segments", org, json={"name": "sixth", "rules": WHATSAPP}).status_code == 201
    r = api("POST", f"/segments/{made[0]['id']}/unarchive", org)
    assert r.status_code == 409 and r.json()["error"]["message"] == LIMIT
    # Deleting one makes room again.
    api("DELETE", f"/segments/{made[1]['id']}", org)
    assert api("POST", f"/segments/{made[0]['id']}/unarchive", org).status_code == 200


def test_ultimate_has_no_segment_limit(make_org, make_segment, api):
    org = make_org(package="ultimate")
    for i in range(7):
        make_segment(org, f"s{i}")
    assert api("GET", "/segments", org).json()["total"] == 7


def test_starter_has_no_segmentation(make_org, api):
    org = make_org(package="starter")
    r = api("POST", "/segments", org, json={"name": "a", "rules": WHATSAPP})
    assert r.status_code == 403
    assert api("GET", "/segments", org).status_code == 403
