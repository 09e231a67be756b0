"""Custom field definitions and the lookups other domains need: external id → pk, username → user.

Functions take the session and never commit; the caller owns the transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import ColumnElement, Integer, String, any_, bindparam, func, select, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnClause

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


def one_of(session: Session, column: ColumnClause, values: list[Any]) -> ColumnElement[bool]:
    """`column IN values` for a chunk of values; on PostgreSQL one array parameter (`= ANY(:values)`),
    which psycopg sends without re-parsing a statement of thousands of placeholders."""
    if session.get_bind().dialect.name == "postgresql":
        element = Integer() if isinstance(column.type, Integer) else String()
        return column == any_(bindparam(None, list(values), type_=ARRAY(element)))
    return column.in_(values)


def prefer_custom_plans(session: Session) -> None:
    """Plan this transaction's statements for their actual parameters (PostgreSQL).

    psycopg prepares a statement it has run five times, and PostgreSQL may then use a generic plan.
    Right after a bulk load the table has no statistics yet, and the generic plan of
    `ext_id = ANY(:ids)` became a nested loop comparing every row with every id: seconds per chunk
    instead of milliseconds. SET LOCAL ends with the transaction.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


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
                                                                    one_of(session, model.ext_id, batch)))
        found.update({ext: pk for ext, pk in rows})
    return found


def user_ids_by_username(session: Session, org_id: int) -> dict[str, int]:
    """The organisation's users keyed by lower-cased username (owner/assignee names match case-insensitively)."""
    rows = session.execute(select(func.lower(User.username), User.id).where(User.org_id == org_id))
    return {name: uid for name, uid in rows}
