"""Compiles a parsed rule tree into one SQL boolean over the customer row.

Every node compiles on its own to a boolean expression in which `customers` is the only outer
table, so a single condition can be counted or explained alone. "Some side row" is an uncorrelated
`customers.pk IN (SELECT ...)` set, which both SQLite and PostgreSQL build once per statement; "no
side row" is a `NOT EXISTS` correlated on the side table's indexed key, never `NOT IN`: PostgreSQL
hashes a NOT IN set only while it fits in work_mem and otherwise rescans it for every customer
(minutes for a condition over a million tickets), while NOT EXISTS is an anti join on both.
Values are always bound parameters; field names only ever select from the registry.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import Select, and_, false, func, not_, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

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
from backend.metrics.aggregates import empty_aggregates
from backend.metrics.definitions import METRICS_BY_KEY, PyOps, SqlOps
from backend.metrics.models import CustomerMetrics
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
from backend.rules.predicates import EvalContext, SqlBool, SqlExpr, list_sql, scalar_py, scalar_sql
from backend.rules.tree import Condition, Group, Node

ASSOCIATION_TABLES: dict[str, Any] = {
    "conversations": Conversation.__table__,
    "campaigns": CampaignDelivery.__table__,
    "deals": Deal.__table__,
    "tickets": Ticket.__table__,
}
CUSTOM_COLUMNS = {"number": "value_number", "date": "value_date"}
CUSTOMERS = Customer.__table__
METRICS_TABLE = CustomerMetrics.__table__

RowsFor = Callable[[Callable[[SqlExpr], SqlBool]], Select[Any]]


def some_row(key: SqlExpr, rows: Select[Any], *scope: SqlBool) -> SqlBool:
    """`key` is among the values `rows` (a one-column select) yields within `scope` (the organisation)."""
    return key.in_(rows.where(*scope))


def no_row(key: SqlExpr, rows: Select[Any]) -> SqlBool:
    """No row of `rows` (a one-column select) has `key` as its value (see the module docstring).

    Without the organisation scope: the key (a customer's or conversation's pk) already fixes it, and
    an `org_id = ?` term would let SQLite, which has no statistics until ANALYZE, walk an
    (org_id, ...) index for every customer instead of the key's own index (minutes at 500,000)."""
    column = rows.selected_columns[0]
    return not_(rows.where(column == key).correlate(key.table).exists())


class Compiler:
    def __init__(self, org_id: int, ctx: EvalContext) -> None:
        self.org_id = org_id
        self.ctx = ctx

    # ------------------------------------------------------------------ tree

    def node(self, node: Node) -> SqlBool:
        if isinstance(node, Group):
            parts = [self.node(child) for child in node.rules]
            if not parts:
                return true() if node.combinator == "and" else false()
            return and_(*parts) if node.combinator == "and" else or_(*parts)
        return self.condition(node)

    def condition(self, c: Condition) -> SqlBool:
        storage = c.field.storage
        if isinstance(storage, CustomerColumn):
            return self._scalar(c, CUSTOMERS.c[storage.name])
        if isinstance(storage, CustomerUsernames):
            usernames = CustomerUsername.__table__
            return self._list(c, CUSTOMERS.c.pk, lambda pred: select(usernames.c.customer_pk).where(
                pred(usernames.c.value)), usernames.c.org_id == self.org_id)
        if isinstance(storage, CustomField):
            return self._custom(c, storage)
        if isinstance(storage, RecordColumn):
            table = ASSOCIATION_TABLES[storage.association]
            return self._per_record(c, table, self._scalar(c, table.c[storage.name]))
        if isinstance(storage, RecordTags):
            table = ASSOCIATION_TABLES[storage.association]
            tags = ConversationTag.__table__

            def rows(pred: Callable[[SqlExpr], SqlBool]) -> Select[Any]:
                return select(tags.c.conversation_pk).where(pred(tags.c.value))

            return self._per_record(c, table, self._list(c, table.c.pk, rows, tags.c.org_id == self.org_id))
        if isinstance(storage, CompanyColumn):
            company = Company.__table__
            matching = select(company.c.pk).where(company.c.org_id == self.org_id,
                                                  self._scalar(c, company.c[storage.name]))
            return and_(CUSTOMERS.c.company_pk.is_not(None), CUSTOMERS.c.company_pk.in_(matching))
        if isinstance(storage, AggregateColumn):
            return self._aggregate(c, lambda o: o.col(storage.name))
        if isinstance(storage, MetricValue):
            metric = METRICS_BY_KEY[storage.metric]
            if metric.window_days is not None:
                return self._recent_orders(c, metric.window_days)
            assert metric.formula is not None
            return self._aggregate(c, metric.formula)
        raise AssertionError(storage)

    # ------------------------------------------------------------------ building blocks

    def _scalar(self, c: Condition, x: SqlExpr) -> SqlBool:
        return scalar_sql(c.field.spec, c.operator.key, x, c.value, self.ctx)

    def _matches_empty(self, c: Condition, empty: Any) -> bool:
        return scalar_py(c.field.spec, c.operator.key, empty, c.value, self.ctx)

    def _list(self, c: Condition, key: SqlExpr, rows: RowsFor, *scope: SqlBool) -> SqlBool:
        """A list field whose element rows (`rows(pred)`, one column) point at `key`."""
        return list_sql(c.field.kind, c.operator.key, lambda pred: some_row(key, rows(pred), *scope), c.value,
                        absent=lambda pred: no_row(key, rows(pred)), url=c.field.spec.url)

    def _one_row(self, c: Condition, rows: Select[Any], predicate: SqlBool, empty: Any,
                 *scope: SqlBool) -> SqlBool:
        """A value kept in at most one side row per customer; no row means the empty value."""
        if self._matches_empty(c, empty):
            return no_row(CUSTOMERS.c.pk, rows.where(not_(predicate)))
        return some_row(CUSTOMERS.c.pk, rows.where(predicate), *scope)

    def _custom(self, c: Condition, storage: CustomField) -> SqlBool:
        cv = CustomValue.__table__
        if storage.custom_type in ("multiple_selection", "file_upload"):
            return self._list(c, CUSTOMERS.c.pk, lambda pred: select(cv.c.customer_pk).where(
                cv.c.field_id == storage.field_id, pred(cv.c.value_text)))
        if storage.custom_type == "signature":
            return self._list(c, CUSTOMERS.c.pk, lambda pred: select(cv.c.customer_pk).where(
                cv.c.field_id == storage.field_id, cv.c.value_bool.is_(True), pred(cv.c.value_text)))
        column = cv.c[CUSTOM_COLUMNS.get(storage.custom_type, "value_text")]
        rows = select(cv.c.customer_pk).where(cv.c.field_id == storage.field_id)
        return self._one_row(c, rows, self._scalar(c, column), None)

    def _per_record(self, c: Condition, table: Any, predicate: SqlBool) -> SqlBool:
        """any: some associated record satisfies it; all: there is one and none fails it."""
        mine = select(table.c.customer_pk)
        in_org = table.c.org_id == self.org_id
        if c.match == "all":
            # "Some record satisfies it" rather than "has a record": the same customers once none fails,
            # but an index range instead of every record of the org (half the time at 500,000 customers).
            return and_(some_row(CUSTOMERS.c.pk, mine.where(predicate), in_org),
                        no_row(CUSTOMERS.c.pk, mine.where(not_(predicate))))
        return some_row(CUSTOMERS.c.pk, mine.where(predicate), in_org)

    def _aggregate(self, c: Condition, formula: Callable[[Any], Any]) -> SqlBool:
        m = METRICS_TABLE
        x = formula(SqlOps(m))
        empty = formula(PyOps(empty_aggregates()))
        rows = select(m.c.customer_pk)
        return self._one_row(c, rows, self._scalar(c, x), empty, m.c.org_id == self.org_id)

    def _recent_orders(self, c: Condition, days: int) -> SqlBool:
        o = Order.__table__
        first = self.ctx.start_utc(self.ctx.today - timedelta(days=days))
        end = self.ctx.start_utc(self.ctx.today + timedelta(days=1))
        count = func.count()
        rows = (select(o.c.customer_pk)
                .where(o.c.kind == "order", o.c.status == "completed",
                       o.c.created_at >= first, o.c.created_at < end)
                .group_by(o.c.customer_pk))
        predicate = self._scalar(c, count)
        if self._matches_empty(c, 0):
            return no_row(CUSTOMERS.c.pk, rows.having(not_(predicate)))
        return some_row(CUSTOMERS.c.pk, rows.having(predicate), o.c.org_id == self.org_id)


def compile_node(org_id: int, ctx: EvalContext, node: Node) -> ColumnElement[bool]:
    return Compiler(org_id, ctx).node(node)
