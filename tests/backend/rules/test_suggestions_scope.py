"""Value suggestions show a caller only values of the customers they may see (issue 13 item 6): an
owned-only Agent must not read other customers' emails, phones, names or records through them."""

# ruff: noqa: F811 - the segment tests' fixtures are imported, so fixture arguments shadow them by design

from __future__ import annotations

from tests.backend.segments.conftest import api, ingest  # noqa: F401 - fixtures

MINE = {"full_name": "Mine Person", "email": "mine@example.com", "phone": "+62811", "usernames": ["mine_u"],
        "custom.nickname": "Minnie", "deal.stage": "Mine stage", "conversation.tags": "mine-tag",
        "company.industry": "Mine industry"}
THEIRS = {"full_name": "Their Person", "email": "theirs@example.com", "phone": "+62822", "usernames": ["their_u"],
          "custom.nickname": "Theo", "deal.stage": "Their stage", "conversation.tags": "their-tag",
          "company.industry": "Their industry"}


def _seed(api, ingest, org) -> None:
    r = api("POST", "/custom-fields", org, json={"key": "nickname", "label": "Nickname", "type": "single_line_text"})
    assert r.status_code == 201, r.text
    ingest(org, [{"id": "co_m", "name": "M", "industry": MINE["company.industry"]},
                 {"id": "co_t", "name": "T", "industry": THEIRS["company.industry"]}], "companies")
    ingest(org, [
        {"id": "m", "full_name": MINE["full_name"], "email": MINE["email"], "phone": MINE["phone"],
         "usernames": MINE["usernames"], "custom": {"nickname": MINE["custom.nickname"]}, "company_id": "co_m",
         "owner": "o1_agent"},
        {"id": "t", "full_name": THEIRS["full_name"], "email": THEIRS["email"], "phone": THEIRS["phone"],
         "usernames": THEIRS["usernames"], "custom": {"nickname": THEIRS["custom.nickname"]}, "company_id": "co_t",
         "owner": "o1_team_lead"},
    ])
    ingest(org, [{"id": "d_m", "customer_id": "m", "stage": MINE["deal.stage"]},
                 {"id": "d_t", "customer_id": "t", "stage": THEIRS["deal.stage"]}], "deals")
    ingest(org, [{"id": "v_m", "customer_id": "m", "tags": [MINE["conversation.tags"]]},
                 {"id": "v_t", "customer_id": "t", "tags": [THEIRS["conversation.tags"]]}], "conversations")


def _values(api, org, key: str, role: str) -> set[str]:
    r = api("GET", f"/fields/{key}/suggestions?limit=100", org, role)
    assert r.status_code == 200, r.text
    return set(r.json()["values"])


def _flat(value: object) -> set[str]:
    return set(value) if isinstance(value, list) else {str(value)}


def test_an_owned_only_agent_is_suggested_only_values_of_customers_they_may_see(make_org, api, ingest):
    org = make_org()
    _seed(api, ingest, org)
    agent_customers = api("GET", "/customers", org, "agent").json()
    assert [c["id"] for c in agent_customers["items"]] == ["m"]  # the Agent's customer view is "owned"
    for key in MINE:
        mine, theirs = _flat(MINE[key]), _flat(THEIRS[key])
        assert _values(api, org, key, "org_admin") >= mine | theirs, key
        agent = _values(api, org, key, "agent")
        assert agent >= mine and not agent & theirs, key


def test_a_team_lead_who_views_all_customers_is_suggested_every_value(make_org, api, ingest):
    org = make_org()
    _seed(api, ingest, org)
    assert _values(api, org, "email", "team_lead") == {MINE["email"], THEIRS["email"]}
