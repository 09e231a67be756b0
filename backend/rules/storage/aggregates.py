"""Per-customer aggregates: a value computed over the customer's customer_metrics row (raw aggregates
and metric formulas), or completed orders counted over the last N days at evaluation time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from backend.metrics.aggregates import empty_aggregates
from backend.metrics.definitions import METRICS_BY_KEY, Metric, PyOps, SqlOps
from backend.rules.predicates import EvalContext, SqlBool
from backend.rules.storage.base import (
    METRICS_TABLE,
    ORDERS,
    FieldValue,
    StorageKind,
    ValueSource,
    of_customers,
    one_value,
)

if TYPE_CHECKING:
    from backend.rules.compiler import Compiler
    from backend.rules.reference import CustomerRecord
    from backend.rules.tree import Condition


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
        return of_customers(METRICS_TABLE.c.customer_pk, visible)

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
        return one_value(session, select(func.count()).select_from(rows.subquery()))
