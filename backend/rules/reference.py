"""The reference evaluator: the rule semantics stated as directly as plain Python allows.

It loads an organisation's customers with all their records into dicts and checks every
condition against them one customer at a time, computing aggregates from the raw records (not
from customer_metrics). It is slow on purpose-free clarity, and exists to be compared with the
compiled SQL (tests/backend/rules/test_differential.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.metrics.aggregates import python_aggregates
from backend.rules.predicates import EvalContext, list_py, scalar_py
from backend.rules.storage import (
    ASSOCIATION_TABLES,
    COMPANIES,
    CUSTOM_VALUES,
    CUSTOMERS,
    ORDERS,
    TAGS,
    USERNAMES,
)
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


def _rows(session: Session, table: Any, org_id: int, *where: Any) -> list[Row]:
    return [dict(r) for r in session.execute(select(table).where(table.c.org_id == org_id, *where)).mappings()]


def load(session: Session, org_id: int, customer_pk: int | None = None) -> dict[int, CustomerRecord]:
    """Every customer of the organisation with all their records; with `customer_pk`, that one alone (the
    customer profile reads one customer's values this way: a read per table, not one per field)."""
    def mine(column: Any) -> tuple[Any, ...]:
        return () if customer_pk is None else (column == customer_pk,)

    customers = {r["pk"]: CustomerRecord(r) for r in _rows(session, CUSTOMERS, org_id, *mine(CUSTOMERS.c.pk))}
    company_pks = {rec.row["company_pk"] for rec in customers.values()} - {None}
    companies = {r["pk"]: r for r in _rows(session, COMPANIES, org_id, *(
        () if customer_pk is None else (COMPANIES.c.pk.in_(company_pks),)))}
    for rec in customers.values():
        rec.company = companies.get(rec.row["company_pk"]) if rec.row["company_pk"] is not None else None
    for r in _rows(session, USERNAMES, org_id, *mine(USERNAMES.c.customer_pk)):
        customers[r["customer_pk"]].usernames.append(r["value"])
    for r in _rows(session, CUSTOM_VALUES, org_id, *mine(CUSTOM_VALUES.c.customer_pk)):
        customers[r["customer_pk"]].custom[r["field_id"]].append(r)
    tags: dict[int, list[str]] = defaultdict(list)
    conversations = ASSOCIATION_TABLES["conversations"]
    for r in _rows(session, TAGS, org_id, *(() if customer_pk is None else (TAGS.c.conversation_pk.in_(
            select(conversations.c.pk).where(conversations.c.customer_pk == customer_pk)),))):
        tags[r["conversation_pk"]].append(r["value"])
    for name, table in ASSOCIATION_TABLES.items():
        for r in _rows(session, table, org_id, *mine(table.c.customer_pk)):
            if name == "conversations":
                r["tags"] = tags.get(r["pk"], [])
            getattr(customers[r["customer_pk"]], name).append(r)
    for r in _rows(session, ORDERS, org_id, *mine(ORDERS.c.customer_pk)):
        customers[r["customer_pk"]].orders.append(r)
    return customers


def value_matches(c: Condition, v: Any, ctx: EvalContext) -> bool:
    """Whether one value (the customer's own, or one associated record's) satisfies the condition."""
    f, op, value = c.field, c.operator.key, c.value
    return list_py(f.kind, op, v, value, url=f.spec.url) if f.is_list else scalar_py(f.spec, op, v, value, ctx)


def found_matches(c: Condition, found: Any, ctx: EvalContext) -> bool:
    """Whether a customer's value of the field (per-record kinds: one per associated record) satisfies
    the condition."""
    if not c.field.per_record:
        return value_matches(c, found, ctx)
    results = [value_matches(c, v, ctx) for v in found]
    if c.match == "none":
        return not any(results)  # no associated record satisfies it; so does having no records
    if not found:
        return False  # with no associated records neither "any" nor "all" matches
    return all(results) if c.match == "all" else any(results)


def condition_matches(c: Condition, rec: CustomerRecord, ctx: EvalContext) -> bool:
    """The field's storage kind says what value to test; per-record kinds give one per record."""
    return found_matches(c, c.field.storage.python_value(rec, ctx), ctx)


def node_matches(node: Node, rec: CustomerRecord, ctx: EvalContext) -> bool:
    if isinstance(node, Condition):
        return condition_matches(node, rec, ctx)
    results = (node_matches(child, rec, ctx) for child in node.rules)
    matched = all(results) if node.combinator == "and" else any(results)
    return not matched if node.negate else matched


def evaluate(session: Session, org_id: int, tree: RuleTree | Group, ctx: EvalContext) -> set[int]:
    """The pks of the org's customers the tree matches."""
    root = tree.root if isinstance(tree, RuleTree) else tree
    return {pk for pk, rec in load(session, org_id).items() if node_matches(root, rec, ctx)}
