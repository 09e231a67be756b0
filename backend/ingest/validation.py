"""Validation of an ingestion batch, record by record, in plain functions.

Pydantic would accept the batch shape, but its paths and messages are not the contract's
(`records.3.email`, "Enter at most 255 characters."), and validating 10,000 loosely-typed
records in plain Python is as fast. Every problem of the batch is collected, not just the first.
The result is the batch in storage terms: columns with Python values, side-table lists, and
custom values as typed rows; external ids of referenced customers/companies are resolved later
in one query each (see `service`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from typing import Any

from backend.customers.models import LONG_TEXT, TEXT
from backend.errors import FieldError
from backend.ingest.fields import EntitySpec, FieldSpec, Kind, ObjectSpec

MAX_RECORDS = 10_000
URL_MAX = 2048
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _Invalid:
    """Marks a value that failed validation (its error is already recorded)."""


INVALID = _Invalid()


@dataclass(frozen=True)
class CustomDef:
    id: int
    key: str
    type: str
    options: frozenset[str] = frozenset()


@dataclass
class CustomValueIn:
    """One custom value of a record: the raw JSON kept on the customer and its typed rows."""

    raw: Any
    rows: list[dict[str, Any]]


@dataclass
class CleanRecord:
    index: int
    ext_id: str
    values: dict[str, Any] = field(default_factory=dict)  # column -> value, only fields sent
    lists: dict[str, list[str] | None] = field(default_factory=dict)  # side-table field -> values
    refs: dict[str, str | None] = field(default_factory=dict)  # column -> referenced external id
    custom: dict[str, CustomValueIn | None] = field(default_factory=dict)  # key -> value; None clears
    custom_cleared: bool = False  # "custom": null clears every custom value


def _path(index: int, *parts: str) -> str:
    return ".".join(("records", str(index), *parts))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# PostgreSQL cannot store U+0000 in text; refuse it on every database so both behave alike.
NUL_MESSAGE = "Text may not contain the NUL character (U+0000)."


def check_text(value: Any, limit: int = TEXT) -> str | None:
    """The message for a bad text value, or None when it is fine."""
    if not isinstance(value, str):
        return "Enter text."
    if len(value) > limit:
        return f"Enter at most {limit:,} characters."
    if "\x00" in value:
        return NUL_MESSAGE
    return None


def parse_date(value: Any) -> date | str:
    """A calendar date, or the message saying what is wrong."""
    if not isinstance(value, str) or not _DATE.match(value):
        return "Enter a date as YYYY-MM-DD."
    try:
        return date.fromisoformat(value)
    except ValueError:
        return "Enter a real calendar date as YYYY-MM-DD."


def parse_timestamp(value: Any, tz: tzinfo) -> datetime | str:
    """An aware UTC datetime. A timestamp without an offset (or a bare date, meaning its midnight)
    is taken as the organisation's timezone, as the contract reads dates without time."""
    if not isinstance(value, str) or len(value) < 10:
        return "Enter a timestamp in ISO 8601, e.g. 2024-05-01T09:30:00+07:00."
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return "Enter a timestamp in ISO 8601, e.g. 2024-05-01T09:30:00+07:00."
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    return parsed.astimezone(UTC)


class BatchValidator:
    """Validates one entity's records for one organisation (its timezone and custom fields)."""

    def __init__(self, entity: EntitySpec, tz: tzinfo, custom_defs: dict[str, CustomDef] | None = None) -> None:
        self.entity = entity
        self.tz = tz
        self.custom_defs = custom_defs or {}
        self.errors: list[FieldError] = []

    def error(self, path: str, message: str) -> _Invalid:
        self.errors.append(FieldError(path, message))
        return INVALID

    # ---- the batch -------------------------------------------------------------------------------

    def validate(self, records: Any, limit: int | None = MAX_RECORDS) -> list[CleanRecord]:
        if not isinstance(records, list):
            self.error("records", "Send the records as a list.")
            return []
        if limit is not None and len(records) > limit:
            self.error("records", f"Send at most {limit:,} records a request; this batch has {len(records):,}.")
            return []
        clean: list[CleanRecord] = []
        first_index: dict[str, int] = {}
        for index, record in enumerate(records):
            result = self.record(index, record)
            ext_id = record.get("id") if isinstance(record, dict) else None
            if isinstance(ext_id, str):
                earlier = first_index.setdefault(ext_id, index)
                if earlier != index:
                    self.error(_path(index, "id"),
                               f"The id {ext_id!r} is already used by record {earlier} of this batch.")
                    continue
            if result is not None:
                clean.append(result)
        return clean

    def record(self, index: int, record: Any) -> CleanRecord | None:
        if not isinstance(record, dict):
            self.error(_path(index), "Each record must be a JSON object.")
            return None
        ext_id = record.get("id")
        if "id" not in record or ext_id is None:
            self.error(_path(index, "id"), "Every record needs an id.")
            ext_id = None
        elif not isinstance(ext_id, str):
            self.error(_path(index, "id"), "Send the id as a string.")
            ext_id = None
        elif not ext_id.strip():
            self.error(_path(index, "id"), "Enter a non-empty id.")
            ext_id = None
        elif len(ext_id) > TEXT:
            self.error(_path(index, "id"), f"Enter at most {TEXT} characters.")
            ext_id = None
        elif "\x00" in ext_id:
            self.error(_path(index, "id"), NUL_MESSAGE)
            ext_id = None
        out = CleanRecord(index, ext_id or "")
        ok = ext_id is not None
        fields = self.entity.fields
        for name, value in record.items():
            if name == "id":
                continue
            spec = fields.get(name)
            if spec is None:
                ok = False
                self.error(_path(index, name), f"Unknown field {name!r} for {self.entity.name}.")
            elif isinstance(spec, ObjectSpec):
                ok = self._object(out, name, spec, value) and ok
            else:
                ok = self._field(out, (name,), spec, value) and ok
        return out if ok else None

    # ---- one field ---------------------------------------------------------------------------------

    def _object(self, out: CleanRecord, name: str, spec: ObjectSpec, value: Any) -> bool:
        if value is None:  # clears every part of the object
            for sub in spec.fields.values():
                out.values[sub.column] = None
            return True
        if not isinstance(value, dict):
            self.error(_path(out.index, name), "Send an object.")
            return False
        ok = True
        for key, sub_value in value.items():
            sub = spec.fields.get(key)
            if sub is None:
                ok = False
                self.error(_path(out.index, name, key), f"Unknown field {key!r} in {name}.")
            else:
                ok = self._field(out, (name, key), sub, sub_value) and ok
        return ok

    def _field(self, out: CleanRecord, parts: tuple[str, ...], spec: FieldSpec, value: Any) -> bool:
        path = _path(out.index, *parts)
        kind = spec.kind
        if kind is Kind.CUSTOM:
            return self._custom(out, value)
        if value is None:
            if spec.required:
                self.error(path, "This value is required and cannot be cleared.")
                return False
            if kind is Kind.TEXT_LIST:
                out.lists[parts[-1]] = None
            if kind in (Kind.CUSTOMER_REF, Kind.COMPANY_REF):
                out.refs[spec.column] = None
            out.values[spec.column] = None
            return True
        result = self._value(path, spec, value)
        if result is INVALID:
            return False
        if kind is Kind.TEXT_LIST:
            out.lists[parts[-1]] = result
        if kind in (Kind.CUSTOMER_REF, Kind.COMPANY_REF):
            out.refs[spec.column] = result
        else:
            out.values[spec.column] = result
        return True

    def _value(self, path: str, spec: FieldSpec, value: Any) -> Any:
        kind = spec.kind
        if kind is Kind.TEXT or kind is Kind.CUSTOMER_REF or kind is Kind.COMPANY_REF:
            problem = check_text(value)
            if problem:
                return self.error(path, problem)
            return value
        if kind is Kind.ENUM:
            if value not in spec.choices:
                return self.error(path, f"Choose one of {', '.join(spec.choices)}.")
            return value
        if kind is Kind.INT or kind is Kind.NUMBER:
            return self._number(path, spec, value)
        if kind is Kind.BOOL:
            if not isinstance(value, bool):
                return self.error(path, "Enter true or false.")
            return value
        if kind is Kind.DATE:
            parsed = parse_date(value)
            return self.error(path, parsed) if isinstance(parsed, str) else parsed
        if kind is Kind.TIMESTAMP:
            parsed = parse_timestamp(value, self.tz)
            return self.error(path, parsed) if isinstance(parsed, str) else parsed
        if kind is Kind.TEXT_LIST:
            return self._text_list(path, value)
        raise AssertionError(f"unhandled kind {kind}")

    def _number(self, path: str, spec: FieldSpec, value: Any) -> Any:
        if not _is_number(value) or not math.isfinite(value):
            return self.error(path, "Enter a whole number." if spec.kind is Kind.INT else "Enter a number.")
        if spec.kind is Kind.INT:
            if isinstance(value, float):
                if not value.is_integer():
                    return self.error(path, "Enter a whole number.")
                value = int(value)
        else:
            value = float(value)
        if spec.minimum is not None and value < spec.minimum:
            return self._range_error(path, spec)
        if spec.maximum is not None and value > spec.maximum:
            return self._range_error(path, spec)
        return value

    def _range_error(self, path: str, spec: FieldSpec) -> _Invalid:
        if spec.maximum is None:
            return self.error(path, f"Enter a number of at least {spec.minimum:g}.")
        return self.error(path, f"Enter a number from {spec.minimum:g} to {spec.maximum:g}.")

    def _text_list(self, path: str, value: Any) -> Any:
        if not isinstance(value, list):
            return self.error(path, "Send a list of texts.")
        ok = True
        for i, item in enumerate(value):
            problem = check_text(item)
            if problem:
                ok = False
                self.error(f"{path}.{i}", problem)
        return list(value) if ok else INVALID

    # ---- custom values ---------------------------------------------------------------------------

    def _custom(self, out: CleanRecord, value: Any) -> bool:
        if value is None:
            out.custom_cleared = True
            return True
        if not isinstance(value, dict):
            self.error(_path(out.index, "custom"), "Send custom values as an object of field keys.")
            return False
        ok = True
        for key, item in value.items():
            path = _path(out.index, "custom", str(key))
            definition = self.custom_defs.get(key)
            if definition is None:
                ok = False
                self.error(path, f"No custom field with the key {key!r} is defined.")
                continue
            if item is None:
                out.custom[key] = None
                continue
            rows = self._custom_rows(path, definition, item)
            if rows is INVALID:
                ok = False
            else:
                out.custom[key] = CustomValueIn(item, rows)
        return ok

    def _custom_rows(self, path: str, d: CustomDef, value: Any) -> Any:
        """The typed CustomValue rows of a valid value (value_* columns only)."""
        t = d.type
        if t in ("single_line_text", "gps", "multi_line_text"):
            problem = check_text(value, LONG_TEXT if t == "multi_line_text" else TEXT)
            if problem:
                return self.error(path, problem)
            return [_text_row(value)] if value.strip() else []
        if t == "number":
            if not _is_number(value) or not math.isfinite(value):
                return self.error(path, "Enter a number.")
            return [_row(value_number=float(value))]
        if t == "date":
            parsed = parse_date(value)
            return self.error(path, parsed) if isinstance(parsed, str) else [_row(value_date=parsed)]
        if t == "dropdown":
            if not isinstance(value, str) or value not in d.options:
                return self.error(path, f"Choose one of the options of {d.key}: {', '.join(sorted(d.options))}.")
            return [_text_row(value)]
        if t == "multiple_selection":
            return self._selection_rows(path, d, value)
        if t == "url":
            problem = _url_problem(value)
            return self.error(path, problem) if problem else [_text_row(value)]
        if t == "file_upload":
            return self._file_rows(path, value)
        if t == "signature":
            return self._signature_rows(path, value)
        raise AssertionError(f"unhandled custom field type {t}")

    def _selection_rows(self, path: str, d: CustomDef, value: Any) -> Any:
        if not isinstance(value, list):
            return self.error(path, "Send a list of options.")
        ok = True
        for i, item in enumerate(value):
            if not isinstance(item, str) or item not in d.options:
                ok = False
                self.error(f"{path}.{i}", f"Choose from the options of {d.key}: {', '.join(sorted(d.options))}.")
        # Order and repeats carry no meaning for a selection ("order of selection should not affect results").
        return [_text_row(v) for v in dict.fromkeys(value)] if ok else INVALID

    def _file_rows(self, path: str, value: Any) -> Any:
        if isinstance(value, str):
            problem = _url_problem(value)
            return self.error(path, problem) if problem else [_text_row(value)]
        if not isinstance(value, list):
            return self.error(path, "Send a file URL or a list of file URLs.")
        ok = True
        for i, item in enumerate(value):
            problem = _url_problem(item)
            if problem:
                ok = False
                self.error(f"{path}.{i}", problem)
        return [_text_row(v) for v in value] if ok else INVALID

    def _signature_rows(self, path: str, value: Any) -> Any:
        shape = 'Send a signature as {"url": "...", "complete": true|false}.'
        if not isinstance(value, dict):
            return self.error(path, shape)
        ok = True
        for key in value.keys() - {"url", "complete"}:
            ok = False
            self.error(f"{path}.{key}", f"Unknown signature field {key!r}. {shape}")
        if "url" not in value or _url_problem(value["url"]):
            ok = False
            self.error(f"{path}.url", _url_problem(value.get("url")) or "Enter the signature's URL.")
        if not isinstance(value.get("complete"), bool):
            ok = False
            self.error(f"{path}.complete", "Enter true or false.")
        # A partial signature counts as empty; the row keeps it with value_bool false.
        return [_row(value_text=value["url"], value_bool=value["complete"])] if ok else INVALID


def _row(value_text: str | None = None, value_number: float | None = None, value_date: date | None = None,
         value_bool: bool | None = None) -> dict[str, Any]:
    return {"value_text": value_text, "value_number": value_number, "value_date": value_date,
            "value_bool": value_bool}


def _text_row(value: str) -> dict[str, Any]:
    return {"value_text": value, "value_number": None, "value_date": None, "value_bool": None}


def _url_problem(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return "Enter a URL."
    if len(value) > URL_MAX:
        return f"Enter a URL of at most {URL_MAX:,} characters."
    if any(c.isspace() for c in value):
        return "Enter a URL without spaces."
    return None
