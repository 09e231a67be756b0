"""The catalog, suggestions and preview endpoints, and hostile input on them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.backend.rules import factories as fx

API = "/api/v1"


@pytest.fixture
def org(db, make_org):
    handle = make_org("ultimate")
    with db.session() as s:
        field_id = fx.add_custom_field(s, handle.id, "favourite_color", "dropdown", ["Red", "Blue"],
                                       label="Favourite color")
        for i, (source, province) in enumerate([("WhatsApp", "Jakarta"), ("WhatsApp", "Bali"),
                                                ("Email", "Jakarta"), ("whatsapp", "Jakarta")]):
            pk = fx.add_customer(s, handle.id, f"C{i}", full_name=f"Customer {i}", source=source,
                                 province=province, email=f"c{i}@example.com", owner="o1_agent" if i == 0 else None,
                                 custom={field_id: ("dropdown", "Red" if i % 2 else "Blue")},
                                 created_at=datetime(2025, 1, 1, tzinfo=UTC))
            if i < 2:
                fx.add_record(s, "deals", handle.id, pk, f"D{i}", stage="Won" if i == 0 else "Lead")
        fx.changed(s, handle.id, None)
    return handle


def test_the_catalog_lists_every_field_with_its_operators_and_availability(client, org):
    r = client.get(f"{API}/fields", headers=org.headers())
    assert r.status_code == 200
    fields = {f["key"]: f for f in r.json()}
    assert fields["full_name"]["label"] == "Full name"
    assert fields["deal.stage"]["label"] == "Deal stage" and fields["deal.stage"]["association"] == "deals"
    assert fields["metric.total_tickets_created"]["label"] == "Total tickets created"
    assert fields["metric.days_since_last_conversation"]["label"] == "Days since last conversation"
    assert fields["custom.favourite_color"]["options"] == ["Red", "Blue"]
    assert fields["custom.favourite_color"]["group"] == "Custom fields"
    for f in fields.values():
        assert set(f) >= {"key", "label", "group", "type", "operators", "options", "association", "package",
                          "suggestions", "available", "description"}
        if f["type"] == "date":
            assert {"in_last_days", "more_than_days_ago", "in_next_days"} <= set(f["operators"])
        assert f["available"] is True
    groups = {f["group"] for f in fields.values()}
    assert groups == {"Customer info", "Custom fields", "Basic events", "Consent", "Loyalty", "Conversations",
                      "Campaigns", "Company", "Deals", "Tickets", "Metrics"}
    assert all(f["description"] for f in fields.values() if f["group"] == "Metrics")


def test_consent_values_come_with_the_words_the_app_shows(client, org):
    fields = {f["key"]: f for f in client.get(f"{API}/fields", headers=org.headers()).json()}
    words = {"true": "Opted in", "false": "Opted out", "null": "Unknown"}
    assert fields["marketing_opt_in"]["value_labels"] == words
    assert fields["metric.marketing_opt_in_status"]["value_labels"] == words
    assert fields["full_name"]["value_labels"] is None
    # Same-named metrics are told apart by their category.
    replies = [f for f in fields.values() if f["label"] == "Reply rate"]
    assert len(replies) == 2 and len({f["category"] for f in replies}) == 2


def test_a_plus_org_sees_use_case_fields_as_unavailable_and_cannot_use_them(client, make_org):
    plus = make_org("plus")
    fields = {f["key"]: f for f in client.get(f"{API}/fields", headers=plus.headers()).json()}
    assert fields["deal.stage"]["available"] is False and fields["deal.stage"]["package"] == "ultimate"
    assert fields["source"]["available"] is True and fields["source"]["package"] == "plus"
    r = client.post(f"{API}/segments/preview", headers=plus.headers(), json={"rules": {
        "combinator": "and", "rules": [{"field": "deal.stage", "operator": "is", "value": "Won"}]}})
    assert r.status_code == 403 and "Deal stage" in r.json()["error"]["message"]


def test_starter_orgs_have_no_segmentation(client, make_org):
    starter = make_org("starter")
    for r in (client.get(f"{API}/fields", headers=starter.headers()),
              client.post(f"{API}/segments/preview", headers=starter.headers(),
                          json={"rules": {"combinator": "and", "rules": []}})):
        assert r.status_code == 403
        assert r.json()["error"]["message"] == "Segmentation is not included in the Starter package."


def test_preview_counts_summarises_and_samples_the_first_twenty_by_id(client, org):
    rules = {"combinator": "and", "rules": [{"field": "source", "operator": "is", "value": "WhatsApp"},
                                            {"field": "province", "operator": "is", "value": "Jakarta"}]}
    r = client.post(f"{API}/segments/preview", headers=org.headers(), json={"rules": rules})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["matched"] == 2 and body["total_customers"] == 4
    assert body["summary"] == "Source is WhatsApp AND Province is Jakarta"
    assert [c["id"] for c in body["sample"]] == ["C0", "C3"]
    assert set(body["sample"][0]) >= {"id", "full_name", "email", "phone", "source"}


def test_preview_sample_respects_owned_only_customer_view_but_counts_everything(client, org):
    rules = {"combinator": "and", "rules": [{"field": "source", "operator": "is_not_empty"}]}
    body = client.post(f"{API}/segments/preview", headers=org.headers("agent"), json={"rules": rules}).json()
    assert body["matched"] == 4
    assert body["visible"] is not None and body["visible"] <= 1


def test_preview_of_an_association_condition(client, org):
    rules = {"combinator": "or", "rules": [
        {"field": "deal.stage", "operator": "is", "value": "won", "match": "all"},
        {"field": "deal.count", "operator": "eq", "value": 0}]}
    body = client.post(f"{API}/segments/preview", headers=org.headers(), json={"rules": rules}).json()
    assert body["matched"] == 3
    assert body["summary"] == "Deal stage is won (all deals) OR Total deal associated equals 0"


def test_suggestions_are_existing_values_most_frequent_first_filtered_by_prefix(client, org):
    r = client.get(f"{API}/fields/source/suggestions", headers=org.headers())
    assert r.json()["values"][0] == "WhatsApp"
    r = client.get(f"{API}/fields/province/suggestions?q=ja&limit=5", headers=org.headers())
    assert r.json() == {"values": ["Jakarta"]}
    r = client.get(f"{API}/fields/deal.stage/suggestions", headers=org.headers())
    assert set(r.json()["values"]) == {"Won", "Lead"}
    r = client.get(f"{API}/fields/custom.favourite_color/suggestions", headers=org.headers())
    assert set(r.json()["values"]) == {"Red", "Blue"}


def test_user_name_fields_suggest_the_orgs_users(client, org):
    values = client.get(f"{API}/fields/owner/suggestions", headers=org.headers()).json()["values"]
    assert values[0] == "o1_agent"
    assert {"o1_org_admin", "o1_team_lead"} <= set(values)


def test_suggestions_reject_unknown_fields_and_bad_limits(client, org):
    assert client.get(f"{API}/fields/nope/suggestions", headers=org.headers()).status_code == 404
    assert client.get(f"{API}/fields/source/suggestions?limit=0", headers=org.headers()).status_code == 400
    assert client.get(f"{API}/fields/deal.size/suggestions", headers=org.headers()).status_code == 400


HOSTILE = [
    "not a tree",
    {"combinator": "and"},
    {"combinator": "xor", "rules": [{"field": "source", "operator": "is", "value": "x"}]},
    {"combinator": "and", "rules": [{"field": "source'; DROP TABLE customers; --", "operator": "is", "value": "x"}]},
    {"combinator": "and", "rules": [{"field": "source", "operator": "= 1 OR 1=1", "value": "x"}]},
    {"combinator": "and", "rules": [{"field": "source", "operator": "is", "value": "x" * 100_000}]},
    {"combinator": "and", "rules": [{"field": "source", "operator": "is", "value": {"$gt": ""}}]},
    {"combinator": "and", "rules": [{"field": "deal.size", "operator": "gt", "value": "1 OR 1=1"}]},
    {"combinator": "and", "rules": [{"field": "created_at", "operator": "on", "value": "2025-02-30"}]},
    {"combinator": "and", "rules": [{"field": "created_at", "operator": "in_last_days", "value": -1}]},
    {"combinator": "and", "rules": [{"field": "deal.size", "operator": "gt", "value": 10**30}]},
    {"combinator": "and", "rules": [{"field": "deal.size", "operator": "between", "value": [5, 1]}]},
    {"combinator": "and", "rules": [{"field": "source", "operator": "is_empty", "value": "x"}]},
    {"combinator": "and", "rules": [{"field": "source", "operator": "is"}]},
]


@pytest.mark.parametrize("rules", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_trees_are_a_400_and_never_reach_sql(client, org, rules):
    r = client.post(f"{API}/segments/preview", headers=org.headers(), json={"rules": rules})
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] in ("validation_error", "malformed_json")
    again = client.post(f"{API}/segments/preview", headers=org.headers(), json={"rules": {
        "combinator": "and", "rules": [{"field": "source", "operator": "is_not_empty"}]}})
    assert again.json()["total_customers"] == 4


def test_non_finite_numbers_are_a_400(client, org):
    body = ('{"rules": {"combinator": "and", "rules": [{"field": "deal.size", "operator": "gt", "value": 1e400}]}}')
    r = client.post(f"{API}/segments/preview", headers={**org.headers(), "content-type": "application/json"},
                    content=body)
    assert r.status_code == 400
    assert r.json()["error"]["fields"][0]["path"] == "rules.rules.0.value"


def test_deeply_nested_json_is_a_400(client, org):
    body = '{"rules": ' + '{"combinator": "and", "rules": [' * 5000 + "]}" * 5000 + "}"
    r = client.post(f"{API}/segments/preview", headers={**org.headers(), "content-type": "application/json"},
                    content=body)
    assert r.status_code == 400


def test_values_with_quotes_and_like_wildcards_match_literally(client, org, db):
    with db.session() as s:
        fx.add_customer(s, org.id, "Q1", full_name="O'Brien 100%_off")
        fx.add_customer(s, org.id, "Q2", full_name="OXBrien 1000 off")
    for value, expected in [("o'brien", 1), ("100%_", 1), ("%", 1), ("_", 1)]:
        rules = {"combinator": "and", "rules": [{"field": "full_name", "operator": "contains", "value": value}]}
        body = client.post(f"{API}/segments/preview", headers=org.headers(), json={"rules": rules}).json()
        assert body["matched"] == expected, value
