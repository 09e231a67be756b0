"""Where a field's value lives: one class per storage kind, the one place that knows it.

Each kind answers the four questions the engine asks of a field:
- `sql(c, q)`: the condition as a boolean over the `customers` row (built with the compiler's blocks);
- `python_value(rec, ctx)`: the value the reference evaluator tests, from a customer's loaded records
  (for per-record kinds, one value per associated record);
- `value_source(org_id)` and `seen_by(visible)`: the column holding existing values, for suggestions,
  and those of its rows that belong to the customers a caller may see;
- `records(session, org_id, customer_pk, ctx)`: a customer's values with the record each comes from,
  for explaining why a customer matches or not.
The compiler, the reference evaluator and the suggestions only ever call these; none branches on
the kind. `per_record` (whether any/all applies) and `is_list` (list operators) are facts of the kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import ColumnElement, Select, and_, func, select
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
from backend.metrics.aggregates import empty_aggregates
from backend.metrics.definitions import METRICS_BY_KEY, Metric, PyOps, SqlOps
from backend.metrics.models import CustomerMetrics
from backend.rules.predicates import EvalContext, SqlBool, SqlExpr

if TYPE_CHECKING:
    from backend.rules.compiler import Compiler
    from backend.rules.reference import CustomerRecord
    from backend.rules.tree import Condition

ASSOCIATION_TABLES: dict[str, Any] = {
    "conversations": Conversation.__table__,
    "campaigns": CampaignDelivery.__table__,
    "deals": Deal.__table__,
    "tickets": Ticket.__table__,
}
CUSTOMERS = Customer.__table__
METRICS_TABLE = CustomerMetrics.__table__
CUSTOM_VALUES = CustomValue.__table__
USERNAMES = CustomerUsername.__table__
TAGS = ConversationTag.__table__
COMPANIES = Company.__table__
ORDERS = Order.__table__
CUSTOM_COLUMNS = {"number": "value_number", "date": "value_date"}
LIST_CUSTOM_TYPES = ("multiple_selection", "file_upload")


@dataclass(frozen=True)
class FieldValue:
    """One value of a field for one customer; `record` is the ext_id of the associated record (or
    company) it comes from, None for a value of the customer itself. A list kind's value is a list."""

    record: str | None
    value: Any


@dataclass(frozen=True)
class ValueSource:
    """The column holding a field's existing values, and the rows of one organisation to read."""

    column: SqlExpr
    where: tuple[SqlBool, ...]


def _of_customers(key: SqlExpr, visible: SqlBool) -> SqlBool:
    """Rows whose `key` is the pk of a customer matching `visible` (a filter over `customers`)."""
    return key.in_(select(CUSTOMERS.c.pk).where(visible))


class StorageKind:
    """The base of the kinds below; see the module docstring for the four questions."""

    per_record: ClassVar[bool] = False

    @property
    def is_list(self) -> bool:
        return False

    def sql(self, c: Condition, q: Compiler) -> SqlBool:
        raise NotImplementedError

    def python_value(self, rec: CustomerRecord, ctx: EvalContext) -> Any:
        raise NotImplementedError

    def value_source(self, org_id: int) -> ValueSource | None:
        return None

    def seen_by(self, visible: SqlBool) -> SqlBool:
        raise NotImplementedError

    def records(self, session: Session, org_id: int, customer_pk: int, ctx: EvalContext) -> list[FieldValue]:
        raise NotImplementedError

    def metrics_row_predicate(self, c: Condition, q: Compiler) -> SqlBool | None:
        """The condition as "the customer's customer_metrics row satisfies this", when it is exactly
        that (so the compiler can test several in one pass over the table); None otherwise."""
        return None


def _one(session: Session, stmt: Select[Any]) -> list[FieldValue]:
    return [FieldValue(None, session.scalar(stmt))]


# --------------------------------------------------------------------------- on the customer


@dataclass(frozen=True)
class CustomerColumn(StorageKind):
    name: str

    def sql(self, c: Condition, q: Compiler) -> SqlBool:
        return q.scalar(c, CUSTOMERS.c[self.name])

    def python_value(self, rec: CustomerRecord, ctx: EvalContext) -> Any:
        return rec.row[self.name]

    def value_source(self, org_id: int) -> ValueSource:
        return ValueSource(CUSTOMERS.c[self.name], (CUSTOMERS.c.org_id == org_id,))

    def seen_by(self, visible: SqlBool) -> SqlBool:
        return visible

    def records(self, session: Session, org_id: int, customer_pk: int, ctx: EvalContext) -> list[FieldValue]:
        return _one(session, select(CUSTOMERS.c[self.name]).where(CUSTOMERS.c.pk == customer_pk,
                                                                  CUSTOMERS.c.org_id == org_id))


@dataclass(frozen=True)
class CustomerUsernames(StorageKind):
    @property
    def is_list(self) -> bool:
        return True

    def sql(self, c: Condition, q: Compiler) -> SqlBool:
        return q.listed(c, CUSTOMERS.c.pk, lambda pred: select(USERNAMES.c.customer_pk).where(
            pred(USERNAMES.c.value)), USERNAMES.c.org_id == q.org_id)

    def python_value(self, rec: CustomerRecord, ctx: EvalContext) -> Any:
        return rec.usernames

    def value_source(self, org_id: int) -> ValueSource:
        return ValueSource(USERNAMES.c.value, (USERNAMES.c.org_id == org_id,))

    def seen_by(self, visible: SqlBool) -> SqlBool:
        return _of_customers(USERNAMES.c.customer_pk, visible)

    def records(self, session: Session, org_id: int, customer_pk: int, ctx: EvalContext) -> list[FieldValue]:
        values = session.scalars(select(USERNAMES.c.value).where(
            USERNAMES.c.customer_pk == customer_pk, USERNAMES.c.org_id == org_id).order_by(USERNAMES.c.id))
        return [FieldValue(None, list(values))]


@dataclass(frozen=True)
class CustomField(StorageKind):
    """A value of an organisation's custom field; a list for multiple selection and files, a list of
    the complete signature's file for signatures (a partial one counts as empty)."""

    field_id: int
    custom_type: str

    @property
    def is_list(self) -> bool:
        return self.custom_type in LIST_CUSTOM_TYPES or self.custom_type == "signature"

    @property
    def _column(self) -> SqlExpr:
        return CUSTOM_VALUES.c[CUSTOM_COLUMNS.get(self.custom_type, "value_text")]

    def _listed_rows(self) -> tuple[SqlBool, ...]:
        mine = CUSTOM_VALUES.c.field_id == self.field_id
        return (mine, CUSTOM_VALUES.c.value_bool.is_(True)) if self.custom_type == "signature" else (mine,)

    def sql(self, c: Condition, q: Compiler) -> SqlBool:
        cv = CUSTOM_VALUES
        if self.is_list:
            return q.listed(c, CUSTOMERS.c.pk, lambda pred: select(cv.c.customer_pk).where(
                *self._listed_rows(), pred(cv.c.value_text)))
        rows = select(cv.c.customer_pk).where(cv.c.field_id == self.field_id)
        return q.one_row(c, rows, q.scalar(c, self._column), None)

    def python_value(self, rec: CustomerRecord, ctx: EvalContext) -> Any:
        rows = rec.custom.get(self.field_id, [])
        if self.custom_type == "signature":
            return [r["value_text"] for r in rows if r["value_bool"] is True]
        if self.is_list:
            return [r["value_text"] for r in rows]
        return rows[0][self._column.key] if rows else None

    def value_source(self, org_id: int) -> ValueSource:
        return ValueSource(CUSTOM_VALUES.c.value_text, (CUSTOM_VALUES.c.field_id == self.field_id,))

    def seen_by(self, visible: SqlBool) -> SqlBool:
        return _of_customers(CUSTOM_VALUES.c.customer_pk, visible)

    def records(self, session: Session, org_id: int, customer_pk: int, ctx: EvalContext) -> list[FieldValue]:
        cv = CUSTOM_VALUES
        mine = (cv.c.customer_pk == customer_pk, cv.c.org_id == org_id)
        if self.is_list:
            return [FieldValue(None, list(session.scalars(select(cv.c.value_text).where(
                *mine, *self._listed_rows()).order_by(cv.c.id))))]
        return _one(session, select(self._column).where(*mine, cv.c.field_id == self.field_id)
                    .order_by(cv.c.id).limit(1))


# --------------------------------------------------------------------------- on associated records


@dataclass(frozen=True)
class RecordColumn(StorageKind):
    """A column of each associated record (any/all apply)."""

    association: str
    name: str
    per_record: ClassVar[bool] = True

    @property
    def _table(self) -> Any:
        return ASSOCIATION_TABLES[self.association]

    def sql(self, c: Condition, q: Compiler) -> SqlBool:
        return q.per_record(c, self._table, q.scalar(c, self._table.c[self.name]))

    def python_value(self, rec: CustomerRecord, ctx: EvalContext) -> Any:
        return [r[self.name] for r in rec.association(self.association)]

    def value_source(self, org_id: int) -> ValueSource:
        return ValueSource(self._table.c[self.name], (self._table.c.org_id == org_id,))

    def seen_by(self, visible: SqlBool) -> SqlBool:
        return _of_customers(self._table.c.customer_pk, visible)

    def records(self, session: Session, org_id: int, customer_pk: int, ctx: EvalContext) -> list[FieldValue]:
        t = self._table
        rows = session.execute(select(t.c.ext_id, t.c[self.name]).where(
            t.c.customer_pk == customer_pk, t.c.org_id == org_id).order_by(t.c.pk))
        return [FieldValue(ext_id, value) for ext_id, value in rows]


@dataclass(frozen=True)
class RecordTags(StorageKind):
    """Conversation tags: a list on each associated conversation."""

    association: str = "conversations"
    per_record: ClassVar[bool] = True

    @property
    def is_list(self) -> bool:
        return True

    def sql(self, c: Condition, q: Compiler) -> SqlBool:
        table = ASSOCIATION_TABLES[self.association]

        def rows(pred: Any) -> Select[Any]:
            return select(TAGS.c.conversation_pk).where(pred(TAGS.c.value))

        return q.per_record(c, table, q.listed(c, table.c.pk, rows, TAGS.c.org_id == q.org_id))

    def python_value(self, rec: CustomerRecord, ctx: EvalContext) -> Any:
        return [r["tags"] for r in rec.association(self.association)]

    def value_source(self, org_id: int) -> ValueSource:
        return ValueSource(TAGS.c.value, (TAGS.c.org_id == org_id,))

    def seen_by(self, visible: SqlBool) -> SqlBool:
        conversations = ASSOCIATION_TABLES[self.association]
        return TAGS.c.conversation_pk.in_(select(conversations.c.pk).where(
            _of_customers(conversations.c.customer_pk, visible)))

    def records(self, session: Session, org_id: int, customer_pk: int, ctx: EvalContext) -> list[FieldValue]:
        t = ASSOCIATION_TABLES[self.association]
        rows = session.execute(select(t.c.pk, t.c.ext_id).where(
            t.c.customer_pk == customer_pk, t.c.org_id == org_id).order_by(t.c.pk)).all()
        tags: dict[int, list[str]] = {pk: [] for pk, _ in rows}
        for pk, value in session.execute(select(TAGS.c.conversation_pk, TAGS.c.value).where(
                TAGS.c.conversation_pk.in_(list(tags)), TAGS.c.org_id == org_id).order_by(TAGS.c.id)):
            tags[pk].append(value)
        return [FieldValue(ext_id, tags[pk]) for pk, ext_id in rows]


@dataclass(frozen=True)
class CompanyColumn(StorageKind):
    """A column of the customer's company: a per-record kind with at most one record."""

    name: str
    per_record: ClassVar[bool] = True

    def sql(self, c: Condition, q: Compiler) -> SqlBool:
        matching = select(COMPANIES.c.pk).where(COMPANIES.c.org_id == q.org_id,
                                                q.scalar(c, COMPANIES.c[self.name]))
        return and_(CUSTOMERS.c.company_pk.is_not(None), CUSTOMERS.c.company_pk.in_(matching))

    def python_value(self, rec: CustomerRecord, ctx: EvalContext) -> Any:
        return [] if rec.company is None else [rec.company[self.name]]

    def value_source(self, org_id: int) -> ValueSource:
        return ValueSource(COMPANIES.c[self.name], (COMPANIES.c.org_id == org_id,))

    def seen_by(self, visible: SqlBool) -> SqlBool:
        return COMPANIES.c.pk.in_(select(CUSTOMERS.c.company_pk).where(visible))

    def records(self, session: Session, org_id: int, customer_pk: int, ctx: EvalContext) -> list[FieldValue]:
        rows = session.execute(select(COMPANIES.c.ext_id, COMPANIES.c[self.name])
                               .join(CUSTOMERS, CUSTOMERS.c.company_pk == COMPANIES.c.pk)
                               .where(CUSTOMERS.c.pk == customer_pk, COMPANIES.c.org_id == org_id))
        return [FieldValue(ext_id, value) for ext_id, value in rows]


# --------------------------------------------------------------------------- per-customer aggregates


class _Aggregated(StorageKind):
    """A value computed over the customer_metrics row; a customer without one has the empty aggregates."""

    def formula(self, ops: Any) -> Any:
        raise NotImplementedError

    def sql(self, c: Condition, q: Compiler) -> SqlBool:
        m = METRICS_TABLE
        empty = self.formula(PyOps(empty_aggregates()))
        return q.one_row(c, select(m.c.customer_pk), q.scalar(c, self.formula(SqlOps(m))), empty,
                         m.c.org_id == q.org_id)

    def metrics_row_predicate(self, c: Condition, q: Compiler) -> SqlBool | None:
        # A customer without a metrics row has the empty aggregates; if those match, a row is not needed.
        if q.matches_empty(c, self.formula(PyOps(empty_aggregates()))):
            return None
        return q.scalar(c, self.formula(SqlOps(METRICS_TABLE)))

    def python_value(self, rec: CustomerRecord, ctx: EvalContext) -> Any:
        return self.formula(PyOps(rec.aggregates()))

    def value_source(self, org_id: int) -> ValueSource:
        return ValueSource(self.formula(SqlOps(METRICS_TABLE)), (METRICS_TABLE.c.org_id == org_id,))

    def seen_by(self, visible: SqlBool) -> SqlBool:
        return _of_customers(METRICS_TABLE.c.customer_pk, visible)

    def records(self, session: Session, org_id: int, customer_pk: int, ctx: EvalContext) -> list[FieldValue]:
        m = METRICS_TABLE
        row = session.execute(select(self.formula(SqlOps(m))).where(m.c.customer_pk == customer_pk,
                                                                    m.c.org_id == org_id)).first()
        return [FieldValue(None, row[0] if row is not None else self.formula(PyOps(empty_aggregates())))]


@dataclass(frozen=True)
class AggregateColumn(_Aggregated):
    """A raw per-customer aggregate (association counts, first/latest timestamps); `match` does not apply."""

    name: str

    def formula(self, ops: Any) -> Any:
        return ops.col(self.name)


@dataclass(frozen=True)
class MetricValue(_Aggregated):
    """A metric of section 13.2.6: a formula over the aggregates, or completed orders counted over
    the last N days of the evaluation's calendar (never stored, so it cannot go stale)."""

    metric: str

    @property
    def definition(self) -> Metric:
        return METRICS_BY_KEY[self.metric]

    def formula(self, ops: Any) -> Any:
        assert self.definition.formula is not None
        return self.definition.formula(ops)

    def _window(self, ctx: EvalContext) -> tuple[Any, Any]:
        days = self.definition.window_days
        assert days is not None
        return ctx.start_utc(ctx.today - timedelta(days=days)), ctx.start_utc(ctx.today + timedelta(days=1))

    def _recent_orders(self, ctx: EvalContext) -> Select[Any]:
        first, end = self._window(ctx)
        o = ORDERS
        return (select(o.c.customer_pk).where(o.c.kind == "order", o.c.status == "completed",
                                               o.c.created_at >= first, o.c.created_at < end))

    def sql(self, c: Condition, q: Compiler) -> SqlBool:
        if self.definition.window_days is None:
            return super().sql(c, q)
        rows = self._recent_orders(q.ctx).group_by(ORDERS.c.customer_pk)
        return q.one_row(c, rows, q.scalar(c, func.count()), 0, ORDERS.c.org_id == q.org_id, having=True)

    def metrics_row_predicate(self, c: Condition, q: Compiler) -> SqlBool | None:
        return super().metrics_row_predicate(c, q) if self.definition.window_days is None else None

    def python_value(self, rec: CustomerRecord, ctx: EvalContext) -> Any:
        if self.definition.window_days is None:
            return super().python_value(rec, ctx)
        first = ctx.today - timedelta(days=self.definition.window_days)
        return sum(1 for o in rec.orders if o["kind"] == "order" and o["status"] == "completed"
                   and o["created_at"] is not None and first <= ctx.local_date(o["created_at"]) <= ctx.today)

    def value_source(self, org_id: int) -> ValueSource | None:
        return None if self.definition.window_days is not None else super().value_source(org_id)

    def records(self, session: Session, org_id: int, customer_pk: int, ctx: EvalContext) -> list[FieldValue]:
        if self.definition.window_days is None:
            return super().records(session, org_id, customer_pk, ctx)
        rows = self._recent_orders(ctx).where(ORDERS.c.customer_pk == customer_pk, ORDERS.c.org_id == org_id)
        return _one(session, select(func.count()).select_from(rows.subquery()))


Storage = (CustomerColumn | CustomerUsernames | CustomField | RecordColumn | RecordTags | CompanyColumn
           | AggregateColumn | MetricValue)


def value_rows(storage: StorageKind, org_id: int, visible: ColumnElement[bool] | None) -> ValueSource | None:
    """A kind's value source, narrowed to the rows of customers matching `visible` when given."""
    source = storage.value_source(org_id)
    if source is None or visible is None:
        return source
    return ValueSource(source.column, (*source.where, storage.seen_by(visible)))
