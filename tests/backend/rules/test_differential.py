"""The compiled SQL agrees with the plain-Python reference evaluator, on SQLite and PostgreSQL.

Hypothesis draws small organisations (customers, custom values, companies and every kind of
associated record, with values chosen to collide often: mixed case, LIKE wildcards, empties,
timestamps either side of local midnight) and random valid rule trees over every field.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from backend.customers.models import Customer
from backend.metrics.aggregates import python_aggregates
from backend.metrics.models import CustomerMetrics
from backend.rules import engine, reference
from backend.rules.fields import build_registry
from backend.rules.operators import Kind, Shape
from backend.rules.summary import node_text
from backend.rules.tree import Group, Node
from tests.backend.rules import factories as fx

TODAY = date(2025, 6, 15)
TEXTS = ["alpha", "Alpha", "ALPHA beta", "beta", "gamma_1", "50% off", "a/b", "", None]
URLS = ["http://site.com/a", "https://Site.com/b", "site.com/a", "", None]
OPTIONS = ["red", "green", "blue"]
NUMBERS = [None, 0, 1, 2, 5, 10, -3, 2.5]
# Anniversaries in earlier years: a leap day, either side of the year end and of TODAY's month-day.
BIRTHDAYS = [date(2000, 2, 29), date(1999, 2, 28), date(1990, 3, 1), date(1980, 12, 31), date(1995, 1, 3),
             date(1990, 6, 20), date(1990, 6, 14)]
# Values an "is any of" list may hold: the text pool's and the dropdowns' (mixed case on purpose).
LIST_TEXTS = ["alpha", "ALPHA beta", "beta", "gamma_1", "50% off", "One", "two", "Jakarta", "bali", "Won",
              "whatsapp", "ana", "Gold", "site.com/a", "https://Site.com/b"]


def _instant(days: int, hour: int) -> datetime:
    # Jakarta is UTC+7: hour 16-17 UTC falls on either side of local midnight.
    return datetime.combine(TODAY - timedelta(days=days), datetime.min.time(), UTC) + timedelta(hours=hour)


instants = st.one_of(st.none(), st.builds(_instant, st.integers(-5, 40), st.sampled_from([0, 10, 16, 17, 23])))
texts = st.sampled_from(TEXTS)
filled = st.sampled_from([t for t in TEXTS if t is not None])
numbers = st.sampled_from(NUMBERS)
small = st.one_of(st.none(), st.integers(0, 6))

conversation = st.fixed_dictionaries({
    "status": texts, "assignee": st.sampled_from(["ana", "Budi", None]), "channel": st.sampled_from(
        ["WhatsApp", "Email", "whatsapp", None]), "account_name": texts, "tags": st.lists(filled, max_size=3),
    "associated_at": instants, "last_activity_at": instants, "messages_sent_by_customer": small,
    "messages_received": small, "messages_replied": small, "first_response_minutes": small,
    "call_duration_seconds": small, "csat": st.one_of(st.none(), st.integers(1, 5)),
    "nps": st.one_of(st.none(), st.integers(0, 10)), "resolved_by_bot": st.sampled_from([True, False, None]),
})
campaign = st.fixed_dictionaries({
    "campaign_name": texts, "channel": st.sampled_from(["WhatsApp", "Email", None]),
    "status": st.sampled_from(["sent", "delivered", "failed", "read", "replied", None]),
    "sent_at": instants, "opened_at": instants, "replied_at": instants, "attributed_revenue": small,
    "ad_impressions": small, "ad_clicks": small, "ad_converted": st.sampled_from([True, False, None]),
    "ad_cost": small,
})
deal = st.fixed_dictionaries({
    "pipeline": texts, "stage": st.sampled_from(["Won", "won", "Lead", "", None]), "approval_status": texts,
    "size": numbers, "owner": st.sampled_from(["ana", "budi", None]), "priority": texts,
    "created_at": instants, "closed_at": instants, "outcome": st.sampled_from(["open", "won", "lost", None]),
    "rotten": st.sampled_from([True, False, None]),
})
ticket = st.fixed_dictionaries({
    "pipeline": texts, "stage": texts, "owner": st.sampled_from(["ana", None]), "reporter": texts,
    "assignee": st.sampled_from(["ana", "budi", None]), "priority": texts, "sla_status": texts,
    "created_at": instants, "updated_at": instants, "due_at": instants, "resolved_at": instants,
    "sla_breached": st.sampled_from([True, False, None]), "category": st.sampled_from(["billing", "login", None]),
})
order = st.fixed_dictionaries({
    "kind": st.sampled_from(["order", "booking"]), "amount": small,
    "payment_method": st.sampled_from(["card", "cash", "", None]),
    "status": st.sampled_from(["completed", "cancelled", "no_show", "pending"]),
    "paid": st.sampled_from([True, False, None]), "created_at": instants,
})
customer = st.fixed_dictionaries({
    "full_name": texts, "email": texts, "phone": st.sampled_from(["0812", "+62812", None]),
    "usernames": st.lists(filled, max_size=2),
    "date_of_birth": st.one_of(st.none(), st.builds(lambda d: TODAY - timedelta(days=d), st.integers(-3, 30)),
                               st.sampled_from(BIRTHDAYS)),
    "sex": st.sampled_from(["male", "female", None]), "source": st.sampled_from(["WhatsApp", "whatsapp", "Email",
                                                                                  "", None]),
    "province": st.sampled_from(["Jakarta", "Bali", None]), "owner": st.sampled_from(["ana", "budi", None]),
    "created_at": instants, "updated_at": instants, "created_by": texts,
    "marketing_opt_in": st.sampled_from([True, False, None]), "marketing_opt_in_at": instants,
    "loyalty_is_member": st.sampled_from([True, False, None]), "loyalty_available_balance": numbers,
    "loyalty_current_tier": st.sampled_from(["Gold", "gold", "Silver", None]),
    "company": st.sampled_from([None, 0, 1]),
    "custom_text": texts, "custom_url": st.sampled_from(URLS), "custom_number": numbers,
    "custom_date": st.one_of(st.none(), st.builds(lambda d: TODAY - timedelta(days=d), st.integers(-3, 30)),
                             st.sampled_from(BIRTHDAYS)),
    "custom_multi": st.one_of(st.none(), st.lists(st.sampled_from(OPTIONS + ["Red"]), max_size=3)),
    "custom_files": st.one_of(st.none(), st.lists(st.sampled_from(["f1.pdf", ""]), max_size=2)),
    "custom_signature": st.one_of(st.none(), st.fixed_dictionaries(
        {"url": st.sampled_from(["s.png", ""]), "complete": st.booleans()})),
    "custom_dropdown": st.sampled_from(["One", "one", "Two", "", None]),
    "conversations": st.lists(conversation, max_size=3), "campaigns": st.lists(campaign, max_size=2),
    "deals": st.lists(deal, max_size=3), "tickets": st.lists(ticket, max_size=3),
    "orders": st.lists(order, max_size=3),
})
companies = st.lists(st.fixed_dictionaries({"industry": texts, "employees": small, "revenue": numbers}),
                     min_size=2, max_size=2)

CUSTOM = {"custom_text": "single_line_text", "custom_url": "url", "custom_number": "number",
          "custom_date": "date", "custom_multi": "multiple_selection", "custom_files": "file_upload",
          "custom_signature": "signature", "custom_dropdown": "dropdown"}


def _value(field: Any, shape: Shape, draw: Any) -> Any:
    text_pool = [t for t in (URLS if field.spec.url else TEXTS) if t] + ["a", "ph", "%", "_", "/", "e/"]
    if shape is Shape.NONE:
        return None
    if shape is Shape.TEXT:
        return draw(st.sampled_from(text_pool))
    if shape is Shape.TEXT_LIST and field.kind is Kind.TEXT:
        return draw(st.lists(st.sampled_from(LIST_TEXTS), min_size=1, max_size=4))
    if shape is Shape.TEXT_LIST:
        return draw(st.lists(st.sampled_from(OPTIONS + ["RED", "purple"]), min_size=1, max_size=3))
    if shape is Shape.NUMBER:
        return draw(st.sampled_from([0, 1, 2, 2.5, 5, 9, 10, 50, 100, -3, 33.3]))
    if shape is Shape.NUMBER_PAIR:
        a, b = sorted(draw(st.lists(st.sampled_from([0, 1, 2, 5, 10, 50, 100]), min_size=2, max_size=2)))
        return [a, b]
    if shape is Shape.DATE:
        return (TODAY - timedelta(days=draw(st.integers(-3, 30)))).isoformat()
    if shape is Shape.DATE_PAIR:
        a, b = sorted(draw(st.lists(st.integers(-3, 30), min_size=2, max_size=2)))
        return [(TODAY - timedelta(days=b)).isoformat(), (TODAY - timedelta(days=a)).isoformat()]
    if shape is Shape.DAY_COUNT:
        return draw(st.integers(0, 10))
    if shape is Shape.BOOL:
        return draw(st.booleans())
    raise AssertionError(shape)


@st.composite
def conditions(draw: Any, registry: Any) -> dict[str, Any]:
    field = draw(st.sampled_from(sorted(registry.fields.values(), key=lambda f: f.key)))
    op = draw(st.sampled_from(field.operators))
    from backend.rules.operators import TABLE
    cond = {"field": field.key, "operator": op, "value": _value(field, TABLE[field.kind][op].shape, draw)}
    if field.per_record:
        cond["match"] = draw(st.sampled_from(["any", "all", "none"]))
    return cond


@st.composite
def trees(draw: Any, registry: Any) -> dict[str, Any]:
    def group(depth: int) -> dict[str, Any]:
        rules: list[Any] = draw(st.lists(conditions(registry), min_size=1 if depth else 0, max_size=3))
        if depth == 0:
            for _ in range(draw(st.integers(0 if rules else 1, 2))):
                rules.append(group(1))
        node = {"combinator": draw(st.sampled_from(["and", "or"])), "rules": rules}
        if draw(st.booleans()):
            node["not"] = draw(st.booleans())
        return node

    return group(0)


def _seed(session: Any, org_id: int, data: list[dict[str, Any]], company_rows: list[dict[str, Any]]) -> None:
    fields = {name: fx.add_custom_field(session, org_id, name, type_, OPTIONS if "multi" in name or "drop" in name
                                        else None) for name, type_ in CUSTOM.items()}
    company_pks = [fx.add_company(session, org_id, f"co{i}", **row) for i, row in enumerate(company_rows)]
    n = 0
    for i, c in enumerate(data):
        c = dict(c)
        custom = {fields[name]: (CUSTOM[name], c.pop(name)) for name in CUSTOM}
        records = {kind: c.pop(kind) for kind in ("conversations", "campaigns", "deals", "tickets", "orders")}
        company = c.pop("company")
        pk = fx.add_customer(session, org_id, f"c{i:03d}", custom=custom,
                             company_pk=company_pks[company] if company is not None else None, **c)
        for kind, rows in records.items():
            for row in rows:
                n += 1
                fx.add_record(session, kind, org_id, pk, f"r{n}", **row)
    fx.changed(session, org_id, None)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=st.data())
def test_sql_matches_the_reference_evaluator(db, data):
    customers = data.draw(st.lists(customer, min_size=1, max_size=8), label="customers")
    company_rows = data.draw(companies, label="companies")
    with db.session() as session:
        org = fx.make_org(session, max_groups=5, max_conditions_per_group=5)
        _seed(session, org.id, customers, company_rows)
        registry = build_registry(session, org)
        ctx = engine.eval_context(org, TODAY)
        snapshot = reference.load(session, org.id)
        for _ in range(4):
            rules = data.draw(trees(registry), label="rules")
            tree = engine.parse_and_validate(session, org, rules, registry=registry)
            sql = set(session.scalars(engine.matching_customer_pks(session, org, tree, today=TODAY)))
            expected = {pk for pk, rec in snapshot.items() if reference.node_matches(tree.root, rec, ctx)}
            assert sql == expected, (engine.summarize(session, org, tree), rules)
            # Node by node: every group and condition compiles on its own (explain counts them alone).
            for node in _nodes(tree.root):
                sql = set(session.scalars(select(Customer.pk).where(
                    Customer.org_id == org.id, engine.compile_node(org, node, today=TODAY))))
                expected = {pk for pk, rec in snapshot.items() if reference.node_matches(node, rec, ctx)}
                assert sql == expected, (node.path, node_text(node), rules)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=st.data())
def test_anniversaries_agree_on_any_day_of_the_year(db, data):
    """`anniversary_in_next_days` around the leap day and the year end, where TODAY alone never reaches."""
    today = data.draw(st.sampled_from([date(2025, 2, 27), date(2025, 2, 28), date(2028, 2, 28), date(2028, 2, 29),
                                       date(2025, 12, 28), date(2027, 12, 31), date(2025, 3, 1)]), label="today")
    days = data.draw(st.sampled_from([0, 1, 2, 4, 7, 30, 364, 365, 366, 1500]), label="days")
    with db.session() as session:
        org = fx.make_org(session)
        born = [*BIRTHDAYS, None, date(1996, 2, 29), date(1990, 12, 28), date(1990, 1, 1), date(1990, 3, 2)]
        for i, day in enumerate(born):
            fx.add_customer(session, org.id, f"b{i}", date_of_birth=day)
        fx.changed(session, org.id, None)
        ctx = engine.eval_context(org, today)
        snapshot = reference.load(session, org.id)
        tree = engine.parse_and_validate(session, org, {"combinator": "and", "rules": [
            {"field": "date_of_birth", "operator": "anniversary_in_next_days", "value": days}]})
        sql = set(session.scalars(engine.matching_customer_pks(session, org, tree, today=today)))
        expected = {pk for pk, rec in snapshot.items() if reference.node_matches(tree.root, rec, ctx)}
        assert sql == expected, (today, days)


def _nodes(node: Node) -> Iterator[Node]:
    yield node
    if isinstance(node, Group):
        for child in node.rules:
            yield from _nodes(child)


def _comparable(value: Any) -> Any:
    """A value as both sides can agree on it: lists as sorted lists, numbers rounded (SQL divides in
    floating point too, but may round the last bit differently)."""
    if isinstance(value, list):
        return sorted((_comparable(v) for v in value), key=repr)
    if isinstance(value, float):
        return round(value, 6)
    return value


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=st.data())
def test_explain_records_hold_the_values_the_reference_evaluator_tests(db, data):
    """Every storage kind's records (read from the database for explain) carry, for every field and
    customer, the values the reference evaluator computes from the raw records."""
    customers = data.draw(st.lists(customer, min_size=1, max_size=4), label="customers")
    with db.session() as session:
        org = fx.make_org(session)
        _seed(session, org.id, customers, data.draw(companies))
        registry = build_registry(session, org)
        ctx = engine.eval_context(org, TODAY)
        for pk, rec in reference.load(session, org.id).items():
            for field in registry.fields.values():
                records = field.storage.records(session, org.id, pk, ctx)
                expected = field.storage.python_value(rec, ctx)
                if field.per_record:
                    assert all(r.record is not None for r in records), field.key
                    got = [r.value for r in records]
                else:
                    assert [r.record for r in records] == [None], field.key
                    got = records[0].value
                assert _comparable(got) == _comparable(expected), (field.key, got, expected)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=st.data())
def test_metrics_table_matches_aggregates_computed_from_records(db, data):
    customers = data.draw(st.lists(customer, min_size=1, max_size=6), label="customers")
    with db.session() as session:
        org = fx.make_org(session)
        _seed(session, org.id, customers, data.draw(companies))
        snapshot = reference.load(session, org.id)
        stored = {r.customer_pk: r for r in session.scalars(select(CustomerMetrics).where(
            CustomerMetrics.org_id == org.id))}
        assert set(stored) == set(snapshot)
        for pk, rec in snapshot.items():
            expected = python_aggregates({"conversations": rec.conversations, "campaigns": rec.campaigns,
                                          "deals": rec.deals, "tickets": rec.tickets, "orders": rec.orders})
            got = {name: getattr(stored[pk], name) for name in expected}
            assert got == expected
