"""Administration: roles and levels, users, settings, alerts, API tokens — for admins only."""

from __future__ import annotations

import pytest

from backend.admin import events
from backend.admin.alerts import EVALUATION_FAILED, record_alert
from tests.conftest import PASSWORD

ADMIN_ENDPOINTS = [
    ("GET", "/api/v1/admin/roles", None),
    ("POST", "/api/v1/admin/roles", {"name": "X", "copy_from": 1}),
    ("PUT", "/api/v1/admin/roles/1", {"name": "Y"}),
    ("DELETE", "/api/v1/admin/roles/1", None),
    ("GET", "/api/v1/admin/users", None),
    ("POST", "/api/v1/admin/users", {"username": "u", "role_id": 1, "password": PASSWORD}),
    ("PUT", "/api/v1/admin/users/1", {"active": False}),
    ("POST", "/api/v1/admin/users/1/reset-password", {"password": PASSWORD}),
    ("GET", "/api/v1/admin/settings", None),
    ("PUT", "/api/v1/admin/settings", {"refresh_time": "09:00"}),
    ("GET", "/api/v1/admin/alerts", None),
    ("POST", "/api/v1/admin/alerts/1/read", None),
    ("GET", "/api/v1/admin/api-tokens", None),
    ("POST", "/api/v1/admin/api-tokens", {"name": "svc"}),
    ("DELETE", "/api/v1/admin/api-tokens/1", None),
]


def roles_by_key(client, org) -> dict[str, dict]:
    return {r["key"]: r for r in client.get("/api/v1/admin/roles", headers=org.headers()).json()}


def users_by_name(client, org) -> dict[str, dict]:
    return {u["username"]: u for u in client.get("/api/v1/admin/users", headers=org.headers()).json()}


@pytest.mark.parametrize("role", ["team_lead", "agent"])
def test_non_admins_get_403_on_every_admin_endpoint(client, make_org, role):
    org = make_org()
    for method, path, body in ADMIN_ENDPOINTS:
        r = client.request(method, path, json=body, headers=org.headers(role))
        assert r.status_code == 403, (method, path, r.text)
        assert r.json()["error"]["code"] == "forbidden"


def test_admin_sees_default_roles_with_levels_and_user_counts(client, make_org):
    org = make_org()
    roles = roles_by_key(client, org)
    assert set(roles) == {"org_admin", "team_lead", "agent"}
    assert roles["team_lead"]["permissions"]["customers_segment_manage"] == "owned"
    assert all(r["user_count"] == 1 for r in roles.values())


def test_a_level_change_takes_effect_on_the_next_request_of_affected_users(client, make_org):
    org = make_org()
    agent_role = roles_by_key(client, org)["agent"]
    before = client.get("/api/v1/me", headers=org.headers("agent")).json()["permissions"]
    assert before["customers_segment_add"] == "disabled"
    r = client.put(f"/api/v1/admin/roles/{agent_role['id']}", headers=org.headers(),
                   json={"permissions": {"customers_segment_add": "all", "customers_customers_view": "all"}})
    assert r.status_code == 200, r.text
    after = client.get("/api/v1/me", headers=org.headers("agent")).json()["permissions"]
    assert after["customers_segment_add"] == "all" and after["customers_customers_view"] == "all"


def test_unknown_permission_key_or_level_is_400_naming_it_and_nothing_changes(client, make_org):
    org = make_org()
    lead = roles_by_key(client, org)["team_lead"]
    r = client.put(f"/api/v1/admin/roles/{lead['id']}", headers=org.headers(),
                   json={"permissions": {"customers_segment_view": "owned", "customers_fly": "all"}})
    assert r.status_code == 400
    assert [f["path"] for f in r.json()["error"]["fields"]] == ["permissions.customers_fly"]
    r = client.put(f"/api/v1/admin/roles/{lead['id']}", headers=org.headers(),
                   json={"permissions": {"customers_customers_view": "disabled"}})
    assert r.status_code == 400
    assert roles_by_key(client, org)["team_lead"]["permissions"]["customers_segment_view"] == "all"


def test_custom_role_copies_levels_and_is_deleted_only_when_unused(client, make_org):
    org = make_org()
    lead = roles_by_key(client, org)["team_lead"]
    r = client.post("/api/v1/admin/roles", headers=org.headers(), json={"name": "Campaign Manager",
                                                                       "copy_from": lead["id"]})
    assert r.status_code == 201
    custom = r.json()
    assert custom["permissions"] == lead["permissions"] and custom["is_default"] is False
    dup = client.post("/api/v1/admin/roles", headers=org.headers(), json={"name": "campaign manager",
                                                                         "copy_from": lead["id"]})
    assert dup.status_code == 400 and dup.json()["error"]["fields"][0]["path"] == "name"
    r = client.post("/api/v1/admin/users", headers=org.headers(),
                    json={"username": "cm", "role_id": custom["id"], "password": PASSWORD})
    assert r.status_code == 201
    assert client.delete(f"/api/v1/admin/roles/{custom['id']}", headers=org.headers()).status_code == 409
    client.put(f"/api/v1/admin/users/{r.json()['id']}", headers=org.headers(), json={"role_id": lead["id"]})
    assert client.delete(f"/api/v1/admin/roles/{custom['id']}", headers=org.headers()).status_code == 204
    assert "campaign_manager" not in roles_by_key(client, org)


def test_another_orgs_role_user_token_and_alert_are_404(client, make_org, db):
    a, b = make_org(), make_org()
    role_b = roles_by_key(client, b)["agent"]
    user_b = users_by_name(client, b)["o2_agent"]
    token_b = client.post("/api/v1/admin/api-tokens", headers=b.headers(), json={"name": "b"}).json()
    with db.session() as session:
        alert_b = record_alert(session, org_id=b.id, kind=EVALUATION_FAILED, message="x").id
    assert client.put(f"/api/v1/admin/roles/{role_b['id']}", headers=a.headers(), json={"name": "Z"}).status_code == 404
    assert client.delete(f"/api/v1/admin/roles/{role_b['id']}", headers=a.headers()).status_code == 404
    assert client.put(f"/api/v1/admin/users/{user_b['id']}", headers=a.headers(),
                      json={"active": False}).status_code == 404
    assert client.post(f"/api/v1/admin/users/{user_b['id']}/reset-password", headers=a.headers(),
                       json={"password": PASSWORD}).status_code == 404
    assert client.delete(f"/api/v1/admin/api-tokens/{token_b['id']}", headers=a.headers()).status_code == 404
    assert client.post(f"/api/v1/admin/alerts/{alert_b}/read", headers=a.headers()).status_code == 404
    assert "o2_agent" not in users_by_name(client, a)


def test_create_user_validates_and_keeps_usernames_unique_across_the_server(client, make_org):
    a, b = make_org(), make_org()
    agent = roles_by_key(client, a)["agent"]
    r = client.post("/api/v1/admin/users", headers=a.headers(),
                    json={"username": "o2_agent", "role_id": agent["id"], "password": PASSWORD})
    assert r.status_code == 400 and r.json()["error"]["fields"][0]["path"] == "username"
    r = client.post("/api/v1/admin/users", headers=a.headers(),
                    json={"username": "new", "role_id": agent["id"], "password": "short"})
    assert r.status_code == 400 and r.json()["error"]["fields"][0]["path"] == "password"
    role_b = roles_by_key(client, b)["agent"]
    r = client.post("/api/v1/admin/users", headers=a.headers(),
                    json={"username": "new", "role_id": role_b["id"], "password": PASSWORD})
    assert r.status_code == 400 and r.json()["error"]["fields"][0]["path"] == "role_id"
    r = client.post("/api/v1/admin/users", headers=a.headers(),
                    json={"username": "new", "display_name": "New Person", "role_id": agent["id"],
                          "password": PASSWORD})
    assert r.status_code == 201 and r.json()["display_name"] == "New Person"
    assert client.post("/api/v1/auth/login", json={"username": "new", "password": PASSWORD}).status_code == 200


def test_deactivating_a_user_stops_their_tokens_at_once(client, make_org):
    org = make_org()
    agent = users_by_name(client, org)["o1_agent"]
    api = client.post("/api/v1/auth/api-tokens", headers=org.headers("agent"), json={"name": "mine"}).json()
    r = client.put(f"/api/v1/admin/users/{agent['id']}", headers=org.headers(), json={"active": False})
    assert r.status_code == 200 and r.json()["active"] is False
    assert client.get("/api/v1/me", headers=org.headers("agent")).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {api['token']}"}).status_code == 401
    assert client.post("/api/v1/auth/login", json={"username": "o1_agent", "password": PASSWORD}).status_code == 401


def test_reset_password_replaces_the_old_one_and_signs_the_user_out(client, make_org):
    org = make_org()
    lead = users_by_name(client, org)["o1_team_lead"]
    r = client.post(f"/api/v1/admin/users/{lead['id']}/reset-password", headers=org.headers(),
                    json={"password": "weak"})
    assert r.status_code == 400
    r = client.post(f"/api/v1/admin/users/{lead['id']}/reset-password", headers=org.headers(),
                    json={"password": "Brand-new-pass-2"})
    assert r.status_code == 204
    assert client.get("/api/v1/me", headers=org.headers("team_lead")).status_code == 401
    assert client.post("/api/v1/auth/login", json={"username": "o1_team_lead", "password": PASSWORD}).status_code == 401
    assert client.post("/api/v1/auth/login",
                       json={"username": "o1_team_lead", "password": "Brand-new-pass-2"}).status_code == 200


def test_the_last_org_admin_cannot_be_removed_or_demote_themselves(client, make_org):
    org = make_org()
    me = users_by_name(client, org)["o1_org_admin"]
    agent_role = roles_by_key(client, org)["agent"]
    for change in ({"active": False}, {"role_id": agent_role["id"]}):
        r = client.put(f"/api/v1/admin/users/{me['id']}", headers=org.headers(), json=change)
        assert r.status_code == 409, r.text
        assert "at least one active Org Admin" in r.json()["error"]["message"]
    assert users_by_name(client, org)["o1_org_admin"]["role"] == "org_admin"
    # With a second admin, the first may step down.
    admin_role = roles_by_key(client, org)["org_admin"]
    lead = users_by_name(client, org)["o1_team_lead"]
    client.put(f"/api/v1/admin/users/{lead['id']}", headers=org.headers(), json={"role_id": admin_role["id"]})
    r = client.put(f"/api/v1/admin/users/{me['id']}", headers=org.headers(), json={"role_id": agent_role["id"]})
    assert r.status_code == 200
    assert client.delete(f"/api/v1/admin/roles/{admin_role['id']}",
                         headers=org.headers("team_lead")).status_code == 409


def test_settings_are_validated_field_by_field_and_nothing_is_half_applied(client, make_org):
    org = make_org()
    r = client.put("/api/v1/admin/settings", headers=org.headers(),
                   json={"timezone": "Mars/Olympus", "refresh_time": "8am", "max_groups": 0,
                         "max_conditions_per_group": 4})
    assert r.status_code == 400
    assert sorted(f["path"] for f in r.json()["error"]["fields"]) == ["max_groups", "refresh_time", "timezone"]
    settings = client.get("/api/v1/admin/settings", headers=org.headers()).json()
    assert settings["max_conditions_per_group"] == 3 and settings["refresh_time"] == "08:00"
    r = client.put("/api/v1/admin/settings", headers=org.headers(),
                   json={"timezone": "Asia/Makassar", "refresh_time": "06:30", "max_groups": 3})
    assert r.status_code == 200
    body = r.json()
    assert (body["timezone"], body["refresh_time"], body["max_groups"], body["package"]) == \
        ("Asia/Makassar", "06:30", 3, "ultimate")
    me = client.get("/api/v1/me", headers=org.headers("agent")).json()["organisation"]
    assert me["max_groups"] == 3 and me["timezone"] == "Asia/Makassar"


def test_settings_change_is_announced_for_rescheduling(client, make_org):
    org = make_org()
    seen: list[int] = []
    events.subscribe(seen.append)
    try:
        client.put("/api/v1/admin/settings", headers=org.headers(), json={"refresh_time": "07:15"})
    finally:
        events.unsubscribe(seen.append)
    assert seen == [org.id]


def test_package_cannot_be_changed_through_settings(client, make_org):
    org = make_org(package="plus")
    r = client.put("/api/v1/admin/settings", headers=org.headers(), json={"package": "360"})
    assert r.status_code == 200
    assert client.get("/api/v1/admin/settings", headers=org.headers()).json()["package"] == "plus"


def test_alerts_are_listed_newest_first_and_marked_read(client, make_org, db):
    org = make_org()
    with db.session() as session:
        record_alert(session, org_id=org.id, kind="evaluation_skipped", message="Budget reached", segment_id=7)
        second = record_alert(session, org_id=org.id, kind=EVALUATION_FAILED, message="Boom", segment_id=8).id
    alerts = client.get("/api/v1/admin/alerts", headers=org.headers()).json()
    assert {a["message"] for a in alerts} == {"Budget reached", "Boom"}
    r = client.post(f"/api/v1/admin/alerts/{second}/read", headers=org.headers())
    assert r.status_code == 200 and r.json()["read_at"] is not None
    unread = client.get("/api/v1/admin/alerts?unread=true", headers=org.headers()).json()
    assert [a["message"] for a in unread] == ["Budget reached"]


def test_admin_api_tokens_show_the_secret_once_list_and_revoke(client, make_org, db):
    from sqlalchemy import select

    from backend.auth.models import AccessToken

    org = make_org()
    created = client.post("/api/v1/admin/api-tokens", headers=org.headers(), json={"name": "crm sync"}).json()
    assert created["token"].startswith("ssa_")
    with db.session() as session:
        stored = session.scalars(select(AccessToken.token_hash).where(AccessToken.id == created["id"])).one()
    assert created["token"] not in stored
    client.get("/api/v1/me", headers={"Authorization": f"Bearer {created['token']}"})
    listed = client.get("/api/v1/admin/api-tokens", headers=org.headers()).json()
    assert [(t["name"], t["username"]) for t in listed] == [("crm sync", "o1_org_admin")]
    assert listed[0]["last_used_at"] is not None and "token" not in listed[0]
    assert client.delete(f"/api/v1/admin/api-tokens/{created['id']}", headers=org.headers()).status_code == 204
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {created['token']}"}).status_code == 401


def test_alerts_name_their_segment(client, make_org, db):
    org = make_org()
    seg = client.post("/api/v1/segments", headers=org.headers(), json={"name": "Churn risk", "rules": {
        "combinator": "and", "rules": [{"field": "source", "operator": "is", "value": "WhatsApp"}]}}).json()
    with db.session() as session:
        record_alert(session, org_id=org.id, kind=EVALUATION_FAILED, message="Boom", segment_id=seg["id"])
        record_alert(session, org_id=org.id, kind=EVALUATION_FAILED, message="Gone", segment_id=seg["id"] + 1000)
    by_message = {a["message"]: a for a in client.get("/api/v1/admin/alerts", headers=org.headers()).json()}
    assert by_message["Boom"]["segment_name"] == "Churn risk"
    assert by_message["Gone"]["segment_name"] is None
