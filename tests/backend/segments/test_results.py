"""Members, summary, performance, customer → segments and export (issue items 7–10 and 12)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from backend.evaluation.clock import get_now
from backend.evaluation.service import shares
from tests.backend.segments.conftest import WHATSAPP, people

ALL = {"combinator": "and", "rules": [{"field": "full_name", "operator": "is_not_empty"}]}


def test_members_list_shows_name_source_activity_and_added_by(make_org, ingest, make_segment, api, run_jobs):
    org = make_org()
    ingest(org, [{"id": "k1", "full_name": "Kartika", "source": "WhatsApp", "created_by": "o1_team_lead"}])
    seg = make_segment(org)
    run_jobs()
    body = api("GET", f"/segments/{seg['id']}/members", org).json()
    assert body["total_matched"] == 1 and body["visible"] == 1
    member = body["items"][0]
    assert (member["id"], member["full_name"], member["source"], member["added_by"]) == \
        ("k1", "Kartika", "WhatsApp", "o1_team_lead")
    assert "last_activity_at" in member


def test_owned_only_viewers_see_their_customers_and_both_numbers(make_org, ingest, make_segment, api, run_jobs):
    org = make_org()
    ingest(org, [{"id": "a", "full_name": "A", "source": "WhatsApp", "owner": "o1_agent"},
                 {"id": "b", "full_name": "B", "source": "WhatsApp", "assignee": "o1_agent"},
                 {"id": "c", "full_name": "C", "source": "WhatsApp", "owner": "o1_team_lead"}])
    seg = make_segment(org)
    run_jobs()
    agent = api("GET", f"/segments/{seg['id']}/members", org, "agent").json()
    assert agent["total_matched"] == 3 and agent["visible"] == 2
    assert [m["id"] for m in agent["items"]] == ["a", "b"]
    admin = api("GET", f"/segments/{seg['id']}/members", org).json()
    assert admin["visible"] == 3 and len(admin["items"]) == 3


def test_members_are_paginated(make_org, ingest, make_segment, api, run_jobs):
    org = make_org()
    ingest(org, people(*[(f"k{i:02d}", "WhatsApp") for i in range(25)]))
    seg = make_segment(org)
    run_jobs()
    page = api("GET", f"/segments/{seg['id']}/members?page=3&page_size=10", org).json()
    assert [m["id"] for m in page["items"]] == [f"k{i:02d}" for i in range(20, 25)]
    assert page["total_matched"] == 25


def test_summary_gives_matched_reach_last_update_and_reachability(make_org, ingest, make_segment, api, run_jobs):
    org = make_org()
    ingest(org, [
        {"id": "1", "full_name": "phone+room", "source": "WhatsApp", "phone": "+62811", "has_chatroom": True,
         "email": "a@example.com"},
        {"id": "2", "full_name": "bsuid+room", "source": "WhatsApp", "bsuid": "B-1", "has_chatroom": True,
         "email": "not-an-email"},
        {"id": "3", "full_name": "phone, no room", "source": "WhatsApp", "phone": "+62812", "has_chatroom": False},
        {"id": "4", "full_name": "elsewhere", "source": "Email", "email": "d@example.com"},
    ])
    seg = make_segment(org)
    run_jobs()
    s = api("GET", f"/segments/{seg['id']}/summary", org).json()
    assert (s["total_matched"], s["total_customers"], s["reach_percent"]) == (3, 4, 75.0)
    assert s["last_updated"] and s["filter_summary"] == "Source is WhatsApp"
    assert s["reachability"] == {"whatsapp": {"count": 2, "percent": 66.7}, "email": {"count": 1, "percent": 33.3}}
    api("POST", f"/segments/{seg['id']}/archive", org)
    archived = api("GET", f"/segments/{seg['id']}/summary", org).json()
    assert archived["reachability"] is None and archived["total_matched"] == 3


def test_performance_distributions_with_their_fallback_labels(make_org, ingest, make_segment, api, run_jobs, app):
    org = make_org(timezone="UTC")
    ingest(org, [
        {"id": "1", "full_name": "a", "source": "WhatsApp", "address": {"province": "Jakarta"},
         "date_of_birth": "2006-03-11", "sex": "female"},  # 19 on 2026-03-10
        {"id": "2", "full_name": "b", "source": "WhatsApp", "address": {"province": "Jakarta"},
         "date_of_birth": "2005-03-10", "sex": "male"},  # 21 exactly
        {"id": "3", "full_name": "c", "date_of_birth": "1976-03-10"},  # 50
        {"id": "4", "full_name": "d", "date_of_birth": "1975-03-10", "sex": "female"},  # 51
        {"id": "5", "full_name": "e", "source": "Email"},
        {"id": "6", "full_name": "f", "source": "Email", "address": {"province": "Bali"}},
    ])
    seg = make_segment(org, rules=ALL)
    run_jobs()
    app.dependency_overrides[get_now] = lambda: datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    try:
        p = api("GET", f"/segments/{seg['id']}/performance?range=all", org).json()
    finally:
        app.dependency_overrides.clear()
    table = {k: {row["label"]: row["count"] for row in p[k]} for k in ("source", "province", "age", "gender")}
    assert table["source"] == {"WhatsApp": 2, "Email": 2, "Other": 2}
    assert table["province"] == {"Unknown": 3, "Jakarta": 2, "Bali": 1}
    assert table["age"] == {"<21": 1, "21-30": 1, "31-40": 0, "41-50": 1, ">50": 1, "Unknown": 2}
    assert table["gender"] == {"Male": 1, "Female": 2, "Unknown": 3}
    for key in ("source", "province", "age", "gender"):
        assert abs(sum(row["percent"] for row in p[key]) - 100) < 0.05
    assert [g["member_count"] for g in p["growth"]] == [6]
    for range_ in ("7d", "30d"):
        assert api("GET", f"/segments/{seg['id']}/performance?range={range_}", org).status_code == 200
    assert api("GET", f"/segments/{seg['id']}/performance?range=1y", org).status_code == 400


def test_percentages_always_sum_to_100():
    for counts in ([1, 1, 1], [2, 1], [1, 0, 0], [7, 3, 3, 1, 1, 1, 1]):
        assert round(sum(shares(counts)), 6) == 100.0
    assert shares([0, 0]) == [0.0, 0.0]


def test_customer_segments_come_from_the_latest_committed_evaluation(make_org, ingest, make_segment, api, run_jobs):
    org = make_org()
    ingest(org, [{"id": "k1", "full_name": "Budi Santoso", "source": "WhatsApp"},
                 {"id": "k2", "full_name": "Nobody", "source": "Email"}])
    seg = make_segment(org, "WhatsApp Customer")
    r = api("GET", "/customers/k1/segments", org)
    assert r.json()["segments"] == []  # not evaluated yet
    run_jobs()
    assert api("GET", "/customers/k1/segments", org).json() == {
        "customer_id": "k1", "customer_name": "Budi Santoso",
        "segments": [{"segment_id": seg["id"], "segment_name": "WhatsApp Customer"}]}
    assert api("GET", "/customers/k2/segments", org).json()["segments"] == []
    assert api("GET", "/customers/nope/segments", org).status_code == 404


def _custom_field(api, org) -> None:
    r = api("POST", "/custom-fields", org, json={"key": "tier_note", "label": "Tier note", "type": "single_line_text"})
    assert r.status_code in (200, 201), r.text


def test_export_csv_has_every_default_and_custom_property_and_respects_visibility(
        make_org, ingest, make_segment, api, run_jobs):
    org = make_org()
    _custom_field(api, org)
    ingest(org, [{"id": "a", "full_name": "Ani", "source": "WhatsApp", "owner": "o1_agent",
                  "custom": {"tier_note": "gold"}},
                 {"id": "b", "full_name": "Budi", "source": "WhatsApp"}])
    seg = make_segment(org, rules=WHATSAPP)
    run_jobs()
    r = api("GET", f"/segments/{seg['id']}/export?format=csv", org)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    header = rows[0]
    assert {"Customer ID", "Full name", "Phone number", "Email", "Source", "Tier note"} <= set(header)
    assert [row[0] for row in rows[1:]] == ["a", "b"]
    assert rows[1][header.index("Tier note")] == "gold"
    agent = api("GET", f"/segments/{seg['id']}/export?format=csv", org, "agent")
    assert [row[0] for row in list(csv.reader(io.StringIO(agent.content.decode("utf-8-sig"))))[1:]] == ["a"]


def test_export_xlsx(make_org, ingest, make_segment, api, run_jobs):
    org = make_org()
    _custom_field(api, org)
    ingest(org, [{"id": "a", "full_name": "Ani", "source": "WhatsApp", "date_of_birth": "1990-01-02",
                  "custom": {"tier_note": "gold"}}])
    seg = make_segment(org)
    run_jobs()
    r = api("GET", f"/segments/{seg['id']}/export?format=xlsx", org)
    assert r.status_code == 200
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Customer ID" and rows[0][-1] == "Tier note"
    assert rows[1][0] == "a" and rows[1][-1] == "gold" and date(1990, 1, 2).isoformat() in rows[1]
