"""Test data written straight into the customer tables, following backend/customers/models.py:
usernames and conversation tags one row per value, custom values in typed CustomValue rows (a row
per element for multiple selection and file upload; a signature's completeness in value_bool).
Call `changed()` afterwards, as ingestion does, so derived metrics follow."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from backend.auth import service as auth_service
from backend.auth.models import Organisation
from backend.customers.models import (
    CampaignDelivery,
    Company,
    Conversation,
    ConversationTag,
    Customer,
    CustomerUsername,
    CustomFieldDefinition,
    CustomValue,
    Deal,
    Order,
    Ticket,
)
from backend.ingest import events

MODELS = {"conversations": Conversation, "campaigns": CampaignDelivery, "deals": Deal, "tickets": Ticket,
          "orders": Order}


def make_org(session: Session, package: str = "ultimate", timezone: str = "Asia/Jakarta", **limits: int
             ) -> Organisation:
    org = auth_service.create_org(session, name="Rules test org", package=package, timezone=timezone)
    for key, value in limits.items():
        setattr(org, key, value)
    session.flush()
    return org


def _insert(session: Session, model: Any, values: dict[str, Any]) -> int:
    table = model.__table__
    pk_col = "pk" if "pk" in table.c else "id"
    return session.execute(insert(table).values(**values).returning(table.c[pk_col])).scalar_one()


def add_company(session: Session, org_id: int, ext_id: str, **cols: Any) -> int:
    return _insert(session, Company, {"org_id": org_id, "ext_id": ext_id, **cols})


def add_custom_field(session: Session, org_id: int, key: str, type_: str, options: list[str] | None = None,
                     label: str | None = None) -> int:
    return _insert(session, CustomFieldDefinition, {"org_id": org_id, "key": key, "label": label or key.title(),
                                                    "type": type_, "options": options})


def set_custom(session: Session, org_id: int, customer_pk: int, field_id: int, type_: str, value: Any) -> None:
    base = {"org_id": org_id, "customer_pk": customer_pk, "field_id": field_id}
    if value is None:
        return
    if type_ in ("multiple_selection", "file_upload"):
        for item in value:
            _insert(session, CustomValue, {**base, "value_text": item})
    elif type_ == "signature":
        _insert(session, CustomValue, {**base, "value_text": value["url"], "value_bool": value["complete"]})
    elif type_ == "number":
        _insert(session, CustomValue, {**base, "value_number": value})
    elif type_ == "date":
        _insert(session, CustomValue, {**base, "value_date": date.fromisoformat(value) if isinstance(value, str)
                                       else value})
    else:
        _insert(session, CustomValue, {**base, "value_text": value})


def add_customer(session: Session, org_id: int, ext_id: str, *, usernames: list[str] | None = None,
                 custom: dict[int, tuple[str, Any]] | None = None, **cols: Any) -> int:
    pk = _insert(session, Customer, {"org_id": org_id, "ext_id": ext_id, "usernames": usernames, **cols})
    for name in usernames or []:
        _insert(session, CustomerUsername, {"org_id": org_id, "customer_pk": pk, "value": name})
    for field_id, (type_, value) in (custom or {}).items():
        set_custom(session, org_id, pk, field_id, type_, value)
    return pk


def add_record(session: Session, entity: str, org_id: int, customer_pk: int, ext_id: str, **cols: Any) -> int:
    tags = cols.get("tags") if entity == "conversations" else None
    pk = _insert(session, MODELS[entity], {"org_id": org_id, "customer_pk": customer_pk, "ext_id": ext_id, **cols})
    for tag in tags or []:
        _insert(session, ConversationTag, {"org_id": org_id, "conversation_pk": pk, "value": tag})
    return pk


def changed(session: Session, org_id: int, customer_pks: set[int] | None = None) -> None:
    events.customers_changed(session, org_id, customer_pks)
