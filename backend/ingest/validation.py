"""Validation of an ingestion batch, record by record, in plain functions.

Pydantic would accept the batch shape, but its paths and messages are not the contract's
(`records.3.email`, "Enter at most 255 characters."), and validating 10,000 loosely-typed
records in plain Python is as fast. Every problem of the batch is collected, not just the first.
The result is the batch in storage terms: columns with Python values, side-table lists, and
custom values as typed rows; external ids of referenced customers/companies are resolved later
in one query each (see `service`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo
from typing import Any

from backend.customers.models import TEXT
from backend.errors import FieldError
from backend.ingest.custom_values import INVALID, CustomDef, CustomValueIn, Invalid, custom_rows
from backend.ingest.fields import EntitySpec, FieldSpec, Kind, ObjectSpec
from backend.ingest.values import check_text, parse_date, parse_number, parse_timestamp

MAX_RECORDS = 10_000


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


class BatchValidator:
    """Validates one entity's records for one organisation (its timezone and custom fields)."""

    def __init__(self, entity: EntitySpec, tz: tzinfo, custom_defs: dict[str, CustomDef] | None = None) -> None:
        self.entity = entity
        self.tz = tz
        self.custom_defs = custom_defs or {}
        self.errors: list[FieldError] = []

    def error(self, path: str, message: str) -> Invalid:
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
        elif (why := check_text(ext_id)) is not None:
            self.error(_path(index, "id"), why)
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
        number = parse_number(value, whole=spec.kind is Kind.INT, minimum=spec.minimum, maximum=spec.maximum)
        return self.error(path, number) if isinstance(number, str) else number

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
            rows = custom_rows(self.error, path, definition, item)
            if rows is INVALID:
                ok = False
            else:
                out.custom[key] = CustomValueIn(item, rows)
        return ok
