"""Customer data tables. Every row carries org_id; external ids are the caller's own strings.

Text that rules match as lists (usernames, conversation tags, multiple-selection and file-upload
custom values) is also kept one value a row in a side table, so a condition is an indexed EXISTS.

Rules match text case-insensitively (`lower(col) = lower(:v)`), which no plain index serves; the
large side tables the rule engine reads by value carry indexes on `lower(col)` ending in the key
the condition selects, so a match is one index range (docs/benchmarks.md has the measurements).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from backend.db import Base, ExternalId, UTCDateTime, utcnow

TEXT = 255
LONG_TEXT = 10_000


class Company(Base):
    __tablename__ = "companies"
    __table_args__ = (UniqueConstraint("org_id", "ext_id"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    ext_id: Mapped[str] = mapped_column(ExternalId())
    name: Mapped[str | None] = mapped_column(String(TEXT))
    industry: Mapped[str | None] = mapped_column(String(TEXT))
    employees: Mapped[int | None] = mapped_column(Integer)
    revenue: Mapped[float | None] = mapped_column(Float)


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (
        UniqueConstraint("org_id", "ext_id"),
        Index("ix_customers_org_source", "org_id", "source"),
        Index("ix_customers_org_province", "org_id", "province"),
        Index("ix_customers_org_created", "org_id", "created_at"),
        Index("ix_customers_org_owner_user", "org_id", "owner_user_id"),
    )

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    ext_id: Mapped[str] = mapped_column(ExternalId())
    full_name: Mapped[str | None] = mapped_column(String(TEXT))
    phone: Mapped[str | None] = mapped_column(String(TEXT))
    email: Mapped[str | None] = mapped_column(String(TEXT))
    usernames: Mapped[list[str] | None] = mapped_column(JSON)
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(16))
    job_title: Mapped[str | None] = mapped_column(String(TEXT))
    province: Mapped[str | None] = mapped_column(String(TEXT))
    city: Mapped[str | None] = mapped_column(String(TEXT))
    owner: Mapped[str | None] = mapped_column(String(TEXT))
    assignee: Mapped[str | None] = mapped_column(String(TEXT))
    # Links to users of the organisation whose username the owner/assignee names (owned-only views).
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assignee_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                         index=True)
    source: Mapped[str | None] = mapped_column(String(TEXT))
    status: Mapped[str | None] = mapped_column(String(TEXT))
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[str | None] = mapped_column(String(TEXT))
    updated_by: Mapped[str | None] = mapped_column(String(TEXT))
    bsuid: Mapped[str | None] = mapped_column(String(TEXT))
    has_chatroom: Mapped[bool | None] = mapped_column(Boolean)
    marketing_opt_in: Mapped[bool | None] = mapped_column(Boolean)
    marketing_opt_in_account: Mapped[str | None] = mapped_column(String(TEXT))
    marketing_opt_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    loyalty_is_member: Mapped[bool | None] = mapped_column(Boolean)
    loyalty_member_created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    loyalty_member_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    loyalty_current_tier: Mapped[str | None] = mapped_column(String(TEXT))
    loyalty_available_balance: Mapped[float | None] = mapped_column(Float)
    loyalty_pending_balance: Mapped[float | None] = mapped_column(Float)
    loyalty_lifetime_earned: Mapped[float | None] = mapped_column(Float)
    loyalty_reward_name: Mapped[str | None] = mapped_column(String(TEXT))
    loyalty_reward_status: Mapped[str | None] = mapped_column(String(TEXT))
    loyalty_reward_expired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    company_pk: Mapped[int | None] = mapped_column(ForeignKey("companies.pk", ondelete="SET NULL"), index=True)
    # The custom values as ingested, for display and export; rules read CustomValue.
    custom: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    ingested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class CustomerUsername(Base):
    __tablename__ = "customer_usernames"
    __table_args__ = (Index("ix_customer_usernames_org_value", "org_id", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    customer_pk: Mapped[int] = mapped_column(ForeignKey("customers.pk", ondelete="CASCADE"), index=True)
    value: Mapped[str] = mapped_column(String(TEXT))


# The ten custom field types of the contract; the two selection types carry their options.
CUSTOM_FIELD_TYPES: tuple[str, ...] = (
    "single_line_text", "multi_line_text", "dropdown", "multiple_selection", "number", "date", "url",
    "file_upload", "signature", "gps",
)
SELECTION_TYPES: frozenset[str] = frozenset({"dropdown", "multiple_selection"})


class CustomFieldDefinition(Base):
    __tablename__ = "custom_field_definitions"
    __table_args__ = (UniqueConstraint("org_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(TEXT))
    type: Mapped[str] = mapped_column(String(32))
    options: Mapped[list[str] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CustomValue(Base):
    """One custom value of a customer; list types (multiple selection, file upload) a row per element.

    Exactly one typed column is set for a row: value_text for text-like, dropdown, selection, URL,
    GPS, file and signature URLs; value_number; value_date. A signature's completeness is
    value_bool, and an incomplete signature is stored with value_bool false (it counts as empty).
    """

    __tablename__ = "custom_values"
    __table_args__ = (
        Index("ix_custom_values_customer_field", "customer_pk", "field_id"),
        Index("ix_custom_values_field_text", "field_id", "value_text"),
        Index("ix_custom_values_field_number", "field_id", "value_number"),
        Index("ix_custom_values_field_date", "field_id", "value_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    customer_pk: Mapped[int] = mapped_column(ForeignKey("customers.pk", ondelete="CASCADE"))
    field_id: Mapped[int] = mapped_column(ForeignKey("custom_field_definitions.id", ondelete="CASCADE"))
    value_text: Mapped[str | None] = mapped_column(Text)
    value_number: Mapped[float | None] = mapped_column(Float)
    value_date: Mapped[date | None] = mapped_column(Date)
    value_bool: Mapped[bool | None] = mapped_column(Boolean)


class Conversation(Base):
    __tablename__ = "conversations"
    __table_args__ = (UniqueConstraint("org_id", "ext_id"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    ext_id: Mapped[str] = mapped_column(ExternalId())
    customer_pk: Mapped[int] = mapped_column(ForeignKey("customers.pk", ondelete="CASCADE"), index=True)
    status: Mapped[str | None] = mapped_column(String(TEXT))
    assignee: Mapped[str | None] = mapped_column(String(TEXT))
    channel: Mapped[str | None] = mapped_column(String(TEXT))
    account_name: Mapped[str | None] = mapped_column(String(TEXT))
    tags: Mapped[list[str] | None] = mapped_column(JSON)
    associated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    messages_sent_by_customer: Mapped[int | None] = mapped_column(Integer)
    messages_received: Mapped[int | None] = mapped_column(Integer)
    messages_replied: Mapped[int | None] = mapped_column(Integer)
    first_response_minutes: Mapped[float | None] = mapped_column(Float)
    call_duration_seconds: Mapped[float | None] = mapped_column(Float)
    csat: Mapped[int | None] = mapped_column(Integer)
    nps: Mapped[int | None] = mapped_column(Integer)
    resolved_by_bot: Mapped[bool | None] = mapped_column(Boolean)


class ConversationTag(Base):
    __tablename__ = "conversation_tags"
    # (org_id, value) groups the existing values for suggestions; rules read the lower() index below.
    __table_args__ = (Index("ix_conversation_tags_org_value", "org_id", "value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    conversation_pk: Mapped[int] = mapped_column(ForeignKey("conversations.pk", ondelete="CASCADE"),
                                                 index=True)
    value: Mapped[str] = mapped_column(String(TEXT))


class CampaignDelivery(Base):
    __tablename__ = "campaign_deliveries"
    __table_args__ = (UniqueConstraint("org_id", "ext_id"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    ext_id: Mapped[str] = mapped_column(ExternalId())
    customer_pk: Mapped[int] = mapped_column(ForeignKey("customers.pk", ondelete="CASCADE"), index=True)
    campaign_name: Mapped[str | None] = mapped_column(String(TEXT))
    channel: Mapped[str | None] = mapped_column(String(TEXT))
    status: Mapped[str | None] = mapped_column(String(16))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    replied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attributed_revenue: Mapped[float | None] = mapped_column(Float)
    ad_impressions: Mapped[int | None] = mapped_column(Integer)
    ad_clicks: Mapped[int | None] = mapped_column(Integer)
    ad_converted: Mapped[bool | None] = mapped_column(Boolean)
    ad_cost: Mapped[float | None] = mapped_column(Float)


class Deal(Base):
    __tablename__ = "deals"
    __table_args__ = (UniqueConstraint("org_id", "ext_id"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    ext_id: Mapped[str] = mapped_column(ExternalId())
    customer_pk: Mapped[int] = mapped_column(ForeignKey("customers.pk", ondelete="CASCADE"), index=True)
    pipeline: Mapped[str | None] = mapped_column(String(TEXT))
    stage: Mapped[str | None] = mapped_column(String(TEXT))
    approval_status: Mapped[str | None] = mapped_column(String(TEXT))
    size: Mapped[float | None] = mapped_column(Float)
    owner: Mapped[str | None] = mapped_column(String(TEXT))
    priority: Mapped[str | None] = mapped_column(String(TEXT))
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(16))
    rotten: Mapped[bool | None] = mapped_column(Boolean)


class Ticket(Base):
    __tablename__ = "tickets"
    __table_args__ = (UniqueConstraint("org_id", "ext_id"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    ext_id: Mapped[str] = mapped_column(ExternalId())
    customer_pk: Mapped[int] = mapped_column(ForeignKey("customers.pk", ondelete="CASCADE"), index=True)
    pipeline: Mapped[str | None] = mapped_column(String(TEXT))
    stage: Mapped[str | None] = mapped_column(String(TEXT))
    owner: Mapped[str | None] = mapped_column(String(TEXT))
    reporter: Mapped[str | None] = mapped_column(String(TEXT))
    assignee: Mapped[str | None] = mapped_column(String(TEXT))
    priority: Mapped[str | None] = mapped_column(String(TEXT))
    sla_status: Mapped[str | None] = mapped_column(String(TEXT))
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sla_breached: Mapped[bool | None] = mapped_column(Boolean)
    category: Mapped[str | None] = mapped_column(String(TEXT))


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (UniqueConstraint("org_id", "ext_id"),)

    pk: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    ext_id: Mapped[str] = mapped_column(ExternalId())
    customer_pk: Mapped[int] = mapped_column(ForeignKey("customers.pk", ondelete="CASCADE"), index=True)
    kind: Mapped[str | None] = mapped_column(String(16))
    amount: Mapped[float | None] = mapped_column(Float)
    payment_method: Mapped[str | None] = mapped_column(String(TEXT))
    status: Mapped[str | None] = mapped_column(String(16))
    paid: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# Expression indexes need the mapped columns, so they are declared after the classes.
Index("ix_conversation_tags_org_lower_value", ConversationTag.org_id, func.lower(ConversationTag.value),
      ConversationTag.conversation_pk)
Index("ix_deals_org_lower_stage", Deal.org_id, func.lower(Deal.stage), Deal.customer_pk)
Index("ix_tickets_org_lower_stage", Ticket.org_id, func.lower(Ticket.stage), Ticket.customer_pk)
# Ticket priority is the other ticket column rules compare by value (issue 19 found it unindexed).
Index("ix_tickets_org_lower_priority", Ticket.org_id, func.lower(Ticket.priority), Ticket.customer_pk)
# Custom-field values compared by value (dropdowns, multiple selections): one index range for
# field and value instead of every value of the field.
Index("ix_custom_values_field_lower_text", CustomValue.field_id, func.lower(CustomValue.value_text),
      CustomValue.customer_pk)
