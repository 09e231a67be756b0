"""The reference evaluator: the rule semantics stated as directly as plain Python allows.

It loads an organisation's customers with all their records into dicts and checks every
condition against them one customer at a time, computing aggregates from the raw records (not
from customer_metrics). It is slow on purpose-free clarity, and exists to be compared with the
compiled SQL (tests/backend/rules/test_differential.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.customers.models import (
    CampaignDelivery,
    Company,
    Conversation,
    ConversationTag,
    Customer,
    CustomerUsername,
    CustomValue,
    Deal,
    Order,
    Ticket,
)
from backend.metrics.aggregates import python_aggregates
from backend.metrics.definitions import METRICS_BY_KEY, PyOps
from backend.rules.fields import (
    AggregateColumn,
    CompanyColumn,
    CustomerColumn,
    CustomerUsernames,
    CustomField,
    MetricValue,
    RecordColumn,
    RecordTags,
)
from backend.rules.predicates import EvalContext, list_py, scalar_py
from backend.rules.tree import Condition, Group, Node, RuleTree

Row = dict[str, Any]


@dataclass
class CustomerRecord:
    row: Row
    usernames: list[str] = field(default_factory=list)
    custom: dict[int, list[Row]] = field(default_factory=lambda: defaultdict(list))
    company: Row | None = None
    conversations: list[Row] = field(default_factory=list)
    campaigns: list[Row] = field(default_factory=list)
    deals: list[Row] = field(default_factory=list)
    tickets: list[Row] = field(default_factory=list)
    orders: list[Row] = field(default_factory=list)
    _aggregates: Row | None = None

    def aggregates(self) -> Row:
        if self._aggregates is None:
            self._aggregates = python_aggregates({"conversations": self.conversations, "campaigns": self.campaigns,
                                                  "deals": self.deals, "tickets": self.tickets,
                                                  "orders": self.orders})
        return self._aggregates

    def association(self, name: str) -> list[Row]:
        return {"conversations": self.conversations, "campaigns": self.campaigns, "deals": self.deals,
                "tickets": self.tickets}[name]


def _rows(session: Session, model: Any, org_id: int) -> list[Row]:
    table = model.__table__
    return [dict(r) for r in session.execute(select(table).where(table.c.org_id == org_id)).mappings()]


def load(session: Session, org_id: int) -> dict[int, CustomerRecord]:
    customers = {r["pk"]: CustomerRecord(r) for r in _rows(session, Customer, org_id)}
    companies = {r["pk"]: r for r in _rows(session, Company, org_id)}
    for rec in customers.values():
        rec.company = companies.get(rec.row["company_pk"]) if rec.row["company_pk"] is not None else None
    for r in _rows(session, CustomerUsername, org_id):
        customers[r["customer_pk"]].usernames.append(r["value"])
    for r in _rows(session, CustomValue, org_id):
        customers[r["customer_pk"]].custom[r["field_id"]].append(r)
    tags: dict[int, list[str]] = defaultdict(list)
    for r in _rows(session, ConversationTag, org_id):
        tags[r["conversation_pk"]].append(r["value"])
    for r in _rows(session, Conversation, org_id):
        r["tags"] = tags.get(r["pk"], [])
        customers[r["customer_pk"]].conversations.append(r)
    for model, attr in ((CampaignDelivery, "campaigns"), (Deal, "deals"), (Ticket, "tickets"), (Order, "orders")):
        for r in _rows(session, model, org_id):
            getattr(customers[r["customer_pk"]], attr).append(r)
    return customers


def condition_matches(c: Condition, rec: CustomerRecord, ctx: EvalContext) -> bool:
    f, op, value, spec = c.field, c.operator.key, c.value, c.field.spec
    storage = f.storage

    def scalar(v: Any) -> bool:
        return scalar_py(spec, op, v, value, ctx)

    def listed(items: list[Any]) -> bool:
        return list_py(f.kind, op, items, value, url=spec.url)

    def per_record(records: list[Row], test: Any) -> bool:
        if not records:
            return False  # with no associated records neither "any" nor "all" matches
        results = [test(r) for r in records]
        return all(results) if c.match == "all" else any(results)

    if isinstance(storage, CustomerColumn):
        return scalar(rec.row[storage.name])
    if isinstance(storage, CustomerUsernames):
        return listed(rec.usernames)
    if isinstance(storage, CustomField):
        rows = rec.custom.get(storage.field_id, [])
        if storage.custom_type in ("multiple_selection", "file_upload"):
            return listed([r["value_text"] for r in rows])
        if storage.custom_type == "signature":
            return listed([r["value_text"] for r in rows if r["value_bool"] is True])
        column = {"number": "value_number", "date": "value_date"}.get(storage.custom_type, "value_text")
        return scalar(rows[0][column] if rows else None)
    if isinstance(storage, RecordColumn):
        return per_record(rec.association(storage.association), lambda r: scalar(r[storage.name]))
    if isinstance(storage, RecordTags):
        return per_record(rec.association(storage.association), lambda r: listed(r["tags"]))
    if isinstance(storage, CompanyColumn):
        return rec.company is not None and scalar(rec.company[storage.name])
    if isinstance(storage, AggregateColumn):
        return scalar(rec.aggregates()[storage.name])
    if isinstance(storage, MetricValue):
        metric = METRICS_BY_KEY[storage.metric]
        if metric.window_days is not None:
            first = ctx.today - timedelta(days=metric.window_days)
            count = sum(1 for o in rec.orders if o["kind"] == "order" and o["status"] == "completed"
                        and o["created_at"] is not None and first <= ctx.local_date(o["created_at"]) <= ctx.today)
            return scalar(count)
        assert metric.formula is not None
        return scalar(metric.formula(PyOps(rec.aggregates())))
    raise AssertionError(storage)


def node_matches(node: Node, rec: CustomerRecord, ctx: EvalContext) -> bool:
    if isinstance(node, Condition):
        return condition_matches(node, rec, ctx)
    results = (node_matches(child, rec, ctx) for child in node.rules)
    return all(results) if node.combinator == "and" else any(results)


def evaluate(session: Session, org_id: int, tree: RuleTree | Group, ctx: EvalContext) -> set[int]:
    """The pks of the org's customers the tree matches."""
    root = tree.root if isinstance(tree, RuleTree) else tree
    return {pk for pk, rec in load(session, org_id).items() if node_matches(root, rec, ctx)}
