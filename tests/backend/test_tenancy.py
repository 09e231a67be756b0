"""No request reads or changes another organisation's data: ingestion and custom fields stay in the caller's org."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from backend.customers.models import Company, Customer, CustomValue, Deal
from backend.ingest.csv_import import CsvImportError, import_csv


def ingest(client, org, entity, records):
    return client.post(f"/api/v1/ingest/{entity}", json={"records": records}, headers=org.headers())


def rows(db, model, org_id: int) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model).where(model.org_id == org_id))


def names(db, org_id: int) -> dict[str, str | None]:
    with db.session() as s:
        return dict(s.execute(select(Customer.ext_id, Customer.full_name).where(Customer.org_id == org_id)).all())


def test_the_same_external_id_in_two_orgs_is_two_records(client, make_org, db):
    a, b = make_org(), make_org()
    assert ingest(client, a, "customers", [{"id": "c1", "full_name": "Ana of A"}]).json() == {"inserted": 1,
                                                                                              "updated": 0}
    # B's first record with the same id is an insert, not an update of A's record.
    assert ingest(client, b, "customers", [{"id": "c1", "full_name": "Ben of B"}]).json() == {"inserted": 1,
                                                                                              "updated": 0}
    ingest(client, b, "customers", [{"id": "c1", "full_name": None}])
    assert names(db, a.id) == {"c1": "Ana of A"}
    assert names(db, b.id) == {"c1": None}


def test_a_record_of_org_b_cannot_name_a_customer_or_company_of_org_a(client, make_org, db):
    a, b = make_org(), make_org()
    ingest(client, a, "companies", [{"id": "acme"}])
    ingest(client, a, "customers", [{"id": "a-cust"}])
    r = ingest(client, b, "deals", [{"id": "d1", "customer_id": "a-cust", "stage": "Won"}])
    assert r.status_code == 400
    assert [f["path"] for f in r.json()["error"]["fields"]] == ["records.0.customer_id"]
    r = ingest(client, b, "customers", [{"id": "b-cust", "company_id": "acme"}])
    assert r.status_code == 400
    assert [f["path"] for f in r.json()["error"]["fields"]] == ["records.0.company_id"]
    assert rows(db, Deal, b.id) == rows(db, Deal, a.id) == 0
    assert rows(db, Customer, b.id) == 0 and rows(db, Company, b.id) == 0


def test_an_associated_record_keeps_to_its_own_orgs_customer_of_the_same_id(client, make_org, db):
    a, b = make_org(), make_org()
    for org in (a, b):
        ingest(client, org, "customers", [{"id": "c1"}])
    assert ingest(client, b, "deals", [{"id": "d1", "customer_id": "c1"}]).status_code == 200
    with db.session() as s:
        deal_customer_org = s.scalar(select(Customer.org_id).join(Deal, Deal.customer_pk == Customer.pk))
    assert deal_customer_org == b.id
    assert rows(db, Deal, a.id) == 0


def test_custom_fields_are_per_organisation(client, make_org, db):
    a, b = make_org(), make_org()
    client.post("/api/v1/custom-fields", json={"key": "score", "label": "Score", "type": "number"},
                headers=a.headers())
    client.post("/api/v1/custom-fields", json={"key": "tier", "label": "Tier", "type": "dropdown",
                                               "options": ["x"]}, headers=b.headers())
    assert [f["key"] for f in client.get("/api/v1/custom-fields", headers=b.headers()).json()] == ["tier"]
    r = ingest(client, b, "customers", [{"id": "c1", "custom": {"score": 4}}])
    assert r.status_code == 400 and r.json()["error"]["fields"][0]["path"] == "records.0.custom.score"
    assert ingest(client, a, "customers", [{"id": "c1", "custom": {"score": 4}}]).status_code == 200
    assert rows(db, CustomValue, a.id) == 1 and rows(db, CustomValue, b.id) == 0


def test_an_owner_named_after_a_user_of_another_org_links_nobody(client, make_org, db):
    make_org(prefix="alpha")
    b = make_org(prefix="beta")
    ingest(client, b, "customers", [{"id": "c1", "owner": "alpha_agent", "assignee": "beta_agent"}])
    with db.session() as s:
        c = s.scalar(select(Customer).where(Customer.org_id == b.id))
        assert c.owner_user_id is None and c.assignee_user_id is not None


def test_csv_import_into_org_b_cannot_reach_org_a(db, make_org, client):
    a, b = make_org(), make_org()
    ingest(client, a, "customers", [{"id": "a-cust", "full_name": "A"}])
    with pytest.raises(CsvImportError), db.session() as s:
        import_csv(s, b.id, io.StringIO("id,customer_id\nd1,a-cust\n"), "deals")
    with db.session() as s:
        result = import_csv(s, b.id, io.StringIO("id,full_name\na-cust,B\n"))
    assert (result.inserted, result.updated) == (1, 0)
    assert names(db, a.id) == {"a-cust": "A"} and names(db, b.id) == {"a-cust": "B"}
