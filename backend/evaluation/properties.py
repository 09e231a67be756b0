"""Every default and custom property of a customer, as exported and as snapshotted for campaigns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.customers.models import Customer, CustomFieldDefinition


@dataclass(frozen=True)
class Property:
    key: str
    label: str
    read: Callable[[Customer, str | None], Any]


def _col(name: str) -> Callable[[Customer, str | None], Any]:
    return lambda c, _company: getattr(c, name)


DEFAULT_PROPERTIES: tuple[Property, ...] = (
    Property("id", "Customer ID", lambda c, _: c.ext_id),
    Property("full_name", "Full name", _col("full_name")),
    Property("phone", "Phone number", _col("phone")),
    Property("email", "Email", _col("email")),
    Property("usernames", "Username(s)", _col("usernames")),
    Property("date_of_birth", "Date of birth", _col("date_of_birth")),
    Property("sex", "Sex", _col("sex")),
    Property("job_title", "Job title", _col("job_title")),
    Property("province", "Province", _col("province")),
    Property("city", "City", _col("city")),
    Property("owner", "Owner", _col("owner")),
    Property("assignee", "Assignee", _col("assignee")),
    Property("source", "Source", _col("source")),
    Property("status", "Status", _col("status")),
    Property("created_at", "Created at", _col("created_at")),
    Property("updated_at", "Last updated at", _col("updated_at")),
    Property("created_by", "Created by", _col("created_by")),
    Property("updated_by", "Updated by", _col("updated_by")),
    Property("bsuid", "BSUID", _col("bsuid")),
    Property("has_chatroom", "Has chatroom", _col("has_chatroom")),
    Property("marketing_opt_in", "Marketing opt-in status", _col("marketing_opt_in")),
    Property("marketing_opt_in_account", "Account business name for marketing opt-in",
             _col("marketing_opt_in_account")),
    Property("marketing_opt_in_at", "Marketing opt-in at", _col("marketing_opt_in_at")),
    Property("loyalty_is_member", "Loyalty member", _col("loyalty_is_member")),
    Property("loyalty_member_created_at", "Member created at", _col("loyalty_member_created_at")),
    Property("loyalty_member_updated_at", "Member updated at", _col("loyalty_member_updated_at")),
    Property("loyalty_current_tier", "Current tier", _col("loyalty_current_tier")),
    Property("loyalty_available_balance", "Total available balance", _col("loyalty_available_balance")),
    Property("loyalty_pending_balance", "Total pending balance", _col("loyalty_pending_balance")),
    Property("loyalty_lifetime_earned", "Total lifetime earned", _col("loyalty_lifetime_earned")),
    Property("loyalty_reward_name", "Reward name", _col("loyalty_reward_name")),
    Property("loyalty_reward_status", "Reward status", _col("loyalty_reward_status")),
    Property("loyalty_reward_expired_at", "Reward expired at", _col("loyalty_reward_expired_at")),
    Property("company_id", "Company ID", lambda _c, company: company),
)
DEFAULT_KEYS = frozenset(p.key for p in DEFAULT_PROPERTIES)
CUSTOM_PREFIX = "custom."


def custom_fields(session: Session, org_id: int) -> list[CustomFieldDefinition]:
    return list(session.scalars(select(CustomFieldDefinition).where(CustomFieldDefinition.org_id == org_id)
                                .order_by(CustomFieldDefinition.id)))


def property_keys(fields: list[CustomFieldDefinition]) -> list[str]:
    """Keys a template variable may map to: default keys, and custom fields as `custom.<key>`."""
    return [p.key for p in DEFAULT_PROPERTIES] + [CUSTOM_PREFIX + f.key for f in fields]


def headers(fields: list[CustomFieldDefinition]) -> list[str]:
    return [p.label for p in DEFAULT_PROPERTIES] + [f.label for f in fields]


def to_json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def customer_properties(customer: Customer, company_ext_id: str | None,
                        fields: list[CustomFieldDefinition]) -> dict[str, Any]:
    """JSON-ready properties: default keys flat, custom values under their `custom.<key>`."""
    row = {p.key: to_json_value(p.read(customer, company_ext_id)) for p in DEFAULT_PROPERTIES}
    custom = customer.custom or {}
    for f in fields:
        row[CUSTOM_PREFIX + f.key] = custom.get(f.key)
    return row


def flat_cell(value: Any) -> str | int | float | bool | None:
    """One spreadsheet cell: lists joined, signatures and other objects by their URL or text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(str(flat_cell(v)) for v in value if v is not None)
    if isinstance(value, dict):
        return str(value.get("url") or value)
    return str(value)

