"""Values kept on the customer: a column of its row, its usernames, an organisation's custom field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.rules.predicates import EvalContext, SqlBool, SqlExpr
from backend.rules.storage.base import (
    CUSTOM_COLUMNS,
    CUSTOM_VALUES,
    CUSTOMERS,
    LIST_CUSTOM_TYPES,
    USERNAMES,
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
        return one_value(session, select(CUSTOMERS.c[self.name]).where(CUSTOMERS.c.pk == customer_pk,
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
        return of_customers(USERNAMES.c.customer_pk, visible)

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
        return of_customers(CUSTOM_VALUES.c.customer_pk, visible)

    def records(self, session: Session, org_id: int, customer_pk: int, ctx: EvalContext) -> list[FieldValue]:
        cv = CUSTOM_VALUES
        mine = (cv.c.customer_pk == customer_pk, cv.c.org_id == org_id)
        if self.is_list:
            return [FieldValue(None, list(session.scalars(select(cv.c.value_text).where(
                *mine, *self._listed_rows()).order_by(cv.c.id))))]
        return one_value(session, select(self._column).where(*mine, cv.c.field_id == self.field_id)
                    .order_by(cv.c.id).limit(1))
