"""Recipient lists (issue 13, item 1): creating one needs the add permission; their rows are read like members
(owned-only customer views see their own customers, of any list); an organisation keeps its newest lists, each
for a number of days (both org settings)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from backend.auth.models import RolePermission, User
from backend.auth.permissions import SEGMENT_ADD
from backend.campaigns.models import RecipientList, RecipientListRow
from backend.campaigns.service import ensure_demo_templates
from backend.db import utcnow


def _setup(db, make_org, ingest, make_segment, run_jobs):
    org = make_org()
    with db.session() as session:
        ensure_demo_templates(session, org.id)
    ingest(org, [
        {"id": "a", "full_name": "Ani", "source": "WhatsApp", "phone": "+62811", "owner": "o1_agent",
         "email": "ani@example.com", "date_of_birth": "1990-02-03", "has_chatroom": True},
        {"id": "b", "full_name": "Budi", "source": "WhatsApp", "phone": "+62812", "email": "budi@example.com",
         "has_chatroom": True},
        {"id": "c", "full_name": "Citra", "source": "WhatsApp", "phone": "+62813", "assignee": "o1_agent",
         "has_chatroom": True},
    ])
    segment = make_segment(org)
    run_jobs()
    return org, segment


def _plain_template(api, org) -> int:
    return next(t["id"] for t in api("GET", "/campaign-templates?channel=whatsapp", org).json() if not t["variables"])


def _create(api, org, segment, role="org_admin"):
    return api("POST", f"/segments/{segment['id']}/recipient-lists", org, role,
               json={"channel": "whatsapp", "template_id": _plain_template(api, org)})


def _grant_agent_add(db) -> None:
    with db.session() as session:
        role_id = session.scalar(select(User.role_id).where(User.username == "o1_agent"))
        session.execute(update(RolePermission).where(RolePermission.role_id == role_id,
                                                     RolePermission.key == SEGMENT_ADD).values(level="all"))


def _ids(page: dict) -> list[str]:
    return [row["customer_id"] for row in page["items"]]


def test_creating_a_list_needs_the_add_permission(db, make_org, ingest, make_segment, api, run_jobs):
    org, segment = _setup(db, make_org, ingest, make_segment, run_jobs)
    r = _create(api, org, segment, "agent")  # the default Agent views segments but may not add
    assert r.status_code == 403, r.text
    assert r.json()["error"]["message"] == "You do not have permission to create recipient lists."
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(RecipientList)) == 0
    _grant_agent_add(db)
    assert _create(api, org, segment, "agent").status_code == 201


def test_owned_only_viewers_read_only_their_customers_rows_of_any_list(db, make_org, ingest, make_segment, api,
                                                                      run_jobs):
    org, segment = _setup(db, make_org, ingest, make_segment, run_jobs)
    by_admin = _create(api, org, segment).json()
    _grant_agent_add(db)
    by_agent = _create(api, org, segment, "agent").json()
    for created in (by_admin, by_agent):
        assert created["size"] == 3  # the campaign still covers the whole segment
        full = api("GET", f"/recipient-lists/{created['id']}", org).json()
        assert _ids(full) == ["a", "b", "c"] and full["total"] == 3
        scoped = api("GET", f"/recipient-lists/{created['id']}", org, "agent").json()
        assert _ids(scoped) == ["a", "c"] and scoped["total"] == 2 and scoped["size"] == 3
        assert "budi@example.com" not in str(scoped)
        paged = api("GET", f"/recipient-lists/{created['id']}?page=2&page_size=1", org, "agent").json()
        assert _ids(paged) == ["c"]
    # Ownership is read now, like members: a customer handed to someone else leaves the agent's view.
    ingest(org, [{"id": "c", "assignee": None}])
    assert _ids(api("GET", f"/recipient-lists/{by_admin['id']}", org, "agent").json()) == ["a"]


def test_the_organisation_keeps_its_newest_lists_up_to_its_setting(db, make_org, ingest, make_segment, api,
                                                                   run_jobs):
    org, segment = _setup(db, make_org, ingest, make_segment, run_jobs)
    settings = api("GET", "/admin/settings", org).json()
    assert (settings["recipient_list_limit"], settings["recipient_list_days"]) == (20, 30)
    r = api("PUT", "/admin/settings", org, json={"recipient_list_limit": 2})
    assert r.status_code == 200 and r.json()["recipient_list_limit"] == 2
    made = [_create(api, org, segment).json()["id"] for _ in range(3)]
    assert api("GET", f"/recipient-lists/{made[0]}", org).status_code == 404
    assert [api("GET", f"/recipient-lists/{i}", org).status_code for i in made[1:]] == [200, 200]
    with db.session() as session:
        assert set(session.scalars(select(RecipientList.id))) == set(made[1:])
        assert session.scalar(select(func.count()).select_from(RecipientListRow)
                              .where(RecipientListRow.list_id == made[0])) == 0


def test_lists_expire_after_the_organisations_days(db, make_org, ingest, make_segment, api, run_jobs):
    org, segment = _setup(db, make_org, ingest, make_segment, run_jobs)
    old, recent = (_create(api, org, segment).json()["id"] for _ in range(2))
    with db.session() as session:
        session.execute(update(RecipientList).where(RecipientList.id == old)
                        .values(created_at=utcnow() - timedelta(days=31)))
    assert api("GET", f"/recipient-lists/{old}", org).status_code == 404
    assert api("GET", f"/recipient-lists/{recent}", org).status_code == 200
    api("PUT", "/admin/settings", org, json={"recipient_list_days": 40})
    assert api("GET", f"/recipient-lists/{old}", org).status_code == 200
    api("PUT", "/admin/settings", org, json={"recipient_list_days": 30})
    _create(api, org, segment)  # creating a list also deletes the expired ones
    with db.session() as session:
        assert old not in set(session.scalars(select(RecipientList.id)))


def test_list_settings_are_bounded(db, make_org, api):
    org = make_org()
    for name, bad in (("recipient_list_limit", 0), ("recipient_list_limit", 501), ("recipient_list_days", 366),
                      ("recipient_list_days", 10**30)):
        r = api("PUT", "/admin/settings", org, json={name: bad})
        assert r.status_code == 400, (name, bad, r.text)
        assert [f["path"] for f in r.json()["error"]["fields"]] == [name]
    settings = api("GET", "/admin/settings", org).json()
    assert (settings["recipient_list_limit"], settings["recipient_list_days"]) == (20, 30)
