"""Per-node counts in the preview, explain (unsaved rules and saved segments) and the customer profile,
through the API: shapes, scoping (owned-only callers get 404 for other customers) and bad input."""

# ruff: noqa: F811 - the segment tests' fixtures are imported, so fixture arguments shadow them by design

from __future__ import annotations

from tests.backend.segments.conftest import api, ingest, make_segment, run_jobs  # noqa: F401 - fixtures

RULES = {"combinator": "and", "id": "root", "rules": [
    {"id": "src", "field": "source", "operator": "is", "value": "WhatsApp"},
    {"id": "grp", "combinator": "or", "rules": [
        {"id": "won", "field": "deal.stage", "operator": "is", "value": "Won", "match": "any"},
        {"id": "jkt", "field": "province", "operator": "is", "value": "Jakarta"},
    ]},
    {"id": "nobody", "field": "city", "operator": "is", "value": "Atlantis"},
]}
TWO = {"combinator": "and", "rules": RULES["rules"][:2]}


def _seed(api, ingest, org) -> None:
    ingest(org, [
        {"id": "m", "full_name": "Mine", "source": "WhatsApp", "address": {"province": "Bali"}, "owner": "o1_agent"},
        {"id": "t", "full_name": "Theirs", "source": "WhatsApp", "address": {"province": "Jakarta"},
         "owner": "o1_team_lead"},
        {"id": "e", "full_name": "Email one", "source": "Email", "address": {"province": "Jakarta"}},
    ])
    ingest(org, [{"id": f"d{i}", "customer_id": "m", "stage": "Lead" if i % 2 else "Won"} for i in range(25)]
           + [{"id": "dt", "customer_id": "t", "stage": "Lead"}], "deals")


def test_the_preview_counts_each_node_alone_in_the_shape_of_the_tree(make_org, api, ingest):
    org = make_org()
    _seed(api, ingest, org)
    r = api("POST", "/segments/preview", org, json={"rules": RULES, "node_counts": True})
    assert r.status_code == 200, r.text
    body = r.json()
    counts = body["node_counts"]
    assert counts["matched"] == body["matched"] == 0
    assert [n["id"] for n in counts["rules"]] == ["src", "grp", "nobody"]
    src, grp, nobody = counts["rules"]
    assert (src["matched"], grp["matched"], nobody["matched"]) == (2, 3, 0)
    assert "rules" not in src and [n["matched"] for n in grp["rules"]] == [1, 2]
    two = api("POST", "/segments/preview", org, json={"rules": TWO, "node_counts": True}).json()
    assert two["node_counts"]["matched"] == two["matched"] == 2
    assert api("POST", "/segments/preview", org, json={"rules": TWO}).json()["node_counts"] is None
    bad = api("POST", "/segments/preview", org, json={"rules": TWO, "node_counts": "yes"})
    assert bad.status_code == 400 and bad.json()["error"]["fields"][0]["path"] == "node_counts"


def test_explain_marks_each_node_with_the_customers_values_and_records(make_org, api, ingest):
    org = make_org()
    _seed(api, ingest, org)
    r = api("POST", "/segments/explain", org, json={"rules": RULES, "customer_id": "m"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["customer_id"] == "m" and body["matched"] is False and body["tree"]["matched"] is False
    src, grp, nobody = body["tree"]["rules"]
    assert src == {"id": "src", "matched": True, "value": "WhatsApp"}
    assert nobody["matched"] is False and nobody["value"] is None
    assert grp["matched"] is True
    won, jkt = grp["rules"]
    assert won["matched"] is True and jkt == {"id": "jkt", "matched": False, "value": "Bali"}
    records = won["records"]
    assert len(records) == 20  # at most 20, matching first: the 13 "Won" deals, then 7 others
    assert [r["matched"] for r in records] == [True] * 13 + [False] * 7
    assert all(r["value"] == "Won" for r in records[:13]) and won["value"][:1] == ["Won"]
    assert api("POST", "/segments/explain", org, json={"rules": TWO, "customer_id": "m"}).json()["matched"] is True


def test_explain_refuses_unknown_and_unseen_customers_and_invalid_trees(make_org, api, ingest):
    org = make_org()
    _seed(api, ingest, org)
    assert api("POST", "/segments/explain", org, json={"rules": TWO, "customer_id": "nope"}).status_code == 404
    # The Agent sees only their own customers: another's is as unknown as a missing one.
    assert api("POST", "/segments/explain", org, "agent", json={"rules": TWO, "customer_id": "m"}).status_code == 200
    assert api("POST", "/segments/explain", org, "agent", json={"rules": TWO, "customer_id": "t"}).status_code == 404
    bad = api("POST", "/segments/explain", org, json={"rules": {"combinator": "and", "rules": [
        {"field": "nope", "operator": "is", "value": "x"}]}, "customer_id": "m"})
    assert bad.status_code == 400 and bad.json()["error"]["fields"][0]["path"] == "rules.rules.0.field"
    missing = api("POST", "/segments/explain", org, json={"rules": TWO})
    assert missing.status_code == 400 and missing.json()["error"]["fields"][0]["path"] == "customer_id"
    huge = {"combinator": "and", "rules": [{"field": "source", "operator": "is", "value": "x"}] * 60}
    assert api("POST", "/segments/explain", org, json={"rules": huge, "customer_id": "m"}).status_code == 400


def test_a_saved_segments_explain_says_whether_the_committed_membership_agrees(make_org, api, ingest, make_segment,
                                                                               run_jobs):
    org = make_org()
    _seed(api, ingest, org)
    seg = make_segment(org, rules=TWO)
    run_jobs()
    r = api("GET", f"/segments/{seg['id']}/explain/m", org)
    assert r.status_code == 200, r.text
    assert r.json()["matched"] is True and r.json()["in_segment"] is True and r.json()["segment_id"] == seg["id"]
    # The data changes after the evaluation: the rules no longer match, the committed membership still has m.
    ingest(org, [{"id": "m", "full_name": "Mine", "source": "Email", "address": {"province": "Bali"},
                  "owner": "o1_agent"}])
    after = api("GET", f"/segments/{seg['id']}/explain/m", org).json()
    assert after["matched"] is False and after["in_segment"] is True
    assert api("GET", f"/segments/{seg['id']}/explain/e", org).json()["in_segment"] is False
    assert api("GET", f"/segments/{seg['id']}/explain/t", org, "agent").status_code == 404
    assert api("GET", f"/segments/{seg['id']}/explain/zz", org).status_code == 404
    assert api("GET", "/segments/999999/explain/m", org).status_code == 404


def test_the_customer_profile_holds_every_value_the_latest_records_and_the_segments(make_org, api, ingest,
                                                                                   make_segment, run_jobs):
    org = make_org()
    r = api("POST", "/custom-fields", org, json={"key": "nickname", "label": "Nickname", "type": "single_line_text"})
    assert r.status_code == 201, r.text
    _seed(api, ingest, org)
    ingest(org, [{"id": "m", "full_name": "Mine", "source": "WhatsApp", "address": {"province": "Bali"},
                  "owner": "o1_agent", "custom": {"nickname": "Minnie"}}])
    seg = make_segment(org, rules=TWO)
    run_jobs()
    r = api("GET", "/customers/m", org)
    assert r.status_code == 200, r.text
    body = r.json()
    fields = {f["key"]: f for f in api("GET", "/fields", org).json()}
    assert body["id"] == "m" and body["properties"]["source"] == "WhatsApp"
    assert body["custom_fields"] == {"custom.nickname": "Minnie"}
    metric_keys = {k for k, f in fields.items() if f["group"] == "Metrics"}
    assert metric_keys <= set(body["metrics"]) and body["metrics"]["deal.count"] == 25
    assert len(body["associations"]["deals"]) == 10 and body["associations"]["tickets"] == []
    assert {"id", "stage"} <= set(body["associations"]["deals"][0])
    assert body["segments"] == [{"segment_id": seg["id"], "segment_name": seg["name"]}]
    assert api("GET", "/customers/m", org, "agent").status_code == 200
    assert api("GET", "/customers/t", org, "agent").status_code == 404
    assert api("GET", "/customers/nope", org).status_code == 404


def test_the_preview_sample_carries_the_values_of_the_fields_the_rules_use(make_org, api, ingest):
    org = make_org()
    _seed(api, ingest, org)
    sample = api("POST", "/segments/preview", org, json={"rules": TWO}).json()["sample"]
    by_id = {row["id"]: row["values"] for row in sample}
    assert by_id["m"] == {"source": "WhatsApp", "deal.stage": ["Won", "Lead"], "province": "Bali"}
    assert by_id["t"] == {"source": "WhatsApp", "deal.stage": ["Lead"], "province": "Jakarta"}
