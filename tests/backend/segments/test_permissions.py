"""Permission matrix (issue item 13): every segment endpoint × each key × all/owned/disabled × own/other's.

The agent role is given every segment key at "all" except the key under test; "owned" means the
segments the caller created. A segment the caller may not see is a 404; an action the caller may
not take on a segment they can see is a 403.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from backend.auth.models import RolePermission, User
from backend.auth.permissions import SEGMENT_ADD, SEGMENT_ARCHIVED, SEGMENT_MANAGE, SEGMENT_VIEW
from backend.campaigns.service import ensure_demo_templates

KEYS = {"view": SEGMENT_VIEW, "add": SEGMENT_ADD, "manage": SEGMENT_MANAGE, "archived": SEGMENT_ARCHIVED}

# (method, path, the key the action needs besides seeing the segment, success status, body)
ON_SEGMENT = [
    ("GET", "/segments/{id}", None, 200, None),
    ("GET", "/segments/{id}/members", None, 200, None),
    ("GET", "/segments/{id}/summary", None, 200, None),
    ("GET", "/segments/{id}/performance?range=7d", None, 200, None),
    ("GET", "/segments/{id}/evaluations", None, 200, None),
    ("GET", "/segments/{id}/events", None, 200, None),
    ("GET", "/segments/{id}/export?format=csv", None, 200, None),
    ("GET", "/segments/{id}/campaign-estimate?channel=email", None, 200, None),
    ("POST", "/segments/{id}/recipient-lists", "add", 201, "recipients"),
    ("POST", "/segments/{id}/refresh", None, 202, None),
    ("PUT", "/segments/{id}", "manage", 200, {"description": "changed"}),
    ("POST", "/segments/{id}/duplicate", "add", 201, None),
    ("POST", "/segments/{id}/archive", "archived", 200, None),
    ("POST", "/segments/{id}/unarchive", "archived", 200, None),
    ("DELETE", "/segments/{id}", "manage", 200, None),
]
RULES = {"combinator": "and", "rules": [{"field": "source", "operator": "is", "value": "WhatsApp"}]}


def _allowed(level: str, owner_is_me: bool) -> bool:
    return level == "all" or (level == "owned" and owner_is_me)


def expected(levels: dict[str, str], needs: str | None, success: int, owner_is_me: bool) -> int:
    if levels["view"] == "disabled":
        return 403
    if not _allowed(levels["view"], owner_is_me):
        return 404
    if needs == "add":
        return success if levels["add"] != "disabled" else 403
    if needs is not None and not _allowed(levels[needs], owner_is_me):
        return 403
    return success


def _set_levels(db, levels: dict[str, str]) -> None:
    with db.session() as session:
        role_id = session.scalar(select(User.role_id).where(User.username == "o1_agent"))
        for key, level in levels.items():
            session.execute(update(RolePermission).where(RolePermission.role_id == role_id,
                                                         RolePermission.key == KEYS[key]).values(level=level))


@pytest.mark.parametrize("key", list(KEYS))
@pytest.mark.parametrize("level", ["all", "owned", "disabled"])
def test_permission_matrix(key, level, make_org, api, ingest, run_jobs, db):
    org = make_org()
    levels = {k: "all" for k in KEYS}
    levels[key] = level
    with db.session() as session:
        ensure_demo_templates(session, org.id)
    ingest(org, [{"id": "k1", "full_name": "Ani", "source": "WhatsApp", "email": "ani@example.com",
                  "owner": "o1_agent"}])
    template = next(t for t in api("GET", "/campaign-templates?channel=email", org).json() if not t["variables"])
    _set_levels(db, {k: "all" for k in KEYS})
    segments = {}
    for owner, role in (("mine", "agent"), ("other", "org_admin")):
        # The agent creates its own segment while it still has every key.
        r = api("POST", "/segments", org, role, json={"name": f"{owner} segment", "rules": RULES})
        assert r.status_code == 201, r.text
        segments[owner] = r.json()["id"]
    run_jobs()
    lists = {owner: api("POST", f"/segments/{sid}/recipient-lists", org,
                        json={"channel": "email", "template_id": template["id"]}).json()["id"]
             for owner, sid in segments.items()}
    _set_levels(db, {key: level})

    def check(method: str, path: str, want: int, body=None) -> None:
        r = api(method, path, org, "agent", json=body)
        assert r.status_code == want, (key, level, method, path, r.status_code, r.text)
        if r.status_code >= 400:
            assert r.json()["error"]["code"]

    view_any = 403 if levels["view"] == "disabled" else 200
    check("GET", "/segments", view_any)
    check("GET", "/segment-events", view_any)
    check("GET", "/campaign-templates", view_any)
    check("GET", "/customers/k1/segments", view_any)
    check("POST", "/segments", 403 if levels["add"] == "disabled" else 201, {"name": "new", "rules": RULES})
    if levels["view"] == "owned":
        listed = [s["id"] for s in api("GET", "/segments", org, "agent").json()["items"]]
        assert segments["other"] not in listed and segments["mine"] in listed
    for owner, sid in segments.items():
        mine = owner == "mine"
        check("GET", f"/recipient-lists/{lists[owner]}", expected(levels, None, 200, mine))
        for method, path, needs, success, body in ON_SEGMENT:
            if body == "recipients":
                body = {"channel": "email", "template_id": template["id"]}
            check(method, path.format(id=sid), expected(levels, needs, success, mine), body)
