"""What every storage kind shares: the tables values live in, the answers' shapes, and the base class
(see backend/rules/storage/__init__.py for the four questions each kind answers)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import Select, select
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


def of_customers(key: SqlExpr, visible: SqlBool) -> SqlBool:
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


def one_value(session: Session, stmt: Select[Any]) -> list[FieldValue]:
    return [FieldValue(None, session.scalar(stmt))]
