"""Sign-in, tokens, throttling and /me."""

from __future__ import annotations

from datetime import timedelta

from backend.auth import service
from backend.auth.models import AccessToken
from backend.db import utcnow
from tests.conftest import PASSWORD


def test_every_endpoint_but_health_needs_a_token(client):
    assert client.get("/health").status_code == 200
    r = client.get("/api/v1/me")
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "unauthorized"
    r = client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"})
    assert r.status_code == 401


def test_login_returns_an_expiring_bearer_token(client, make_org):
    org = make_org()
    r = client.post("/api/v1/auth/login", json={"username": "o1_org_admin", "password": PASSWORD})
    body = r.json()
    assert r.status_code == 200
    assert body["token_type"] == "bearer" and body["access_token"] and body["expires_at"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"}).json()
    assert me["user"]["username"] == "o1_org_admin"
    assert me["organisation"]["id"] == org.id


def test_wrong_password_is_401_in_the_error_shape(client, make_org):
    make_org()
    r = client.post("/api/v1/auth/login", json={"username": "o1_agent", "password": "nope"})
    assert r.status_code == 401
    assert set(r.json()["error"]) >= {"code", "message"}


def test_logout_revokes_the_token(client, make_org):
    org = make_org()
    assert client.post("/api/v1/auth/logout", headers=org.headers()).status_code == 204
    assert client.get("/api/v1/me", headers=org.headers()).status_code == 401


def test_an_expired_token_is_refused(client, make_org, db):
    org = make_org()
    with db.session() as session:
        for tok in session.query(AccessToken).all():
            tok.expires_at = utcnow() - timedelta(seconds=1)
    r = client.get("/api/v1/me", headers=org.headers())
    assert r.status_code == 401
    assert "expired" in r.json()["error"]["message"]


def test_repeated_failed_logins_are_throttled_with_retry_after(client, make_org):
    make_org()
    for _ in range(5):
        assert client.post("/api/v1/auth/login", json={"username": "o1_agent", "password": "bad"}).status_code == 401
    r = client.post("/api/v1/auth/login", json={"username": "o1_agent", "password": PASSWORD})
    assert r.status_code == 429
    assert int(r.headers["Retry-After"]) > 0
    # Another username is not affected.
    assert client.post("/api/v1/auth/login", json={"username": "o1_team_lead", "password": PASSWORD}).status_code == 200


def test_api_tokens_are_long_lived_listed_and_revocable(client, make_org):
    org = make_org()
    r = client.post("/api/v1/auth/api-tokens", json={"name": "campaign service"}, headers=org.headers())
    assert r.status_code == 201
    created = r.json()
    api_headers = {"Authorization": f"Bearer {created['token']}"}
    assert client.get("/api/v1/me", headers=api_headers).status_code == 200
    listed = client.get("/api/v1/auth/api-tokens", headers=org.headers()).json()
    assert [t["name"] for t in listed] == ["campaign service"]
    assert listed[0]["last_used_at"] is not None
    assert "token" not in listed[0]
    assert client.delete(f"/api/v1/auth/api-tokens/{created['id']}", headers=org.headers()).status_code == 204
    assert client.get("/api/v1/me", headers=api_headers).status_code == 401


def test_another_orgs_api_token_cannot_be_revoked(client, make_org):
    a, b = make_org(), make_org()
    created = client.post("/api/v1/auth/api-tokens", json={"name": "x"}, headers=a.headers()).json()
    assert client.delete(f"/api/v1/auth/api-tokens/{created['id']}", headers=b.headers()).status_code == 404


def test_me_states_package_facts_and_effective_permissions(client, make_org):
    org = make_org(package="plus")
    me = client.get("/api/v1/me", headers=org.headers("agent")).json()
    assert me["package"] == {"tier": "plus", "segmentation": True, "max_active_segments": 5,
                             "use_case_fields": False}
    assert me["permissions"] == {
        "customers_segment_view": "all", "customers_segment_add": "disabled",
        "customers_segment_manage": "disabled", "customers_segment_archived": "disabled",
        "customers_customers_view": "owned",
    }
    lead = client.get("/api/v1/me", headers=org.headers("team_lead")).json()
    assert lead["permissions"]["customers_segment_add"] == "all"
    assert lead["permissions"]["customers_segment_manage"] == "owned"


def test_usernames_are_unique_across_organisations(db, make_org):
    import pytest

    from backend.errors import ApiError

    make_org()
    other = make_org()
    with pytest.raises(ApiError) as exc, db.session() as session:
        service.create_user(session, org_id=other.id, username="O1_AGENT", password=PASSWORD, role="agent")
    assert exc.value.fields[0].path == "username"


def test_password_policy_needs_twelve_characters():
    from backend.auth.passwords import password_problem

    assert password_problem("short1!") is not None
    assert password_problem("Longenough-1") is None


def test_a_nul_character_in_a_login_is_a_clear_401_or_400_never_a_500(client, make_org):
    make_org()
    r = client.post("/api/v1/auth/login", json={"username": "o1_agent\u0000", "password": "x"})
    assert r.status_code in (400, 401)
    assert r.json()["error"]["message"]
