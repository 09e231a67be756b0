"""The rows the demo generator yields, in the column order of each `*_COLUMNS` constant, with values
already in the shape the bulk writer stores (naive UTC datetimes, `date`, JSON as lists/dicts), and
the small records passed between the generator and the writer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

DAY = 86_400
HOUR = 3_600
# Customers reach back this far; associated records lie between a customer's creation and the anchor.
HISTORY_DAYS = 1_100
ANCHOR_LOCAL_TIME = time(7, 0)

COMPANY_COLUMNS = ("ext_id", "name", "industry", "employees", "revenue")
CUSTOMER_COLUMNS = (
    "ext_id", "full_name", "phone", "email", "usernames", "date_of_birth", "sex", "job_title", "province",
    "city", "owner", "assignee", "owner_user_id", "assignee_user_id", "source", "status", "created_at",
    "updated_at", "created_by", "updated_by", "bsuid", "has_chatroom", "marketing_opt_in",
    "marketing_opt_in_account", "marketing_opt_in_at", "loyalty_is_member", "loyalty_member_created_at",
    "loyalty_member_updated_at", "loyalty_current_tier", "loyalty_available_balance",
    "loyalty_pending_balance", "loyalty_lifetime_earned", "loyalty_reward_name", "loyalty_reward_status",
    "loyalty_reward_expired_at", "company_pk", "custom",
)
USERNAME_COLUMNS = ("customer_pk", "value")
CUSTOM_VALUE_COLUMNS = ("customer_pk", "field_id", "value_text", "value_number", "value_date", "value_bool")
CONVERSATION_COLUMNS = (
    "ext_id", "customer_pk", "status", "assignee", "channel", "account_name", "tags", "associated_at",
    "last_activity_at", "messages_sent_by_customer", "messages_received", "messages_replied",
    "first_response_minutes", "call_duration_seconds", "csat", "nps", "resolved_by_bot",
)
DELIVERY_COLUMNS = (
    "ext_id", "customer_pk", "campaign_name", "channel", "status", "sent_at", "opened_at", "replied_at",
    "attributed_revenue", "ad_impressions", "ad_clicks", "ad_converted", "ad_cost",
)
DEAL_COLUMNS = (
    "ext_id", "customer_pk", "pipeline", "stage", "approval_status", "size", "owner", "priority", "created_at",
    "closed_at", "outcome", "rotten",
)
TICKET_COLUMNS = (
    "ext_id", "customer_pk", "pipeline", "stage", "owner", "reporter", "assignee", "priority", "sla_status",
    "created_at", "updated_at", "due_at", "resolved_at", "sla_breached", "category",
)
ORDER_COLUMNS = ("ext_id", "customer_pk", "kind", "amount", "payment_method", "status", "paid", "created_at")


def customer_ext_id(n: int, total: int) -> str:
    """C000001…: zero-padded so code-point order is numeric order."""
    return f"C{n:0{max(6, len(str(total)))}d}"


def anchor_for(today: date, timezone: str) -> datetime:
    """The naive-UTC instant every generated timestamp is measured back from."""
    local = datetime.combine(today, ANCHOR_LOCAL_TIME, tzinfo=ZoneInfo(timezone))
    return local.astimezone(UTC).replace(tzinfo=None)


@dataclass(slots=True)
class Profile:
    """What the association generators need to know about a customer."""

    pk: int
    start: int  # seconds before the anchor the customer's history begins
    end: int  # seconds before the anchor it stops (0 = still active; lapsed customers stopped earlier)
    activity: float
    responsiveness: float
    source: str | None
    owner: str | None
    b2b: bool


@dataclass
class CustomerBatch:
    rows: list[tuple]
    usernames: list[tuple[int, str]]  # (index in rows, value)
    custom_values: list[tuple]  # (index in rows, field_id, text, number, date, bool)
    profiles: list[Profile]  # pk filled in by the writer once the rows have ids


@dataclass
class ConversationBatch:
    rows: list[tuple]
    tags: list[tuple[str, str]]  # (conversation ext_id, tag)
