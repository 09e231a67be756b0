"""Custom field definitions and the lookups other domains need: external id → pk, username → user.

Functions take the session and never commit; the caller owns the transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.auth.models import User
from backend.customers.models import (
    CUSTOM_FIELD_TYPES,
    SELECTION_TYPES,
    TEXT,
    Company,
    Customer,
    CustomFieldDefinition,
)
from backend.errors import FieldError, conflict, validation_error

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,63}$")

# Keeps IN lists well under every driver's bound-parameter limit (SQLite allows 32,766).
CHUNK = 2000


def chunks(values: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def list_custom_fields(session: Session, org_id: int) -> list[CustomFieldDefinition]:
    return list(session.scalars(select(CustomFieldDefinition).where(CustomFieldDefinition.org_id == org_id)
                                .order_by(CustomFieldDefinition.id)))


def custom_fields_by_key(session: Session, org_id: int) -> dict[str, CustomFieldDefinition]:
    return {d.key: d for d in list_custom_fields(session, org_id)}


def _definition_problems(key: str, label: str, type_: str, options: list[str] | None) -> list[FieldError]:
    problems: list[FieldError] = []
    if not KEY_PATTERN.match(key):
        problems.append(FieldError("key", "Use a lowercase identifier: a letter, then letters, digits or "
                                          "underscores, at most 64 characters."))
    if not label.strip():
        problems.append(FieldError("label", "Enter a label."))
    elif len(label) > TEXT:
        problems.append(FieldError("label", f"Enter at most {TEXT} characters."))
    if type_ not in CUSTOM_FIELD_TYPES:
        problems.append(FieldError("type", f"Choose one of {', '.join(CUSTOM_FIELD_TYPES)}."))
    elif type_ in SELECTION_TYPES:
        if not options:
            problems.append(FieldError("options", "Give at least one option for a selection field."))
        else:
            seen: set[str] = set()
            for i, option in enumerate(options):
                if not option.strip():
                    problems.append(FieldError(f"options.{i}", "Enter a non-empty option."))
                elif len(option) > TEXT:
                    problems.append(FieldError(f"options.{i}", f"Enter at most {TEXT} characters."))
                elif option in seen:
                    problems.append(FieldError(f"options.{i}", f"Option {option!r} is listed twice."))
                seen.add(option)
    elif options is not None:
        problems.append(FieldError("options", "Only dropdown and multiple_selection fields take options."))
    return problems


def create_custom_field(session: Session, org_id: int, *, key: str, label: str, type_: str,
                        options: list[str] | None = None) -> CustomFieldDefinition:
    problems = _definition_problems(key, label, type_, options)
    if problems:
        raise validation_error(problems)
    exists = session.scalar(select(CustomFieldDefinition.id).where(CustomFieldDefinition.org_id == org_id,
                                                                   CustomFieldDefinition.key == key))
    if exists is not None:
        raise conflict(f"A custom field with the key {key!r} already exists.", "duplicate_key")
    definition = CustomFieldDefinition(org_id=org_id, key=key, label=label.strip(), type=type_,
                                       options=list(options) if type_ in SELECTION_TYPES else None)
    session.add(definition)
    session.flush()
    return definition


def customer_pks(session: Session, org_id: int, ext_ids: Iterable[str]) -> dict[str, int]:
    """Map the organisation's customer external ids to pks; ids of other organisations never match."""
    return _pks(session, Customer, org_id, ext_ids)


def company_pks(session: Session, org_id: int, ext_ids: Iterable[str]) -> dict[str, int]:
    return _pks(session, Company, org_id, ext_ids)


def _pks(session: Session, model: type[Customer] | type[Company], org_id: int,
         ext_ids: Iterable[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for batch in chunks(set(ext_ids)):
        rows = session.execute(select(model.ext_id, model.pk).where(model.org_id == org_id,
                                                                    model.ext_id.in_(batch)))
        found.update({ext: pk for ext, pk in rows})
    return found


def user_ids_by_username(session: Session, org_id: int) -> dict[str, int]:
    """The organisation's users keyed by lower-cased username (owner/assignee names match case-insensitively)."""
    rows = session.execute(select(func.lower(User.username), User.id).where(User.org_id == org_id))
    return {name: uid for name, uid in rows}
