"""Campaign hand-off (issue item 11): templates, estimate, recipient-list snapshots."""

from __future__ import annotations

from backend.campaigns.service import ensure_demo_templates
from tests.backend.segments.conftest import WHATSAPP


def _templates(db, org_id: int) -> None:
    with db.session() as session:
        ensure_demo_templates(session, org_id)
        ensure_demo_templates(session, org_id)  # idempotent


def _template(api, org, channel: str, with_variables: bool) -> dict:
    items = api("GET", f"/campaign-templates?channel={channel}", org).json()
    return next(t for t in items if bool(t["variables"]) == with_variables)


def _audience(ingest, org) -> None:
    ingest(org, [
        {"id": "a", "full_name": "Ani", "source": "WhatsApp", "phone": "+62811", "owner": "o1_agent",
         "email": "ani@example.com", "has_chatroom": True},
        {"id": "b", "full_name": "Budi", "source": "WhatsApp", "bsuid": "BS-1", "has_chatroom": True},
        {"id": "c", "full_name": "Citra", "source": "WhatsApp", "email": "citra@example.com"},
        # A phone number without a chatroom does not reach anyone on WhatsApp.
        {"id": "e", "full_name": "Eka", "source": "WhatsApp", "phone": "+62815", "has_chatroom": False},
    ])


def test_templates_are_listed_per_channel(make_org, api, db):
    org = make_org()
    _templates(db, org.id)
    whatsapp = api("GET", "/campaign-templates?channel=whatsapp", org).json()
    email = api("GET", "/campaign-templates?channel=email", org).json()
    assert whatsapp and email and {t["channel"] for t in whatsapp} == {"whatsapp"}
    assert any(t["variables"] for t in whatsapp) and any(not t["variables"] for t in whatsapp)
    assert len(api("GET", "/campaign-templates", org).json()) == len(whatsapp) + len(email)
    assert api("GET", "/campaign-templates?channel=fax", org).status_code == 400


def test_estimate_per_channel_and_409_while_not_ready(make_org, ingest, make_segment, api, run_jobs):
    org = make_org()
    _audience(ingest, org)
    seg = make_segment(org)
    r = api("GET", f"/segments/{seg['id']}/campaign-estimate?channel=whatsapp", org)
    assert r.status_code == 409
    run_jobs()
    r = api("GET", f"/segments/{seg['id']}/campaign-estimate?channel=whatsapp", org).json()
    assert (r["matched"], r["reachable"]) == (4, 2)
    assert r["message"] == "2 of 4 matched customers are reachable by WhatsApp"
    r = api("GET", f"/segments/{seg['id']}/campaign-estimate?channel=email", org).json()
    assert r["message"] == "2 of 4 matched customers are reachable by email"


def test_one_definition_of_reachable_for_overview_estimate_and_recipient_list(make_org, ingest, make_segment, api,
                                                                             run_jobs, db):
    """Issue 14 item 7: the send panel, the recipient list and the Overview count the same customers."""
    org = make_org()
    _templates(db, org.id)
    _audience(ingest, org)
    seg = make_segment(org)
    run_jobs()
    overview = api("GET", f"/segments/{seg['id']}/summary", org).json()["reachability"]
    for channel in ("whatsapp", "email"):
        estimate = api("GET", f"/segments/{seg['id']}/campaign-estimate?channel={channel}", org).json()
        template = _template(api, org, channel, with_variables=False)
        created = api("POST", f"/segments/{seg['id']}/recipient-lists", org,
                      json={"channel": channel, "template_id": template["id"], "variables": {}}).json()
        rows = api("GET", f"/recipient-lists/{created['id']}?page=1", org).json()["items"]
        flagged = sum(row["reachable"] for row in rows)
        assert estimate["reachable"] == overview[channel]["count"] == created["reachable"] == flagged == 2


def test_recipient_list_is_a_snapshot_of_the_full_segment(make_org, ingest, make_segment, api, run_jobs, db):
    org = make_org()
    _templates(db, org.id)
    _audience(ingest, org)
    seg = make_segment(org)
    run_jobs()
    template = _template(api, org, "whatsapp", with_variables=True)
    mapping = {var: "full_name" for var in template["variables"]}
    # The lead creates it; the list covers the whole segment (scoped reading: test_recipient_list_access).
    r = api("POST", f"/segments/{seg['id']}/recipient-lists", org, "team_lead",
            json={"channel": "whatsapp", "template_id": template["id"], "variables": mapping})
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["size"] == 4 and created["segment_id"] == seg["id"] and created["channel"] == "whatsapp"
    page = api("GET", f"/recipient-lists/{created['id']}?page=1", org).json()
    assert [row["customer_id"] for row in page["items"]] == ["a", "b", "c", "e"]
    first = page["items"][0]
    assert first["properties"]["full_name"] == "Ani" and first["properties"]["email"] == "ani@example.com"
    assert first["variables"] == {var: "Ani" for var in template["variables"]}
    assert [row["reachable"] for row in page["items"]] == [True, True, False, False]
    # Later changes to the segment do not change the snapshot.
    ingest(org, [{"id": "d", "full_name": "Dewi", "source": "WhatsApp", "phone": "+62819"}])
    api("POST", f"/segments/{seg['id']}/refresh", org)
    run_jobs()
    assert api("GET", f"/recipient-lists/{created['id']}", org).json()["total"] == 4


def test_unmapped_or_unknown_variables_are_400_naming_them(make_org, ingest, make_segment, api, run_jobs, db):
    org = make_org()
    _templates(db, org.id)
    _audience(ingest, org)
    seg = make_segment(org)
    run_jobs()
    template = _template(api, org, "email", with_variables=True)
    first, *rest = template["variables"]
    r = api("POST", f"/segments/{seg['id']}/recipient-lists", org,
            json={"channel": "email", "template_id": template["id"], "variables": {v: "email" for v in rest}})
    assert r.status_code == 400
    assert [f["path"] for f in r.json()["error"]["fields"]] == [f"variables.{first}"]
    r = api("POST", f"/segments/{seg['id']}/recipient-lists", org,
            json={"channel": "email", "template_id": template["id"],
                  "variables": {v: "no_such_property" for v in template["variables"]}})
    assert r.status_code == 400 and "no_such_property" in r.json()["error"]["fields"][0]["message"]
    plain = _template(api, org, "email", with_variables=False)
    r = api("POST", f"/segments/{seg['id']}/recipient-lists", org,
            json={"channel": "email", "template_id": plain["id"]})
    assert r.status_code == 201 and r.json()["size"] == 4
    r = api("POST", f"/segments/{seg['id']}/recipient-lists", org,
            json={"channel": "whatsapp", "template_id": plain["id"]})
    assert r.status_code == 400 and r.json()["error"]["fields"][0]["path"] == "template_id"


def test_recipient_list_409_while_not_ready(make_org, ingest, make_segment, api, db):
    org = make_org()
    _templates(db, org.id)
    seg = make_segment(org, rules=WHATSAPP)
    plain = _template(api, org, "whatsapp", with_variables=False)
    r = api("POST", f"/segments/{seg['id']}/recipient-lists", org,
            json={"channel": "whatsapp", "template_id": plain["id"]})
    assert r.status_code == 409 and r.json()["error"]["code"] == "segment_not_ready"
