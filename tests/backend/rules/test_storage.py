"""The storage kinds' records for explain: a customer's values for a field, with the record each comes
from (the differential test holds them to the reference evaluator over random data; these pin the shape)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from backend.rules import engine
from backend.rules.fields import build_registry
from backend.rules.storage import FieldValue
from tests.backend.rules import factories as fx

TODAY = date(2025, 6, 15)


def test_records_name_each_associated_record_and_the_customers_own_values(db):
    with db.session() as s:
        org = fx.make_org(s)
        colour = fx.add_custom_field(s, org.id, "colours", "multiple_selection", ["red", "blue"])
        acme = fx.add_company(s, org.id, "acme", industry="Retail")
        pk = fx.add_customer(s, org.id, "c1", full_name="Ayu", usernames=["ayu", "ayu2"], company_pk=acme,
                             custom={colour: ("multiple_selection", ["red", "blue"])})
        bare = fx.add_customer(s, org.id, "c2", full_name="Budi")
        fx.add_record(s, "deals", org.id, pk, "d1", stage="Won")
        fx.add_record(s, "deals", org.id, pk, "d2", stage=None)
        fx.add_record(s, "conversations", org.id, pk, "v1", tags=["vip", "promo"])
        fx.add_record(s, "conversations", org.id, pk, "v2")
        for ext, day in (("o1", 1), ("o2", 20)):  # o2 comes after "today"
            fx.add_record(s, "orders", org.id, pk, ext, kind="order", status="completed",
                          created_at=datetime(2025, 6, day, 5, tzinfo=UTC))
        fx.add_record(s, "orders", org.id, pk, "o3", kind="order", status="completed",
                      created_at=datetime(2024, 1, 1, tzinfo=UTC))  # outside the 90 days
        fx.changed(s, org.id, None)
        registry = build_registry(s, org)
        ctx = engine.eval_context(org, TODAY)

        def records(key: str, customer: int = pk) -> list[FieldValue]:
            field = registry.get(key)
            assert field is not None
            return field.storage.records(s, org.id, customer, ctx)

        assert records("full_name") == [FieldValue(None, "Ayu")]
        assert records("usernames") == [FieldValue(None, ["ayu", "ayu2"])]
        assert records("custom.colours") == [FieldValue(None, ["red", "blue"])]
        assert records("deal.stage") == [FieldValue("d1", "Won"), FieldValue("d2", None)]
        assert records("conversation.tags") == [FieldValue("v1", ["vip", "promo"]), FieldValue("v2", [])]
        assert records("company.industry") == [FieldValue("acme", "Retail")]
        assert records("deal.count") == [FieldValue(None, 2)]
        assert records("metric.purchase_frequency_90d") == [FieldValue(None, 1)]
        # A customer without records: no per-record values, the empty aggregates, no company.
        assert records("deal.stage", bare) == [] and records("company.industry", bare) == []
        assert records("deal.count", bare) == [FieldValue(None, 0)]
        assert records("custom.colours", bare) == [FieldValue(None, [])]
