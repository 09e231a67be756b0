"""An administrator's level change decides, on the very next request, what a user sees and may do."""

from __future__ import annotations

from tests.backend.segments.conftest import people


def role_id(api, org, key: str) -> int:
    return next(r["id"] for r in api("GET", "/admin/roles", org).json() if r["key"] == key)


def set_levels(api, org, key: str, **levels: str) -> None:
    r = api("PUT", f"/admin/roles/{role_id(api, org, key)}", org, json={"permissions": levels})
    assert r.status_code == 200, r.text


def test_agent_members_widen_from_owned_to_all_when_the_level_changes(api, make_org, ingest, make_segment, run_jobs):
    org = make_org()
    ingest(org, [{**p, "owner": "o1_agent"} if p["id"] == "k1" else p
                 for p in people(("k1", "WhatsApp"), ("k2", "WhatsApp"), ("k3", "WhatsApp"))])
    seg = make_segment(org)
    run_jobs()
    owned = api("GET", f"/segments/{seg['id']}/members", org, "agent").json()
    assert (owned["total_matched"], owned["visible"], [m["id"] for m in owned["items"]]) == (3, 1, ["k1"])
    set_levels(api, org, "agent", customers_customers_view="all")
    everyone = api("GET", f"/segments/{seg['id']}/members", org, "agent").json()
    assert (everyone["total_matched"], everyone["visible"]) == (3, 3)


def test_team_lead_sees_only_their_own_segments_once_view_is_owned(api, make_org, make_segment):
    org = make_org()
    mine = make_segment(org, "Lead's segment", role="team_lead")
    theirs = make_segment(org, "Admin's segment")
    names = {s["name"] for s in api("GET", "/segments", org, "team_lead").json()["items"]}
    assert names == {"Lead's segment", "Admin's segment"}
    set_levels(api, org, "team_lead", customers_segment_view="owned")
    listed = api("GET", "/segments", org, "team_lead").json()
    assert [s["name"] for s in listed["items"]] == ["Lead's segment"] and listed["total"] == 1
    assert api("GET", f"/segments/{theirs['id']}", org, "team_lead").status_code == 404
    assert api("GET", f"/segments/{mine['id']}", org, "team_lead").status_code == 200


def test_disabling_add_stops_creation_and_enabling_manage_allows_editing(api, make_org, make_segment):
    org = make_org()
    set_levels(api, org, "team_lead", customers_segment_add="disabled")
    body = {"name": "Nope", "rules": {"combinator": "and",
                                      "rules": [{"field": "source", "operator": "is", "value": "Email"}]}}
    assert api("POST", "/segments", org, "team_lead", json=body).status_code == 403
    admins = make_segment(org, "Admin's segment")
    assert api("PUT", f"/segments/{admins['id']}", org, "team_lead", json={"name": "Renamed"}).status_code == 403
    set_levels(api, org, "team_lead", customers_segment_manage="all")
    r = api("PUT", f"/segments/{admins['id']}", org, "team_lead", json={"name": "Renamed"})
    assert r.status_code == 200 and r.json()["name"] == "Renamed"


def test_a_lowered_limit_keeps_saved_segments_valid_and_editable_but_new_edits_must_fit(api, make_org, make_segment,
                                                                                       run_jobs):
    org = make_org()
    cond = {"field": "source", "operator": "is", "value": "WhatsApp"}
    three = {"combinator": "and", "rules": [cond, {**cond, "value": "Email"}, {**cond, "value": "Instagram"}]}
    seg = make_segment(org, "Three conditions", rules={**three, "combinator": "or"})
    r = api("PUT", "/admin/settings", org, json={"max_conditions_per_group": 2})
    assert r.status_code == 200
    run_jobs()
    assert api("GET", f"/segments/{seg['id']}", org).json()["readiness"] == "ready"
    # Changing a value keeps the saved shape: allowed.
    edited = {"combinator": "or", "rules": [cond, {**cond, "value": "Email"}, {**cond, "value": "Website"}]}
    r = api("PUT", f"/segments/{seg['id']}", org, json={"rules": edited})
    assert r.status_code == 200, r.text
    # Growing past both the saved shape and the new limit: refused, naming the group.
    grown = {"combinator": "or", "rules": edited["rules"] + [{**cond, "value": "Facebook"}]}
    r = api("PUT", f"/segments/{seg['id']}", org, json={"rules": grown})
    assert r.status_code == 400 and r.json()["error"]["fields"][0]["path"] == "rules.rules"
    # A new segment must fit the new limit.
    r = api("POST", "/segments", org, json={"name": "New", "rules": three})
    assert r.status_code == 400
