"""The field registry: every field a rule may use, built per organisation (static fields plus the
org's custom field definitions). It drives the catalog, validation, compilation and summaries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.auth.org_settings import HasOrgSettings, OrgSettings
from backend.auth.packages import field_available
from backend.customers.models import CustomFieldDefinition
from backend.metrics.definitions import METRICS
from backend.rules.operators import DATE_OPERATORS, MAX_LONG_TEXT, MAX_TEXT, RELATIVE_DATE_OPERATORS, Kind
from backend.rules.predicates import ScalarSpec
from backend.rules.storage import (
    AggregateColumn,
    CompanyColumn,
    CustomerColumn,
    CustomerUsernames,
    CustomField,
    MetricValue,
    RecordColumn,
    RecordTags,
    Storage,
)


@dataclass(frozen=True)
class FieldDef:
    key: str
    label: str
    group: str
    type: str
    operators: tuple[str, ...]
    storage: Storage
    spec: ScalarSpec
    package: str = "plus"
    association: str | None = None
    options: tuple[str, ...] | None = None
    suggestions: bool = False
    user_names: bool = False  # suggestions include the organisation's users
    description: str = ""
    category: str | None = None
    max_text: int = MAX_TEXT
    extra: dict[str, Any] = field(default_factory=dict)
    value_labels: dict[str, str] | None = None  # the words the app shows for values (true → "Opted in")

    @property
    def kind(self) -> Kind:
        return self.spec.kind

    @property
    def is_list(self) -> bool:
        return self.storage.is_list

    @property
    def per_record(self) -> bool:
        """Whether `match` (any/all) applies: a condition on each associated record."""
        return self.storage.per_record

    def catalog_entry(self, org_package: str) -> dict[str, Any]:
        entry = {
            "key": self.key, "label": self.label, "group": self.group, "type": self.type,
            "operators": list(self.operators), "options": list(self.options) if self.options is not None else None,
            "association": self.association, "package": self.package, "suggestions": self.suggestions,
            "available": field_available(org_package, self.package), "description": self.description,
        }
        if self.category:
            entry["category"] = self.category
        if self.value_labels:
            entry["value_labels"] = dict(self.value_labels)
        if self.per_record:
            entry["match"] = ["any", "all", "none"]
        return entry


# --------------------------------------------------------------------------- operator sets by PRD row

TEXT = ("is", "is_not", "contains", "not_contains", "starts_with", "ends_with", "is_any_of", "is_none_of",
        "is_empty", "is_not_empty")
DROPDOWN = ("is", "is_not", "is_any_of", "is_none_of", "is_empty", "is_not_empty")
DROPDOWN_CONTAINS = ("is", "is_not", "contains", "not_contains", "is_any_of", "is_none_of", "is_empty",
                     "is_not_empty")
NUMBER = ("eq", "neq", "gt", "lt", "gte", "lte", "between", "is_empty", "is_not_empty")
# Instants: on, not on, before, after, between, the relative three, empty. Anniversaries only on calendar
# days (a birthday), whose month and day do not depend on the timezone.
DATE = tuple(k for k in DATE_OPERATORS if k != "anniversary_in_next_days")
CALENDAR_DATE = tuple(DATE_OPERATORS)
DATE_NO_NOT_ON = tuple(k for k in CALENDAR_DATE if k != "not_on")  # the Date of birth row has no "not on"
BOOLEAN = ("is", "is_not", "is_empty", "is_not_empty")
SELECTION = ("contains_any", "contains_all", "contains_none", "is_empty", "is_not_empty")
PRESENCE = ("is_empty", "is_not_empty")

S_TEXT = ScalarSpec(Kind.TEXT)
S_URL = ScalarSpec(Kind.TEXT, url=True)
S_NUMBER = ScalarSpec(Kind.NUMBER)
S_DAY = ScalarSpec(Kind.DATE)
S_INSTANT = ScalarSpec(Kind.DATE, timestamp=True)
S_DAYS = ScalarSpec(Kind.DAYS)
S_BOOL = ScalarSpec(Kind.BOOL)
S_SELECTION = ScalarSpec(Kind.SELECTION)
S_PRESENCE = ScalarSpec(Kind.PRESENCE)

# Marketing consent is a three-state boolean; the app shows these words rather than true / false / empty.
CONSENT_LABELS = {"true": "Opted in", "false": "Opted out", "null": "Unknown"}

INFO, CUSTOM, EVENTS, CONSENT, LOYALTY = "Customer info", "Custom fields", "Basic events", "Consent", "Loyalty"
CONVERSATIONS, CAMPAIGNS, COMPANY, DEALS, TICKETS, METRICS_GROUP = (
    "Conversations", "Campaigns", "Company", "Deals", "Tickets", "Metrics")


def _text(key: str, label: str, group: str, column: str | None = None, **kw: Any) -> FieldDef:
    return FieldDef(key, label, group, "single_line_text", TEXT, CustomerColumn(column or key), S_TEXT,
                    suggestions=True, **kw)


def _dropdown(key: str, label: str, group: str, ops: tuple[str, ...] = DROPDOWN, column: str | None = None,
              **kw: Any) -> FieldDef:
    return FieldDef(key, label, group, "dropdown", ops, CustomerColumn(column or key), S_TEXT,
                    suggestions=True, **kw)


def _date(key: str, label: str, group: str, column: str | None = None, ops: tuple[str, ...] = DATE,
          spec: ScalarSpec = S_INSTANT) -> FieldDef:
    return FieldDef(key, label, group, "date", ops, CustomerColumn(column or key), spec)


def _number(key: str, label: str, group: str, column: str) -> FieldDef:
    return FieldDef(key, label, group, "number", NUMBER, CustomerColumn(column), S_NUMBER)


CUSTOMER_FIELDS: tuple[FieldDef, ...] = (
    _text("customer_id", "Customer ID", INFO, "ext_id"),
    _text("full_name", "Full name", INFO),
    _dropdown("owner", "Owner", INFO, user_names=True),
    _dropdown("assignee", "Assignee", INFO, user_names=True),
    _text("phone", "Phone number", INFO),
    _text("email", "Email", INFO),
    FieldDef("usernames", "Username(s)", INFO, "single_line_text", TEXT, CustomerUsernames(), S_TEXT,
             suggestions=True, description="Matches when any of the customer's usernames does; the negative "
                                           "operators when none does."),
    _date("date_of_birth", "Date of birth", INFO, ops=DATE_NO_NOT_ON, spec=S_DAY),
    _dropdown("sex", "Sex", INFO, options=("male", "female")),
    _text("job_title", "Job title", INFO),
    _dropdown("province", "Province", INFO, description="Address picker: province."),
    _dropdown("city", "City", INFO, description="Address picker: city."),
    _dropdown("source", "Source", CUSTOM, description="Custom field by Qontak."),
    _dropdown("status", "Status", CUSTOM, description="Custom field by Qontak."),
    _date("created_at", "Customer created at", EVENTS),
    _date("updated_at", "Customer last updated at", EVENTS),
    _dropdown("created_by", "Created by", EVENTS, DROPDOWN_CONTAINS, user_names=True),
    _dropdown("updated_by", "Last updated by", EVENTS, DROPDOWN_CONTAINS, user_names=True),
    FieldDef("marketing_opt_in", "Marketing opt-in status", CONSENT, "boolean", BOOLEAN,
             CustomerColumn("marketing_opt_in"), S_BOOL,
             description="true = opted in (allowed); false = opted out; empty = no status given yet.",
             value_labels=CONSENT_LABELS),
    _text("marketing_opt_in_account", "Account business name for marketing opt-in", CONSENT),
    _date("marketing_opt_in_at", "Marketing opt-in at", CONSENT),
    FieldDef("loyalty_is_member", "Is Member", LOYALTY, "boolean", BOOLEAN, CustomerColumn("loyalty_is_member"),
             S_BOOL),
    _date("loyalty_member_created_at", "Member created at", LOYALTY),
    _date("loyalty_member_updated_at", "Member last updated at", LOYALTY),
    _text("loyalty_current_tier", "Current tier", LOYALTY),
    _number("loyalty_available_balance", "Total available balance", LOYALTY, "loyalty_available_balance"),
    _number("loyalty_pending_balance", "Total balance pending", LOYALTY, "loyalty_pending_balance"),
    _number("loyalty_lifetime_earned", "Total lifetime earned", LOYALTY, "loyalty_lifetime_earned"),
    _text("loyalty_reward_name", "Reward name", LOYALTY),
    _text("loyalty_reward_status", "Reward status", LOYALTY),
    _date("loyalty_reward_expired_at", "Reward expired at", LOYALTY),
)


def _record(key: str, label: str, group: str, assoc: str, column: str, type_: str = "single_line_text",
            ops: tuple[str, ...] = TEXT, spec: ScalarSpec = S_TEXT, **kw: Any) -> FieldDef:
    suggest = type_ in ("single_line_text", "dropdown")
    return FieldDef(key, label, group, type_, ops, RecordColumn(assoc, column), spec, package="ultimate",
                    association=assoc, suggestions=suggest, **kw)


def _per_customer(key: str, label: str, group: str, assoc: str, column: str, type_: str,
                  ops: tuple[str, ...], spec: ScalarSpec, description: str) -> FieldDef:
    return FieldDef(key, label, group, type_, ops, AggregateColumn(column), spec, package="ultimate",
                    association=assoc, description=description)


COUNT_NOTE = "Counted over the customer's associated records; 0 when there are none. Use = 0 for \"has none\"."

ASSOCIATION_FIELDS: tuple[FieldDef, ...] = (
    # Conversations
    _per_customer("conversation.count", "Total conversations histories", CONVERSATIONS, "conversations",
                  "conv_count", "number", NUMBER, S_NUMBER, COUNT_NOTE),
    _per_customer("conversation.associated_at", "Conversation associated at", CONVERSATIONS, "conversations",
                  "conv_first_associated_at", "date", DATE, S_INSTANT,
                  "The first association time across the customer's conversations (one value per customer)."),
    _per_customer("conversation.last_activity_at", "Conversation last activity at", CONVERSATIONS,
                  "conversations", "conv_last_activity_at", "date", DATE, S_INSTANT,
                  "The latest activity time across all the customer's conversations (one value per customer)."),
    _record("conversation.status", "Conversation status", CONVERSATIONS, "conversations", "status"),
    _record("conversation.assignee", "Conversation assignee", CONVERSATIONS, "conversations", "assignee",
            user_names=True),
    _record("conversation.channel", "Conversation channel", CONVERSATIONS, "conversations", "channel"),
    _record("conversation.account_name", "Conversation account name", CONVERSATIONS, "conversations",
            "account_name"),
    FieldDef("conversation.tags", "Conversations tags", CONVERSATIONS, "single_line_text", TEXT, RecordTags(),
             S_TEXT, package="ultimate", association="conversations", suggestions=True,
             description="A conversation matches is/contains when any of its tags does, and is not/does not "
                         "contain when none does."),
    # Campaigns
    _per_customer("campaign.count", "Total campaign received", CAMPAIGNS, "campaigns", "campaign_count",
                  "number", NUMBER, S_NUMBER, COUNT_NOTE),
    _record("campaign.name", "Received campaign name", CAMPAIGNS, "campaigns", "campaign_name"),
    _record("campaign.opened_at", "Campaign open at", CAMPAIGNS, "campaigns", "opened_at", "date", DATE,
            S_INSTANT),
    _per_customer("campaign.replied_at", "Campaign reply at", CAMPAIGNS, "campaigns", "campaign_last_reply_at",
                  "date", DATE, S_INSTANT, "The customer's latest campaign reply time (one value per customer)."),
    _record("campaign.sent_at", "Campaign sent at", CAMPAIGNS, "campaigns", "sent_at", "date", DATE, S_INSTANT),
    _record("campaign.channel", "Campaign channel", CAMPAIGNS, "campaigns", "channel"),
    _record("campaign.status", "Campaign status", CAMPAIGNS, "campaigns", "status",
            options=("sent", "delivered", "failed", "read", "replied")),
    # Company (a customer has at most one)
    FieldDef("company.industry", "Company industry", COMPANY, "single_line_text", TEXT, CompanyColumn("industry"),
             S_TEXT, package="ultimate", association="company", suggestions=True),
    FieldDef("company.employees", "Number of employees", COMPANY, "number", NUMBER, CompanyColumn("employees"),
             S_NUMBER, package="ultimate", association="company"),
    FieldDef("company.revenue", "Company revenue", COMPANY, "currency", NUMBER, CompanyColumn("revenue"),
             S_NUMBER, package="ultimate", association="company"),
    # Deals
    _per_customer("deal.count", "Total deal associated", DEALS, "deals", "deal_count", "number", NUMBER,
                  S_NUMBER, COUNT_NOTE),
    _record("deal.approval_status", "Deal approval status", DEALS, "deals", "approval_status"),
    _record("deal.pipeline", "Deal pipeline", DEALS, "deals", "pipeline"),
    _record("deal.stage", "Deal stage", DEALS, "deals", "stage"),
    _record("deal.size", "Deal size", DEALS, "deals", "size", "currency", NUMBER, S_NUMBER),
    _record("deal.owner", "Deal owner", DEALS, "deals", "owner", "dropdown", DROPDOWN_CONTAINS, user_names=True),
    _record("deal.priority", "Deal priority", DEALS, "deals", "priority"),
    # Tickets
    _per_customer("ticket.count", "Total ticket associated", TICKETS, "tickets", "ticket_count", "number",
                  NUMBER, S_NUMBER, COUNT_NOTE),
    _per_customer("ticket.associated_at", "Ticket associated at", TICKETS, "tickets", "ticket_first_at", "date",
                  DATE, S_INSTANT, "The first ticket creation time of the customer (one value per customer)."),
    _per_customer("ticket.updated_at", "Ticket last update at", TICKETS, "tickets", "ticket_last_update_at",
                  "date", DATE, S_INSTANT, "The latest update time across the customer's tickets "
                                           "(one value per customer)."),
    _record("ticket.due_at", "Ticket due date at", TICKETS, "tickets", "due_at", "date", DATE, S_INSTANT),
    _record("ticket.sla_status", "Ticket SLA status", TICKETS, "tickets", "sla_status"),
    _record("ticket.pipeline", "Ticket pipeline", TICKETS, "tickets", "pipeline"),
    _record("ticket.stage", "Ticket stage", TICKETS, "tickets", "stage"),
    _record("ticket.owner", "Ticket owner", TICKETS, "tickets", "owner", "dropdown", DROPDOWN_CONTAINS,
            user_names=True),
    _record("ticket.assignee", "Ticket assignee", TICKETS, "tickets", "assignee", "dropdown", DROPDOWN_CONTAINS,
            user_names=True),
    _record("ticket.reporter", "Ticket reporter", TICKETS, "tickets", "reporter", "dropdown", DROPDOWN_CONTAINS,
            user_names=True),
    _record("ticket.priority", "Ticket priority", TICKETS, "tickets", "priority"),
)

_METRIC_SPECS = {"number": S_NUMBER, "currency": S_NUMBER, "percentage": S_NUMBER, "ratio": S_NUMBER,
                 "dropdown": S_TEXT, "boolean": S_BOOL}


def _metric_fields() -> tuple[FieldDef, ...]:
    out = []
    for m in METRICS:
        spec = S_DAYS if m.days_since else _METRIC_SPECS[m.type]
        storage: Storage = CustomerColumn(m.customer_column) if m.customer_column else MetricValue(m.key)
        out.append(FieldDef(f"metric.{m.key}", m.label, METRICS_GROUP, m.type, m.operators, storage, spec,
                            package="ultimate", suggestions=m.type == "dropdown", description=m.description,
                            category=m.category,
                            value_labels=CONSENT_LABELS if m.customer_column == "marketing_opt_in" else None))
    return tuple(out)


METRIC_FIELDS = _metric_fields()
STATIC_FIELDS: tuple[FieldDef, ...] = CUSTOMER_FIELDS + ASSOCIATION_FIELDS + METRIC_FIELDS

CUSTOM_TYPES: dict[str, tuple[tuple[str, ...], ScalarSpec]] = {
    "single_line_text": (TEXT, S_TEXT),
    "multi_line_text": (TEXT, S_TEXT),
    "dropdown": (DROPDOWN, S_TEXT),
    "multiple_selection": (SELECTION, S_SELECTION),
    "number": (NUMBER, S_NUMBER),
    "date": (CALENDAR_DATE, S_DAY),
    "url": (TEXT, S_URL),
    "file_upload": (PRESENCE, S_PRESENCE),
    "signature": (PRESENCE, S_PRESENCE),
    "gps": (TEXT, S_TEXT),
}
_CUSTOM_NOTES = {
    "url": "http:// and https:// are ignored unless the value includes them.",
    "file_upload": "Matches on whether at least one file was uploaded.",
    "signature": "Matches on whether a complete signature exists; a partial signature counts as empty.",
    "gps": "Matches the location text, or its presence.",
    "multiple_selection": "Contains any/all of the chosen options, in any order.",
}


def custom_field(definition: CustomFieldDefinition) -> FieldDef | None:
    known = CUSTOM_TYPES.get(definition.type)
    if known is None:
        return None
    ops, spec = known
    options = tuple(definition.options) if definition.options and definition.type in (
        "dropdown", "multiple_selection") else None
    return FieldDef(
        f"custom.{definition.key}", definition.label, CUSTOM, definition.type, ops,
        CustomField(definition.id, definition.type), spec, options=options,
        suggestions=definition.type in ("single_line_text", "multi_line_text", "dropdown", "multiple_selection",
                                        "url", "gps"),
        max_text=MAX_LONG_TEXT if definition.type == "multi_line_text" else MAX_TEXT,
        description=_CUSTOM_NOTES.get(definition.type, ""),
    )


@dataclass
class Registry:
    """The fields of one organisation, by key, in catalog order."""

    org: OrgSettings
    fields: dict[str, FieldDef]

    def get(self, key: str) -> FieldDef | None:
        return self.fields.get(key)

    def catalog(self) -> list[dict[str, Any]]:
        return [f.catalog_entry(self.org.package) for f in self.fields.values()]


def build_registry(session: Session, org: HasOrgSettings) -> Registry:
    org = OrgSettings.of(org)
    fields: dict[str, FieldDef] = {}
    for f in CUSTOMER_FIELDS:
        fields[f.key] = f
    definitions = session.scalars(select(CustomFieldDefinition).where(CustomFieldDefinition.org_id == org.id)
                                  .order_by(CustomFieldDefinition.id)).all()
    for d in definitions:
        f = custom_field(d)
        if f is not None:
            fields[f.key] = f
    for f in ASSOCIATION_FIELDS + METRIC_FIELDS:
        fields[f.key] = f
    return Registry(org, fields)


assert all(set(f.operators) >= set(RELATIVE_DATE_OPERATORS) for f in STATIC_FIELDS if f.type == "date")
