"""Compare segments (analysis PRD: size, reach, growth, distributions, key metrics, overlap) and the customers
index, on SQLite and PostgreSQL."""

# ruff: noqa: F811 - the segment tests' fixtures are imported, so fixture arguments shadow them by design

from __future__ import annotations

from tests.backend.segments.conftest import (  # noqa: F401 - fixtures
    EMAIL,
    WHATSAPP,
    api,
    ingest,
    make_segment,
    run_jobs,
)

JAKARTA = {"combinator": "and", "rules": [{"field": "province", "operator": "is", "value": "Jakarta"}]}


def seed(ingest, org) -> None:
    ingest(org, [
        {"id": "a", "full_name": "Ayu", "source": "WhatsApp", "address": {"province": "Jakarta"}, "sex": "female",
         "phone": "+62811", "has_chatroom": True, "owner": "o1_agent"},
        {"id": "b", "full_name": "Budi", "source": "WhatsApp", "address": {"province": "Bali"}, "sex": "male"},
        {"id": "c", "full_name": "Citra", "source": "Email", "address": {"province": "Jakarta"},
         "email": "c@example.com"},
        {"id": "d", "full_name": "Dewi", "source": "Email"},
    ])
    ingest(org, [{"id": "o1", "customer_id": "a", "kind": "order", "amount": 300, "status": "completed"},
                 {"id": "o2", "customer_id": "b", "kind": "order", "amount": 100, "status": "completed"},
                 {"id": "o3", "customer_id": "b", "kind": "order", "amount": 999, "status": "cancelled"}], "orders")
    ingest(org, [{"id": "d1", "customer_id": "a", "size": 1000, "outcome": "open"},
                 {"id": "d2", "customer_id": "a", "size": 3000, "outcome": "won"},
                 {"id": "d3", "customer_id": "c", "size": 500, "outcome": "open"}], "deals")
    ingest(org, [{"id": "v1", "customer_id": "a", "csat": 5}, {"id": "v2", "customer_id": "b", "csat": 2},
                 {"id": "v3", "customer_id": "b"}], "conversations")


def compare(api, org, ids, role="org_admin"):
    return api("POST", "/segments/compare", org, role, json={"segment_ids": ids})


def test_compare_shows_size_reach_growth_and_distributions_side_by_side(make_org, ingest, make_segment, api,
                                                                        run_jobs):
    org = make_org()
    seed(ingest, org)
    wa = make_segment(org, "WhatsApp", WHATSAPP)
    jk = make_segment(org, "Jakarta", JAKARTA)
    run_jobs()
    r = compare(api, org, [wa["id"], jk["id"]])
    assert r.status_code == 200, r.text
    first, second = r.json()["segments"]
    assert (first["segment_id"], first["name"], first["member_count"], first["total_customers"],
            first["reach_percent"]) == (wa["id"], "WhatsApp", 2, 4, 50.0)
    assert (second["name"], second["member_count"], second["reach_percent"]) == ("Jakarta", 2, 50.0)
    assert [p["member_count"] for p in first["growth"]] == [2]
    assert first["readiness"] == "ready"
    by_source = {s["label"]: (s["count"], s["percent"]) for s in second["distributions"]["source"]}
    assert by_source == {"WhatsApp": (1, 50.0), "Email": (1, 50.0)}
    genders = {s["label"]: s["count"] for s in first["distributions"]["gender"]}
    assert genders == {"Male": 1, "Female": 1, "Unknown": 0}


def test_compare_key_metrics_average_spend_deal_size_csat_and_open_deal_share(make_org, ingest, make_segment, api,
                                                                             run_jobs):
    org = make_org()
    seed(ingest, org)
    wa = make_segment(org, "WhatsApp", WHATSAPP)
    em = make_segment(org, "Email", EMAIL)
    run_jobs()
    wa_m, em_m = (s["metrics"] for s in compare(api, org, [wa["id"], em["id"]]).json()["segments"])
    # WhatsApp: a spent 300, b 100 (the cancelled order does not count); deals of a: 1000 and 3000.
    assert wa_m["avg_total_spend"] == 200.0
    assert wa_m["avg_deal_size"] == 2000.0
    assert wa_m["avg_csat"] == 3.5  # (5 + 2) / 2 rated conversations; the unrated one is left out
    assert (wa_m["open_deal_count"], wa_m["open_deal_percent"]) == (1, 50.0)
    # Email: c and d spent nothing, c has one open deal of 500, nobody rated a conversation.
    assert em_m["avg_total_spend"] == 0.0
    assert em_m["avg_deal_size"] == 500.0
    assert em_m["avg_csat"] is None
    assert (em_m["open_deal_count"], em_m["open_deal_percent"]) == (1, 50.0)


def test_compare_counts_customers_in_both_segments(make_org, ingest, make_segment, api, run_jobs):
    org = make_org()
    seed(ingest, org)
    wa = make_segment(org, "WhatsApp", WHATSAPP)
    jk = make_segment(org, "Jakarta", JAKARTA)
    em = make_segment(org, "Email", EMAIL)
    run_jobs()
    body = compare(api, org, [wa["id"], jk["id"], em["id"]]).json()
    pairs = {tuple(o["segment_ids"]): (o["count"], o["percent_of_each"]) for o in body["overlaps"]}
    assert pairs == {(wa["id"], jk["id"]): (1, [50.0, 50.0]),  # Ayu
                     (wa["id"], em["id"]): (0, [0.0, 0.0]),
                     (jk["id"], em["id"]): (1, [50.0, 50.0])}  # Citra
    assert body["in_all"] == 0
    assert compare(api, org, [wa["id"], jk["id"]]).json()["in_all"] == 1


def test_compare_of_an_empty_segment_gives_zero_counts_and_empty_averages(make_org, ingest, make_segment, api,
                                                                         run_jobs):
    org = make_org()
    seed(ingest, org)
    nobody = make_segment(org, "Nobody", {"combinator": "and", "rules": [
        {"field": "source", "operator": "is", "value": "Instagram"}]})
    wa = make_segment(org, "WhatsApp", WHATSAPP)
    run_jobs()
    empty = compare(api, org, [nobody["id"], wa["id"]]).json()["segments"][0]
    assert empty["member_count"] == 0 and empty["reach_percent"] == 0.0
    assert empty["metrics"] == {"avg_total_spend": None, "avg_deal_size": None, "avg_csat": None,
                                "open_deal_percent": 0.0, "open_deal_count": 0}


def set_agent_level(api, org, key: str, level: str) -> None:
    roles = api("GET", "/admin/roles", org).json()
    agent = next(r for r in roles if r.get("key") == "agent" or r["name"] == "Agent")
    r = api("PUT", f"/admin/roles/{agent['id']}", org, json={"permissions": {key: level}})
    assert r.status_code == 200, r.text


def test_compare_of_a_segment_the_user_may_not_see_is_404(make_org, ingest, make_segment, api, run_jobs):
    org, other = make_org(), make_org()
    seed(ingest, org)
    mine = make_segment(org, "Mine", WHATSAPP)
    leads = make_segment(org, "Lead's", JAKARTA, role="team_lead")
    elsewhere = make_segment(other, "Other org", WHATSAPP)
    run_jobs()
    assert compare(api, org, [mine["id"], elsewhere["id"]]).status_code == 404
    assert compare(api, org, [mine["id"], 999_999]).status_code == 404
    assert compare(api, org, [mine["id"], leads["id"]], "agent").status_code == 200
    set_agent_level(api, org, "customers_segment_view", "owned")
    r = compare(api, org, [mine["id"], leads["id"]], "agent")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    set_agent_level(api, org, "customers_segment_view", "disabled")
    assert compare(api, org, [mine["id"], leads["id"]], "agent").status_code == 403


def test_compare_needs_two_to_six_distinct_valid_ids(make_org, make_segment, api):
    org = make_org()
    a = make_segment(org, "A", WHATSAPP)
    for ids, path in (([a["id"]], "segment_ids"), ([a["id"], a["id"]], "segment_ids.1"),
                      (list(range(1, 8)), "segment_ids"), ([a["id"], 0], "segment_ids.1"),
                      ([a["id"], "x"], "segment_ids.1")):
        r = compare(api, org, ids)
        assert r.status_code == 400, (ids, r.text)
        assert path in [f["path"] for f in r.json()["error"]["fields"]], r.text
    r = api("POST", "/segments/compare", org, json={"segment_ids": [a["id"], 2], "x": 1})
    assert r.status_code == 400


def test_compare_needs_segmentation_in_the_package(make_org, api):
    org = make_org(package="starter")
    assert compare(api, org, [1, 2]).status_code == 403


def test_customers_index_pages_newest_first_and_searches(make_org, ingest, api):
    org = make_org()
    ingest(org, [{"id": f"K{i:02d}", "full_name": f"Person {i}", "email": f"p{i}@example.com"} for i in range(25)])
    page1 = api("GET", "/customers?page=1&page_size=10", org).json()
    assert page1["total"] == 25 and len(page1["items"]) == 10
    assert page1["items"][0]["id"] == "K24"
    page3 = api("GET", "/customers?page=3&page_size=10", org).json()
    assert [c["id"] for c in page3["items"]] == [f"K{i:02d}" for i in range(4, -1, -1)]
    found = api("GET", "/customers?search=person 1", org).json()
    assert sorted(c["id"] for c in found["items"]) == ["K01"] + [f"K{i}" for i in range(10, 20)]
    assert api("GET", "/customers?search=p1", org).json()["total"] == 25  # under 3 characters: ignored
    assert api("GET", "/customers?search=p7@", org).json()["total"] == 1
    assert api("GET", "/customers?search=%25%25%25", org).json()["total"] == 0  # % is a character, not a wildcard


def test_customers_index_shows_owned_only_viewers_their_customers(make_org, ingest, api):
    org = make_org()
    ingest(org, [{"id": "a", "full_name": "A", "owner": "o1_agent"},
                 {"id": "b", "full_name": "B", "assignee": "o1_agent"},
                 {"id": "c", "full_name": "C", "owner": "o1_team_lead"}])
    assert api("GET", "/customers", org).json()["total"] == 3
    agent = api("GET", "/customers", org, "agent").json()  # an Agent views the customers they own by default
    assert sorted(c["id"] for c in agent["items"]) == ["a", "b"] and agent["total"] == 2
    set_agent_level(api, org, "customers_customers_view", "all")
    assert api("GET", "/customers", org, "agent").json()["total"] == 3


def test_customers_index_rejects_bad_paging_with_400(make_org, api):
    org = make_org()
    for query in ("page=0", "page_size=101", "page=x"):
        r = api("GET", f"/customers?{query}", org)
        assert r.status_code == 400, r.text
        assert r.json()["error"]["fields"]


def test_customers_index_never_shows_another_organisation(make_org, ingest, api):
    org, other = make_org(), make_org()
    ingest(other, [{"id": "x", "full_name": "Elsewhere"}])
    assert api("GET", "/customers", org).json() == {"items": [], "total": 0, "page": 1, "page_size": 20}
