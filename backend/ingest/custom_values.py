"""Custom values of an ingested customer, typed by the organisation's field definitions.

Each valid value becomes the typed `CustomValue` rows rules match against (value_* columns only);
a bad one is reported through the batch's `error` callback under `records.N.custom.<key>`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from backend.customers.models import LONG_TEXT, TEXT
from backend.ingest.values import check_text, parse_date, parse_number, url_problem


class Invalid:
    """Marks a value that failed validation (its error is already recorded)."""


INVALID = Invalid()
ErrorSink = Callable[[str, str], Invalid]


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


def custom_rows(error: ErrorSink, path: str, d: CustomDef, value: Any) -> Any:
    """The typed rows of a valid value, or INVALID once its problems are recorded."""
    t = d.type
    if t in ("single_line_text", "gps", "multi_line_text"):
        problem = check_text(value, LONG_TEXT if t == "multi_line_text" else TEXT)
        if problem:
            return error(path, problem)
        return [_text_row(value)] if value.strip() else []
    if t == "number":
        number = parse_number(value, whole=False)
        return error(path, number) if isinstance(number, str) else [_row(value_number=number)]
    if t == "date":
        parsed = parse_date(value)
        return error(path, parsed) if isinstance(parsed, str) else [_row(value_date=parsed)]
    if t == "dropdown":
        if not isinstance(value, str) or value not in d.options:
            return error(path, f"Choose one of the options of {d.key}: {', '.join(sorted(d.options))}.")
        return [_text_row(value)]
    if t == "multiple_selection":
        return _selection_rows(error, path, d, value)
    if t == "url":
        problem = url_problem(value)
        return error(path, problem) if problem else [_text_row(value)]
    if t == "file_upload":
        return _file_rows(error, path, value)
    if t == "signature":
        return _signature_rows(error, path, value)
    raise AssertionError(f"unhandled custom field type {t}")


def _selection_rows(error: ErrorSink, path: str, d: CustomDef, value: Any) -> Any:
    if not isinstance(value, list):
        return error(path, "Send a list of options.")
    ok = True
    for i, item in enumerate(value):
        if not isinstance(item, str) or item not in d.options:
            ok = False
            error(f"{path}.{i}", f"Choose from the options of {d.key}: {', '.join(sorted(d.options))}.")
    # Order and repeats carry no meaning for a selection ("order of selection should not affect results").
    return [_text_row(v) for v in dict.fromkeys(value)] if ok else INVALID


def _file_rows(error: ErrorSink, path: str, value: Any) -> Any:
    if isinstance(value, str):
        problem = url_problem(value)
        return error(path, problem) if problem else [_text_row(value)]
    if not isinstance(value, list):
        return error(path, "Send a file URL or a list of file URLs.")
    ok = True
    for i, item in enumerate(value):
        problem = url_problem(item)
        if problem:
            ok = False
            error(f"{path}.{i}", problem)
    return [_text_row(v) for v in value] if ok else INVALID


def _signature_rows(error: ErrorSink, path: str, value: Any) -> Any:
    shape = 'Send a signature as {"url": "...", "complete": true|false}.'
    if not isinstance(value, dict):
        return error(path, shape)
    ok = True
    for key in value.keys() - {"url", "complete"}:
        ok = False
        error(f"{path}.{key}", f"Unknown signature field {key!r}. {shape}")
    if "url" not in value or url_problem(value["url"]):
        ok = False
        error(f"{path}.url", url_problem(value.get("url")) or "Enter the signature's URL.")
    if not isinstance(value.get("complete"), bool):
        ok = False
        error(f"{path}.complete", "Enter true or false.")
    # A partial signature counts as empty; the row keeps it with value_bool false.
    return [_row(value_text=value["url"], value_bool=value["complete"])] if ok else INVALID


def _row(value_text: str | None = None, value_number: float | None = None, value_date: date | None = None,
         value_bool: bool | None = None) -> dict[str, Any]:
    return {"value_text": value_text, "value_number": value_number, "value_date": value_date,
            "value_bool": value_bool}


def _text_row(value: str) -> dict[str, Any]:
    return {"value_text": value, "value_number": None, "value_date": None, "value_bool": None}
