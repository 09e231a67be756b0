"""What each ingestible entity accepts: its wire fields, their kinds and the columns they land in.

One table per entity drives validation, storage and the CSV column list, so adding a field is one line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from backend.customers.models import (
    CampaignDelivery,
    Company,
    Conversation,
    ConversationTag,
    Customer,
    CustomerUsername,
    Deal,
    Order,
    Ticket,
)
from backend.db import Base


class Kind(StrEnum):
    TEXT = "text"  # single-line text, at most 255 characters
    ENUM = "enum"
    INT = "int"
    NUMBER = "number"
    BOOL = "bool"
    DATE = "date"  # YYYY-MM-DD
    TIMESTAMP = "timestamp"  # ISO 8601; naive means the organisation's timezone
    TEXT_LIST = "text_list"  # list of single-line texts, also kept one a row in a side table
    CUSTOMER_REF = "customer_ref"  # a customer external id of the same organisation
    COMPANY_REF = "company_ref"
    CUSTOM = "custom"  # {field_key: value}, typed by the organisation's definitions


@dataclass(frozen=True)
class FieldSpec:
    kind: Kind
    column: str
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    # Associated records cannot exist without their customer: required on insert, never clearable.
    required: bool = False


@dataclass(frozen=True)
class ObjectSpec:
    """A nested object on the wire (address, loyalty) flattened into columns."""

    fields: dict[str, FieldSpec]


@dataclass(frozen=True)
class SideTable:
    """A list field mirrored one value a row, so rules can match elements with an indexed EXISTS."""

    model: type[Base]
    owner_column: str


@dataclass(frozen=True)
class EntitySpec:
    name: str
    model: type[Base]
    fields: dict[str, FieldSpec | ObjectSpec]
    side_tables: dict[str, SideTable] = field(default_factory=dict)

    @property
    def customer_column(self) -> str | None:
        """The column linking a record to its customer, for announcing changed customers."""
        if self.model is Customer:
            return "pk"
        return "customer_pk" if "customer_id" in self.fields else None


def _t(column: str) -> FieldSpec:
    return FieldSpec(Kind.TEXT, column)


def _ts(column: str) -> FieldSpec:
    return FieldSpec(Kind.TIMESTAMP, column)


def _count(column: str) -> FieldSpec:
    return FieldSpec(Kind.INT, column, minimum=0)


def _num(column: str) -> FieldSpec:
    return FieldSpec(Kind.NUMBER, column)


def _bool(column: str) -> FieldSpec:
    return FieldSpec(Kind.BOOL, column)


def _texts(*names: str) -> dict[str, FieldSpec]:
    return {n: _t(n) for n in names}


CUSTOMER_REF = FieldSpec(Kind.CUSTOMER_REF, "customer_pk", required=True)

CUSTOMERS = EntitySpec(
    "customers", Customer,
    {
        **_texts("full_name", "phone", "email", "job_title", "owner", "assignee", "source", "status",
                 "created_by", "updated_by", "bsuid", "marketing_opt_in_account"),
        "usernames": FieldSpec(Kind.TEXT_LIST, "usernames"),
        "date_of_birth": FieldSpec(Kind.DATE, "date_of_birth"),
        "sex": FieldSpec(Kind.ENUM, "sex", choices=("male", "female")),
        "address": ObjectSpec({"province": _t("province"), "city": _t("city")}),
        "created_at": _ts("created_at"),
        "updated_at": _ts("updated_at"),
        "has_chatroom": _bool("has_chatroom"),
        "marketing_opt_in": _bool("marketing_opt_in"),
        "marketing_opt_in_at": _ts("marketing_opt_in_at"),
        "loyalty": ObjectSpec({
            "is_member": _bool("loyalty_is_member"),
            "member_created_at": _ts("loyalty_member_created_at"),
            "member_updated_at": _ts("loyalty_member_updated_at"),
            "current_tier": _t("loyalty_current_tier"),
            "available_balance": _num("loyalty_available_balance"),
            "pending_balance": _num("loyalty_pending_balance"),
            "lifetime_earned": _num("loyalty_lifetime_earned"),
            "reward_name": _t("loyalty_reward_name"),
            "reward_status": _t("loyalty_reward_status"),
            "reward_expired_at": _ts("loyalty_reward_expired_at"),
        }),
        "company_id": FieldSpec(Kind.COMPANY_REF, "company_pk"),
        "custom": FieldSpec(Kind.CUSTOM, "custom"),
    },
    side_tables={"usernames": SideTable(CustomerUsername, "customer_pk")},
)

COMPANIES = EntitySpec(
    "companies", Company,
    {**_texts("name", "industry"), "employees": _count("employees"), "revenue": _num("revenue")},
)

CONVERSATIONS = EntitySpec(
    "conversations", Conversation,
    {
        "customer_id": CUSTOMER_REF,
        **_texts("status", "assignee", "channel", "account_name"),
        "tags": FieldSpec(Kind.TEXT_LIST, "tags"),
        "associated_at": _ts("associated_at"),
        "last_activity_at": _ts("last_activity_at"),
        "messages_sent_by_customer": _count("messages_sent_by_customer"),
        "messages_received": _count("messages_received"),
        "messages_replied": _count("messages_replied"),
        "first_response_minutes": FieldSpec(Kind.NUMBER, "first_response_minutes", minimum=0),
        "call_duration_seconds": FieldSpec(Kind.NUMBER, "call_duration_seconds", minimum=0),
        "csat": FieldSpec(Kind.INT, "csat", minimum=1, maximum=5),
        "nps": FieldSpec(Kind.INT, "nps", minimum=0, maximum=10),
        "resolved_by_bot": _bool("resolved_by_bot"),
    },
    side_tables={"tags": SideTable(ConversationTag, "conversation_pk")},
)

CAMPAIGN_DELIVERIES = EntitySpec(
    "campaign_deliveries", CampaignDelivery,
    {
        "customer_id": CUSTOMER_REF,
        **_texts("campaign_name", "channel"),
        "status": FieldSpec(Kind.ENUM, "status", choices=("sent", "delivered", "failed", "read", "replied")),
        "sent_at": _ts("sent_at"),
        "opened_at": _ts("opened_at"),
        "replied_at": _ts("replied_at"),
        "attributed_revenue": _num("attributed_revenue"),
        "ad_impressions": _count("ad_impressions"),
        "ad_clicks": _count("ad_clicks"),
        "ad_converted": _bool("ad_converted"),
        "ad_cost": _num("ad_cost"),
    },
)

DEALS = EntitySpec(
    "deals", Deal,
    {
        "customer_id": CUSTOMER_REF,
        **_texts("pipeline", "stage", "approval_status", "owner", "priority"),
        "size": _num("size"),
        "created_at": _ts("created_at"),
        "closed_at": _ts("closed_at"),
        "outcome": FieldSpec(Kind.ENUM, "outcome", choices=("open", "won", "lost")),
        "rotten": _bool("rotten"),
    },
)

TICKETS = EntitySpec(
    "tickets", Ticket,
    {
        "customer_id": CUSTOMER_REF,
        **_texts("pipeline", "stage", "owner", "reporter", "assignee", "priority", "sla_status", "category"),
        "created_at": _ts("created_at"),
        "updated_at": _ts("updated_at"),
        "due_at": _ts("due_at"),
        "resolved_at": _ts("resolved_at"),
        "sla_breached": _bool("sla_breached"),
    },
)

ORDERS = EntitySpec(
    "orders", Order,
    {
        "customer_id": CUSTOMER_REF,
        "kind": FieldSpec(Kind.ENUM, "kind", choices=("order", "booking")),
        "amount": _num("amount"),
        "payment_method": _t("payment_method"),
        "status": FieldSpec(Kind.ENUM, "status", choices=("completed", "cancelled", "no_show", "pending")),
        "paid": _bool("paid"),
        "created_at": _ts("created_at"),
    },
)

ENTITIES: dict[str, EntitySpec] = {e.name: e for e in (
    CUSTOMERS, COMPANIES, CONVERSATIONS, CAMPAIGN_DELIVERIES, DEALS, TICKETS, ORDERS)}
