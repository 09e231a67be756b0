"""Values kept on associated records (any/all apply): a column of each record, each conversation's tags,
a column of the customer's company (at most one record)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import Select, and_, not_, select
from sqlalchemy.orm import Session

from backend.rules.predicates import EvalContext, SqlBool
from backend.rules.storage.base import (
    ASSOCIATION_TABLES,
    COMPANIES,
    CUSTOMERS,
    TAGS,
    FieldValue,
    StorageKind,
    ValueSource,
    of_customers,
)

if TYPE_CHECKING:
    from backend.rules.compiler import Compiler
    from backend.rules.reference import CustomerRecord
    from backend.rules.tree import Condition


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
        return of_customers(self._table.c.customer_pk, visible)

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
            of_customers(conversations.c.customer_pk, visible)))

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
        has_match = and_(CUSTOMERS.c.company_pk.is_not(None), CUSTOMERS.c.company_pk.in_(matching))
        return not_(has_match) if c.match == "none" else has_match

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
