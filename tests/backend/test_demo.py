"""The demo organisation: deterministic, realistic, fast to write, and signed into with fixed passwords."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from backend import cli
from backend.auth.models import Organisation, User
from backend.customers.models import (
    CampaignDelivery,
    Company,
    Conversation,
    ConversationTag,
    Customer,
    CustomerUsername,
    CustomFieldDefinition,
    CustomValue,
    Deal,
    Order,
    Ticket,
)
from backend.demo import generate, vocab
from backend.demo.service import (
    DEMO_ORG_NAME,
    DEMO_USERS,
    STAGE_CUSTOMERS,
    STAGE_DONE,
    STAGE_METRICS,
    STAGE_SETUP,
    seed_demo,
)
from backend.ingest import events

N = 300
TODAY = date(2025, 3, 14)
ANCHOR = generate.anchor_for(TODAY, "Asia/Jakarta").replace(tzinfo=UTC)
RECORD_TABLES = (Company, Customer, CustomerUsername, CustomValue, Conversation, ConversationTag,
                 CampaignDelivery, Deal, Ticket, Order)
ASSOCIATIONS = (Conversation, CampaignDelivery, Deal, Ticket, Order)
CONTRACT_TYPES = {"single_line_text", "multi_line_text", "dropdown", "multiple_selection", "number", "date", "url",
                  "file_upload", "signature", "gps"}


def seed(db, customers: int = N, seed_value: int = 7, **kw: Any) -> int:
    with db.session() as s:
        return seed_demo(s, customers, seed_value, today=TODAY, **kw)


def rows(db, model) -> list:
    with db.session() as s:
        return list(s.scalars(select(model)))


def snapshot(db, org_id: int) -> dict[str, list[tuple]]:
    """Every demo record of the org with surrogate keys replaced by the ids a caller would know."""
    with db.session() as s:
        users = dict(s.execute(select(User.id, User.username)).all())
        customers = dict(s.execute(select(Customer.pk, Customer.ext_id).where(Customer.org_id == org_id)).all())
        companies = dict(s.execute(select(Company.pk, Company.ext_id).where(Company.org_id == org_id)).all())
        convs = dict(s.execute(select(Conversation.pk, Conversation.ext_id)
                               .where(Conversation.org_id == org_id)).all())
        fields = dict(s.execute(select(CustomFieldDefinition.id, CustomFieldDefinition.key)
                                .where(CustomFieldDefinition.org_id == org_id)).all())
        keys = {"customer_pk": customers, "company_pk": companies, "conversation_pk": convs, "field_id": fields,
                "owner_user_id": users, "assignee_user_id": users}
        out = {}
        for model in (*RECORD_TABLES, CustomFieldDefinition):
            table = model.__table__
            names = [c.name for c in table.c if c.name not in ("pk", "id", "org_id", "ingested_at")]
            result = []
            for row in s.execute(select(*(table.c[n] for n in names)).where(table.c.org_id == org_id)):
                result.append(tuple(keys[n].get(v) if n in keys and v is not None else v
                                    for n, v in zip(names, row, strict=True)))
            out[table.name] = sorted(result, key=repr)
        return out


def test_same_seed_and_reference_day_give_identical_data(db):
    first = snapshot(db, seed(db))
    again = snapshot(db, seed(db, force=True))
    assert first == again
    assert all(first[t.__tablename__] for t in RECORD_TABLES)
    other = snapshot(db, seed(db, seed_value=8, force=True))
    assert other["customers"] != first["customers"]


def test_a_rebuild_leaves_exactly_one_demo_organisation(db):
    seed(db, customers=40)
    org_id = seed(db, customers=60, force=True)
    with db.session() as s:
        assert s.scalars(select(Organisation.id).where(Organisation.name == DEMO_ORG_NAME)).all() == [org_id]
        assert s.scalar(select(func.count()).select_from(Customer)) == 60


def test_records_per_customer_follow_the_briefs_ratios_with_a_skew(db):
    seed(db)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Company)) == N // 8
        per_customer = {}
        for model in ASSOCIATIONS:
            counts = dict(s.execute(select(model.customer_pk, func.count()).group_by(model.customer_pk)).all())
            per_customer[model] = [counts.get(pk, 0) for pk in s.scalars(select(Customer.pk))]
    expected = {Conversation: 10, CampaignDelivery: 5, Deal: 2, Ticket: 2, Order: 3}
    for model, mean in expected.items():
        counts = per_customer[model]
        assert 0.7 * mean <= sum(counts) / N <= 1.3 * mean, model.__name__
        # Skewed: some customers have none, some many times the average.
        assert counts.count(0) >= N * 0.05, model.__name__
        assert max(counts) >= 2.5 * mean, model.__name__


def test_every_field_has_some_empty_and_some_filled_values(db):
    seed(db)
    with db.session() as s:
        for model in RECORD_TABLES:
            table = model.__table__
            for col in table.c:
                if col.primary_key or not col.nullable or col.name in ("org_id", "ext_id", "ingested_at"):
                    continue
                filled = s.scalar(select(func.count()).where(col.is_not(None)))
                empty = s.scalar(select(func.count()).where(col.is_(None)))
                assert filled > 0, f"{table.name}.{col.name} is always empty"
                if col.name in ("value_text", "value_number", "value_date", "value_bool"):
                    continue  # one typed column per custom value row: the others are empty by design
                assert empty > 0, f"{table.name}.{col.name} is never empty"


def test_customers_look_indonesian_and_are_consistent(db):
    seed(db)
    customers = rows(db, Customer)
    users = {u.username: u.id for u in rows(db, User)}
    cities = {p: {c for c, _ in cs} for p, cs, _, _ in vocab.PROVINCES}
    ext_ids = [c.ext_id for c in customers]
    assert sorted(ext_ids) == [generate.customer_ext_id(n, N) for n in range(1, N + 1)] == sorted(ext_ids, key=str)
    assert ext_ids[0] == "C000001"
    for c in customers:
        assert c.phone is None or (c.phone.startswith("+628") and c.phone[1:].isdigit())
        assert c.email is None or ("@" in c.email and c.email == c.email.lower())
        if c.date_of_birth is not None:
            assert 17 <= (TODAY - c.date_of_birth).days // 365 <= 71
        if c.city is not None:
            assert c.city in cities[c.province]
        assert c.owner_user_id == users.get(c.owner) and c.assignee_user_id == users.get(c.assignee)
        assert c.owner is None or c.owner in users
        for stamp in (c.created_at, c.updated_at, c.marketing_opt_in_at, c.loyalty_member_created_at):
            assert stamp is None or stamp <= ANCHOR
        if c.created_at and c.updated_at:
            assert c.created_at <= c.updated_at
        if c.marketing_opt_in is None:
            assert c.marketing_opt_in_account is None and c.marketing_opt_in_at is None
        if not c.loyalty_is_member:
            assert c.loyalty_current_tier is None and c.loyalty_available_balance is None
        else:
            assert c.loyalty_current_tier in {"Bronze", "Silver", "Gold", "Platinum"}
            assert c.loyalty_available_balance <= c.loyalty_lifetime_earned
        assert c.bsuid is None or (c.bsuid.startswith("ID.") and c.phone is not None)
    assert {c.source for c in customers} >= {"WhatsApp", "Email", "Instagram", "Facebook", "Website", None}
    top_source = Counter(c.source for c in customers).most_common(1)[0][0]
    assert top_source == "WhatsApp"
    assert {c.province for c in customers} >= {"DKI Jakarta", "Jawa Barat", "Jawa Timur", "Bali", "Sumatera Utara"}
    assert {c.marketing_opt_in for c in customers} == {True, False, None}
    with db.session() as s:
        listed = s.scalar(select(func.count()).select_from(CustomerUsername))
    assert listed == sum(len(c.usernames or []) for c in customers) > 0


def test_associated_records_are_internally_consistent(db):
    seed(db)
    for conv in rows(db, Conversation):
        if conv.messages_received is not None:
            assert 0 <= conv.messages_replied <= conv.messages_received
        if conv.associated_at and conv.last_activity_at:
            assert conv.associated_at <= conv.last_activity_at <= ANCHOR
        assert conv.csat is None or 1 <= conv.csat <= 5
        assert conv.nps is None or 0 <= conv.nps <= 10
    for d in rows(db, CampaignDelivery):
        assert (d.opened_at is not None) == (d.status in ("read", "replied"))
        assert (d.replied_at is not None) == (d.status == "replied")
        if d.replied_at and d.sent_at:
            assert d.sent_at <= d.opened_at <= d.replied_at <= ANCHOR
        if d.ad_clicks is not None:
            assert d.ad_clicks <= d.ad_impressions
    for deal in rows(db, Deal):
        assert (deal.closed_at is not None) == (deal.outcome in ("won", "lost")) or deal.outcome is None
        if deal.closed_at and deal.created_at:
            assert deal.created_at <= deal.closed_at <= ANCHOR
        assert deal.outcome != "open" or not deal.closed_at
    for t in rows(db, Ticket):
        if t.resolved_at and t.due_at and t.sla_breached is not None:
            assert t.sla_breached == (t.resolved_at > t.due_at)
        if t.resolved_at is None and t.due_at and t.sla_breached is not None:
            assert t.sla_breached == (t.due_at < ANCHOR)
    orders = rows(db, Order)
    assert {o.kind for o in orders} == {"order", "booking", None}
    assert {o.status for o in orders} == {"completed", "cancelled", "no_show", "pending", None}
    assert all(o.status != "no_show" or o.kind in ("booking", None) for o in orders)
    assert {d.status for d in rows(db, CampaignDelivery)} == {"sent", "delivered", "failed", "read", "replied", None}
    tags = Counter(t.conversation_pk for t in rows(db, ConversationTag))
    assert tags == Counter({c.pk: len(c.tags) for c in rows(db, Conversation) if c.tags})


def test_recency_segments_have_members_both_recent_and_lapsed(db):
    seed(db)
    with db.session() as s:
        latest = dict(s.execute(select(Conversation.customer_pk, func.max(Conversation.last_activity_at))
                                .group_by(Conversation.customer_pk)).all())
    days = [(ANCHOR - stamp).days for stamp in latest.values() if stamp is not None]
    within_30 = sum(d <= 30 for d in days)
    lapsed_90 = sum(d > 90 for d in days)
    assert within_30 >= 0.3 * len(days)
    assert lapsed_90 >= 0.1 * len(days)


def test_timestamps_written_in_bulk_compare_like_any_other(db):
    """The bulk writer stores the text/values SQLAlchemy itself would, so bound comparisons agree."""
    seed(db)
    stamps = [c.created_at for c in rows(db, Customer) if c.created_at is not None]
    assert all(s.tzinfo is not None for s in stamps)
    pivot = sorted(stamps)[len(stamps) // 2]
    with db.session() as s:
        assert s.scalar(select(func.count()).where(Customer.created_at >= pivot)) == sum(x >= pivot for x in stamps)
        born = [c.date_of_birth for c in s.scalars(select(Customer)) if c.date_of_birth]
        cut = sorted(born)[len(born) // 3]
        assert s.scalar(select(func.count()).where(Customer.date_of_birth < cut)) == sum(b < cut for b in born)
        assert s.scalar(select(func.count()).where(Customer.has_chatroom.is_(True))) > 0


def test_custom_fields_of_every_type_hold_values_stored_as_documented(db):
    seed(db)
    definitions = {d.id: d for d in rows(db, CustomFieldDefinition)}
    assert {d.type for d in definitions.values()} == CONTRACT_TYPES
    by_customer: dict[tuple[int, str], list[CustomValue]] = {}
    for v in rows(db, CustomValue):
        by_customer.setdefault((v.customer_pk, definitions[v.field_id].key), []).append(v)
    assert {key for _, key in by_customer} == {d.key for d in definitions.values()}
    signatures = set()
    for c in rows(db, Customer):
        for key, raw in (c.custom or {}).items():
            d = next(d for d in definitions.values() if d.key == key)
            stored = by_customer.pop((c.pk, key))
            if d.type == "number":
                assert [v.value_number for v in stored] == [float(raw)]
            elif d.type == "date":
                assert [v.value_date for v in stored] == [date.fromisoformat(raw)]
            elif d.type == "signature":
                assert [(v.value_text, v.value_bool) for v in stored] == [(raw["url"], raw["complete"])]
                signatures.add(raw["complete"])
            elif d.type in ("multiple_selection", "file_upload"):
                expected = raw if isinstance(raw, list) else [raw]
                assert sorted(v.value_text for v in stored) == sorted(expected)
                if d.type == "multiple_selection":
                    assert set(expected) <= set(d.options)
            else:
                assert [v.value_text for v in stored] == [raw]
                if d.type == "dropdown":
                    assert raw in d.options
            for v in stored:
                typed = [v.value_text, v.value_number, v.value_date]
                assert sum(x is not None for x in typed) == 1
                assert (v.value_bool is not None) == (d.type == "signature")
    assert not by_customer, "custom values without a raw value on the customer"
    assert signatures == {True, False}, "complete and partial signatures"


def test_each_role_signs_in_with_the_documented_password(db, client):
    org_id = seed(db, customers=20)
    roles = {}
    for user in DEMO_USERS:
        r = client.post("/api/v1/auth/login", json={"username": user.username, "password": user.password})
        assert r.status_code == 200, r.text
        me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {r.json()['access_token']}"}).json()
        assert me["organisation"]["id"] == org_id
        roles[user.username] = me["user"]["role"]
    assert roles["admin"] == "org_admin" and roles["lead"] == "team_lead" and roles["agent"] == "agent"
    assert {u.username: (u.password, u.display_name) for u in DEMO_USERS}["admin"] == ("Admin-pass-1", "Dewi Admin")
    with db.session() as s:
        org = s.get(Organisation, org_id)
        assert (org.name, org.package, org.timezone) == ("Demo Organisation", "ultimate", "Asia/Jakarta")
        owned = s.scalar(select(func.count()).select_from(Customer).join(User, User.id == Customer.owner_user_id)
                         .where(User.username == "agent"))
    assert owned > 0


def test_progress_is_reported_in_order_from_setup_to_done(db):
    calls = []
    with db.session() as s:
        seed_demo(s, 4_500, 1, lambda done, total, stage: calls.append((done, total, stage)), today=TODAY)
    assert calls[0] == (0, 4_500, STAGE_SETUP)
    assert calls[-2:] == [(4_500, 4_500, STAGE_METRICS), (4_500, 4_500, STAGE_DONE)]
    steps = [done for done, _, stage in calls if stage == STAGE_CUSTOMERS]
    assert steps == sorted(steps) and len(steps) >= 3 and steps[-1] == 4_500


def test_derived_data_is_told_that_every_customer_changed(db, monkeypatch):
    heard = []
    monkeypatch.setattr(events, "_listeners", [lambda session, org, pks: heard.append((org, pks))])
    org_id = seed(db, customers=10)
    assert heard == [(org_id, None)]


def test_an_existing_demo_is_returned_without_changes_unless_forced(db):
    org_id = seed(db, customers=30)
    with db.session() as s:
        s.get(Customer, s.scalar(select(Customer.pk).where(Customer.ext_id == "C000001"))).full_name = "Changed"
    assert seed(db, customers=99) == org_id
    names = {c.ext_id: c.full_name for c in rows(db, Customer)}
    assert len(names) == 30 and names["C000001"] == "Changed"
    seed(db, customers=30, force=True)
    assert {c.ext_id: c.full_name for c in rows(db, Customer)}["C000001"] != "Changed"


def test_cli_prints_only_the_org_id_and_is_idempotent(db, monkeypatch, capsys):
    monkeypatch.setenv("SEGSTUDIO_DATABASE_URL", db.url)
    argv = ["--log-level", "WARNING", "seed-demo", "--customers", "25", "--today", TODAY.isoformat()]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    with db.session() as s:
        org_id = s.scalar(select(Organisation.id).where(Organisation.name == DEMO_ORG_NAME))
        before = s.scalar(select(func.count()).select_from(Conversation))
    assert out == f"{org_id}\n"
    assert cli.main([*argv[:4], "50"]) == 0
    assert capsys.readouterr().out == f"{org_id}\n"
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Customer)) == 25
        assert s.scalar(select(func.count()).select_from(Conversation)) == before
    assert cli.main([*argv[:4], "50", "--force"]) == 0
    assert capsys.readouterr().out.strip().isdigit()
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Customer)) == 50


def test_cli_refuses_a_negative_count(db, monkeypatch, capsys):
    monkeypatch.setenv("SEGSTUDIO_DATABASE_URL", db.url)
    with pytest.raises(SystemExit) as exc:
        cli.main(["seed-demo", "--customers", "-5"])
    assert exc.value.code == 2
    assert "negative" in capsys.readouterr().err


def test_the_reference_day_moves_the_data_with_it(db):
    seed(db, customers=20)
    first = {c.ext_id: c.created_at for c in rows(db, Customer)}
    with db.session() as s:
        seed_demo(s, 20, 7, today=TODAY + timedelta(days=10), force=True)
    later = {c.ext_id: c.created_at for c in rows(db, Customer)}
    shifted = {k: later[k] - v for k, v in first.items() if v is not None}
    assert set(shifted.values()) == {timedelta(days=10)}
    assert isinstance(next(iter(later.values())), datetime)


def test_the_demo_organisation_has_whatsapp_and_email_campaign_templates(db, client):
    seed(db, customers=20)
    r = client.post("/api/v1/auth/login", json={"username": "admin", "password": "Admin-pass-1"})
    headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
    for channel in ("whatsapp", "email"):
        templates = client.get(f"/api/v1/campaign-templates?channel={channel}", headers=headers).json()
        assert templates and {t["channel"] for t in templates} == {channel}
        assert any(t["variables"] for t in templates)
