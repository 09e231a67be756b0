"""Custom field definitions, and custom values ingested as raw JSON plus typed rows."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from backend.customers.models import CUSTOM_FIELD_TYPES, Customer, CustomFieldDefinition, CustomValue

FIELDS = "/api/v1/custom-fields"

DEFINITIONS = [
    {"key": "nickname", "label": "Nickname", "type": "single_line_text"},
    {"key": "notes", "label": "Notes", "type": "multi_line_text"},
    {"key": "colour", "label": "Favourite colour", "type": "dropdown", "options": ["red", "green"]},
    {"key": "hobbies", "label": "Hobbies", "type": "multiple_selection", "options": ["golf", "chess", "yoga"]},
    {"key": "score", "label": "Score", "type": "number"},
    {"key": "anniversary", "label": "Anniversary", "type": "date"},
    {"key": "website", "label": "Website", "type": "url"},
    {"key": "ktp", "label": "ID card", "type": "file_upload"},
    {"key": "consent", "label": "Consent form", "type": "signature"},
    {"key": "location", "label": "Location", "type": "gps"},
]


def define_all(client, org) -> None:
    for d in DEFINITIONS:
        r = client.post(FIELDS, json=d, headers=org.headers())
        assert r.status_code == 201, r.text


def ingest(client, org, records):
    return client.post("/api/v1/ingest/customers", json={"records": records}, headers=org.headers())


def typed_rows(db, org_id: int, ext_id: str) -> dict[str, list[tuple]]:
    """key -> sorted (value_text, value_number, value_date, value_bool) rows of one customer."""
    with db.session() as s:
        rows = s.execute(select(CustomFieldDefinition.key, CustomValue.value_text, CustomValue.value_number,
                                CustomValue.value_date, CustomValue.value_bool)
                         .join(CustomFieldDefinition, CustomFieldDefinition.id == CustomValue.field_id)
                         .join(Customer, Customer.pk == CustomValue.customer_pk)
                         .where(Customer.org_id == org_id, Customer.ext_id == ext_id)).all()
    out: dict[str, list[tuple]] = {}
    for key, *values in rows:
        out.setdefault(key, []).append(tuple(values))
    return {k: sorted(v, key=repr) for k, v in out.items()}


def stored_custom(db, org_id: int, ext_id: str) -> dict | None:
    with db.session() as s:
        return s.scalar(select(Customer.custom).where(Customer.org_id == org_id, Customer.ext_id == ext_id))


def test_each_of_the_ten_types_can_be_defined_and_listed(client, make_org):
    org = make_org()
    define_all(client, org)
    listed = client.get(FIELDS, headers=org.headers("agent")).json()
    assert [(f["key"], f["type"]) for f in listed] == [(d["key"], d["type"]) for d in DEFINITIONS]
    assert {f["type"] for f in listed} == set(CUSTOM_FIELD_TYPES)
    assert listed[3]["options"] == ["golf", "chess", "yoga"] and listed[4]["options"] is None
    assert {"id", "label", "created_at"} <= set(listed[0])


@pytest.mark.parametrize(("body", "path"), [
    ({"key": "Score", "label": "S", "type": "number"}, "key"),
    ({"key": "1score", "label": "S", "type": "number"}, "key"),
    ({"key": "my-score", "label": "S", "type": "number"}, "key"),
    ({"key": "s" * 65, "label": "S", "type": "number"}, "key"),
    ({"key": "score", "label": " ", "type": "number"}, "label"),
    ({"key": "score", "label": "S", "type": "currency"}, "type"),
    ({"key": "score", "label": "S", "type": "dropdown"}, "options"),
    ({"key": "score", "label": "S", "type": "multiple_selection", "options": []}, "options"),
    ({"key": "score", "label": "S", "type": "dropdown", "options": ["a", "b", "a"]}, "options.2"),
    ({"key": "score", "label": "S", "type": "dropdown", "options": ["a", ""]}, "options.1"),
    ({"key": "score", "label": "S", "type": "number", "options": ["1"]}, "options"),
    ({"label": "S", "type": "number"}, "key"),
    ({"key": "score", "label": "S", "type": "number", "colour": "red"}, "colour"),
])
def test_an_invalid_definition_is_a_400_naming_the_field(client, make_org, db, body, path):
    org = make_org()
    r = client.post(FIELDS, json=body, headers=org.headers())
    assert r.status_code == 400, r.text
    assert path in [f["path"] for f in r.json()["error"]["fields"]]
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(CustomFieldDefinition)) == 0


def test_a_key_is_unique_in_the_organisation_only(client, make_org):
    a, b = make_org(), make_org()
    body = {"key": "score", "label": "Score", "type": "number"}
    assert client.post(FIELDS, json=body, headers=a.headers()).status_code == 201
    r = client.post(FIELDS, json=body, headers=a.headers())
    assert r.status_code == 409 and r.json()["error"]["code"] == "duplicate_key"
    assert client.post(FIELDS, json=body, headers=b.headers()).status_code == 201


def test_only_an_org_admin_defines_fields(client, make_org):
    org = make_org()
    for role in ("team_lead", "agent"):
        r = client.post(FIELDS, json={"key": "score", "label": "Score", "type": "number"}, headers=org.headers(role))
        assert r.status_code == 403
    assert client.get(FIELDS, headers=org.headers()).json() == []


def test_custom_values_of_every_type_are_stored_raw_and_as_typed_rows(client, make_org, db):
    org = make_org()
    define_all(client, org)
    custom = {
        "nickname": "Bud", "notes": "line one\nline two " + "x" * 9000, "colour": "red",
        "hobbies": ["golf", "yoga"], "score": 7, "anniversary": "2020-06-01", "website": "example.com/budi",
        "ktp": ["https://files.example.com/1.png", "https://files.example.com/2.png"],
        "consent": {"url": "https://files.example.com/sig.png", "complete": False}, "location": "-6.2,106.8",
    }
    r = ingest(client, org, [{"id": "c1", "custom": custom}])
    assert r.status_code == 200, r.text
    assert stored_custom(db, org.id, "c1") == custom
    assert typed_rows(db, org.id, "c1") == {
        "nickname": [("Bud", None, None, None)],
        "notes": [(custom["notes"], None, None, None)],
        "colour": [("red", None, None, None)],
        "hobbies": [("golf", None, None, None), ("yoga", None, None, None)],
        "score": [(None, 7.0, None, None)],
        "anniversary": [(None, None, date(2020, 6, 1), None)],
        "website": [("example.com/budi", None, None, None)],
        "ktp": [("https://files.example.com/1.png", None, None, None),
                ("https://files.example.com/2.png", None, None, None)],
        "consent": [("https://files.example.com/sig.png", None, None, False)],
        "location": [("-6.2,106.8", None, None, None)],
    }


def test_a_single_file_url_is_one_row(client, make_org, db):
    org = make_org()
    define_all(client, org)
    assert ingest(client, org, [{"id": "c1", "custom": {"ktp": "https://f.example.com/a.pdf"}}]).status_code == 200
    assert typed_rows(db, org.id, "c1") == {"ktp": [("https://f.example.com/a.pdf", None, None, None)]}


def test_updating_one_custom_value_replaces_only_its_rows_and_null_clears(client, make_org, db):
    org = make_org()
    define_all(client, org)
    ingest(client, org, [{"id": "c1", "custom": {"hobbies": ["golf", "chess"], "score": 1, "nickname": "A"}}])
    r = ingest(client, org, [{"id": "c1", "custom": {"hobbies": ["yoga"], "nickname": None}}])
    assert r.json() == {"inserted": 0, "updated": 1}
    assert stored_custom(db, org.id, "c1") == {"hobbies": ["yoga"], "score": 1}
    assert typed_rows(db, org.id, "c1") == {"hobbies": [("yoga", None, None, None)], "score": [(None, 1.0, None, None)]}
    ingest(client, org, [{"id": "c1", "full_name": "no custom sent"}])
    assert set(typed_rows(db, org.id, "c1")) == {"hobbies", "score"}
    ingest(client, org, [{"id": "c1", "custom": None}])
    assert stored_custom(db, org.id, "c1") is None and typed_rows(db, org.id, "c1") == {}


BAD_VALUES = [
    ("nickname", "x" * 256, "records.0.custom.nickname"),
    ("nickname", 5, "records.0.custom.nickname"),
    ("notes", "x" * 10_001, "records.0.custom.notes"),
    ("colour", "blue", "records.0.custom.colour"),
    ("colour", ["red"], "records.0.custom.colour"),
    ("hobbies", "golf", "records.0.custom.hobbies"),
    ("hobbies", ["golf", "surfing"], "records.0.custom.hobbies.1"),
    ("score", "seven", "records.0.custom.score"),
    ("score", True, "records.0.custom.score"),
    ("anniversary", "01-06-2020", "records.0.custom.anniversary"),
    ("anniversary", 20200601, "records.0.custom.anniversary"),
    ("website", "not a url", "records.0.custom.website"),
    ("website", 42, "records.0.custom.website"),
    ("ktp", 42, "records.0.custom.ktp"),
    ("ktp", ["https://ok.example.com/a", 3], "records.0.custom.ktp.1"),
    ("consent", "https://sig.example.com/a.png", "records.0.custom.consent"),
    ("consent", {"url": "https://sig.example.com/a.png"}, "records.0.custom.consent.complete"),
    ("consent", {"complete": True}, "records.0.custom.consent.url"),
    ("consent", {"url": "https://s.example.com", "complete": "yes"}, "records.0.custom.consent.complete"),
    ("consent", {"url": "https://s.example.com", "complete": True, "by": "x"}, "records.0.custom.consent.by"),
    ("location", {"lat": 1, "lng": 2}, "records.0.custom.location"),
]


@pytest.mark.parametrize(("key", "value", "path"), BAD_VALUES, ids=[f"{k}-{i}" for i, (k, _, _) in
                                                                     enumerate(BAD_VALUES)])
def test_a_custom_value_of_the_wrong_type_is_a_400_and_writes_nothing(client, make_org, db, key, value, path):
    org = make_org()
    define_all(client, org)
    r = ingest(client, org, [{"id": "c1", "custom": {key: value}}, {"id": "c2", "custom": {"score": 1}}])
    assert r.status_code == 400, r.text
    assert [f["path"] for f in r.json()["error"]["fields"]] == [path]
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Customer)) == 0
        assert s.scalar(select(func.count()).select_from(CustomValue)) == 0


def test_an_undefined_custom_key_is_a_400(client, make_org, db):
    org = make_org()
    r = ingest(client, org, [{"id": "c1", "custom": {"score": 3}}])
    assert r.status_code == 400
    assert r.json()["error"]["fields"][0]["path"] == "records.0.custom.score"
    r = ingest(client, org, [{"id": "c1", "custom": ["score", 3]}])
    assert r.json()["error"]["fields"][0]["path"] == "records.0.custom"
