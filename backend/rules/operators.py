"""The one operator table: for each kind of value, operator key -> value shape and wording, and the
parsing of a condition's value into that shape.

What each operator means, in SQL and in Python side by side, is in `backend.rules.predicates`;
validation, compilation, summaries and the reference evaluator all read these two modules.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy.sql.elements import ColumnElement

from backend.inputs import MAX_NUMBER, date_problem

SqlExpr = ColumnElement[Any]
SqlBool = ColumnElement[bool]


class Kind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"  # a calendar day (DATE column) or an instant compared by its day in the org's timezone
    DAYS = "days"  # "days since" an instant, compared as whole calendar days in the org's timezone
    BOOL = "bool"
    SELECTION = "selection"
    PRESENCE = "presence"


class Shape(StrEnum):
    NONE = "none"
    TEXT = "text"
    TEXT_LIST = "text_list"
    NUMBER = "number"
    NUMBER_PAIR = "number_pair"
    DATE = "date"
    DATE_PAIR = "date_pair"
    DAY_COUNT = "day_count"
    BOOL = "bool"


# The five value shapes the app's editors know (`GET /operators`): the pairs and singles differ by the field's
# kind only, which the catalog gives.
WIRE_SHAPES: dict[Shape, str] = {
    Shape.NONE: "none", Shape.TEXT: "one", Shape.NUMBER: "one", Shape.DATE: "one", Shape.BOOL: "one",
    Shape.NUMBER_PAIR: "two", Shape.DATE_PAIR: "two", Shape.TEXT_LIST: "list", Shape.DAY_COUNT: "days",
}
# A "days" label reads with its count in place of N: "is in the last N days" -> "is in the last 30 days".
DAYS_PLACEHOLDER = "N days"


@dataclass(frozen=True)
class Operator:
    key: str
    label: str  # the words the app shows, in the operator box and in summaries
    shape: Shape
    # For negative operators, the positive operator they deny (empty values never match either).
    denies: str | None = None
    max_items: int = 0  # list values only: how many items at most (0: MAX_LIST)


def _ops(*ops: Operator) -> dict[str, Operator]:
    return {o.key: o for o in ops}


IS_EMPTY = Operator("is_empty", "is empty", Shape.NONE)
IS_NOT_EMPTY = Operator("is_not_empty", "is not empty", Shape.NONE)

TEXT_OPERATORS = _ops(
    Operator("is", "is", Shape.TEXT),
    Operator("is_not", "is not", Shape.TEXT, denies="is"),
    Operator("contains", "contains", Shape.TEXT),
    Operator("not_contains", "does not contain", Shape.TEXT, denies="contains"),
    Operator("starts_with", "starts with", Shape.TEXT),
    Operator("ends_with", "ends with", Shape.TEXT),
    Operator("is_any_of", "is any of", Shape.TEXT_LIST, max_items=100),
    Operator("is_none_of", "is none of", Shape.TEXT_LIST, denies="is_any_of", max_items=100),
    IS_EMPTY, IS_NOT_EMPTY,
)
NUMBER_OPERATORS = _ops(
    Operator("eq", "equals", Shape.NUMBER),
    Operator("neq", "does not equal", Shape.NUMBER, denies="eq"),
    Operator("gt", "is greater than", Shape.NUMBER),
    Operator("lt", "is less than", Shape.NUMBER),
    Operator("gte", "is at least", Shape.NUMBER),
    Operator("lte", "is at most", Shape.NUMBER),
    Operator("between", "is between", Shape.NUMBER_PAIR),
    IS_EMPTY, IS_NOT_EMPTY,
)
DATE_OPERATORS = _ops(
    Operator("on", "is on", Shape.DATE),
    Operator("not_on", "is not on", Shape.DATE, denies="on"),
    Operator("before", "is before", Shape.DATE),
    Operator("after", "is after", Shape.DATE),
    Operator("between", "is between", Shape.DATE_PAIR),
    Operator("in_last_days", "is in the last N days", Shape.DAY_COUNT),
    Operator("more_than_days_ago", "is more than N days ago", Shape.DAY_COUNT),
    Operator("in_next_days", "is in the next N days", Shape.DAY_COUNT),
    # Calendar-day fields only (birthdays): an instant's month and day depend on the timezone.
    Operator("anniversary_in_next_days", "has its anniversary in the next N days", Shape.DAY_COUNT),
    IS_EMPTY, IS_NOT_EMPTY,
)
BOOL_OPERATORS = _ops(
    Operator("is", "is", Shape.BOOL),
    Operator("is_not", "is not", Shape.BOOL, denies="is"),
    IS_EMPTY, IS_NOT_EMPTY,
)
SELECTION_OPERATORS = _ops(
    Operator("contains_any", "contains any of", Shape.TEXT_LIST),
    Operator("contains_all", "contains all of", Shape.TEXT_LIST),
    Operator("contains_none", "contains none of", Shape.TEXT_LIST, denies="contains_any"),
    IS_EMPTY, IS_NOT_EMPTY,
)
PRESENCE_OPERATORS = _ops(IS_EMPTY, IS_NOT_EMPTY)

TABLE: dict[Kind, dict[str, Operator]] = {
    Kind.TEXT: TEXT_OPERATORS,
    Kind.NUMBER: NUMBER_OPERATORS,
    Kind.DATE: DATE_OPERATORS,
    Kind.DAYS: NUMBER_OPERATORS,
    Kind.BOOL: BOOL_OPERATORS,
    Kind.SELECTION: SELECTION_OPERATORS,
    Kind.PRESENCE: PRESENCE_OPERATORS,
}

RELATIVE_DATE_OPERATORS = ("in_last_days", "more_than_days_ago", "in_next_days")


def served_operators() -> list[dict[str, str]]:
    """Every operator once, as `GET /operators` serves it. A key means one thing whatever the field's kind
    ("between" takes two numbers or two dates), which the assertion keeps true."""
    seen: dict[str, Operator] = {}
    for ops in TABLE.values():
        for op in ops.values():
            other = seen.setdefault(op.key, op)
            assert (other.label, WIRE_SHAPES[other.shape]) == (op.label, WIRE_SHAPES[op.shape]), op.key
    return [{"key": op.key, "label": op.label, "value_shape": WIRE_SHAPES[op.shape]} for op in seen.values()]

# Value limits: anything larger is a 400, never a query.
MAX_TEXT = 255
MAX_LONG_TEXT = 10_000
MAX_LIST = 50
MAX_DAY_COUNT = 36_500
MAX_DAYS_METRIC = 100_000
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ValueProblem(Exception):
    """A value does not fit its operator; `index` points into a list value."""

    def __init__(self, message: str, index: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.index = index


# --------------------------------------------------------------------------- value shapes

def _text(value: Any, max_len: int) -> str:
    if not isinstance(value, str):
        raise ValueProblem("Enter a text value.")
    if value == "":
        raise ValueProblem("Enter a value.")
    if len(value) > max_len:
        raise ValueProblem(f"Enter at most {max_len} characters.")
    return value


def _number(value: Any, limit: float = MAX_NUMBER) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueProblem("Enter a number.")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueProblem("Enter a finite number.")
    if abs(value) > limit:
        raise ValueProblem(f"Enter a number between {-limit:,.0f} and {limit:,.0f}.")
    return float(value)


def _date(value: Any) -> date:
    if not isinstance(value, str) or not _DATE_RE.match(value):
        raise ValueProblem("Enter a date as YYYY-MM-DD.")
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise ValueProblem("Enter a real calendar date.") from None
    if (why := date_problem(parsed)) is not None:
        raise ValueProblem(why)
    return parsed


def _pair(value: Any, one: Callable[[Any], Any], what: str) -> tuple[Any, Any]:
    if not isinstance(value, list) or len(value) != 2:
        raise ValueProblem(f"Enter two {what}s: [low, high].")
    parsed = []
    for i, item in enumerate(value):
        try:
            parsed.append(one(item))
        except ValueProblem as exc:
            raise ValueProblem(exc.message, i) from None
    if parsed[0] > parsed[1]:
        raise ValueProblem(f"The first {what} must not be after the second.", 1)
    return parsed[0], parsed[1]


def parse_value(shape: Shape, value: Any, *, kind: Kind, max_text: int = MAX_TEXT, max_items: int = 0) -> Any:
    """The typed value for an operator's shape; raises ValueProblem with the user-facing reason."""
    max_items = max_items or MAX_LIST
    limit = MAX_DAYS_METRIC if kind is Kind.DAYS else MAX_NUMBER
    if shape is Shape.NONE:
        if value is not None:
            raise ValueProblem("This operator takes no value.")
        return None
    if value is None:
        raise ValueProblem("Enter a value.")
    if shape is Shape.TEXT:
        return _text(value, max_text)
    if shape is Shape.TEXT_LIST:
        if not isinstance(value, list) or not value:
            raise ValueProblem("Choose at least one value.")
        if len(value) > max_items:
            raise ValueProblem(f"Choose at most {max_items} values.")
        out = []
        for i, item in enumerate(value):
            try:
                out.append(_text(item, max_text))
            except ValueProblem as exc:
                raise ValueProblem(exc.message, i) from None
        return tuple(out)
    if shape is Shape.NUMBER:
        return _number(value, limit)
    if shape is Shape.NUMBER_PAIR:
        return _pair(value, lambda v: _number(v, limit), "number")
    if shape is Shape.DATE:
        return _date(value)
    if shape is Shape.DATE_PAIR:
        return _pair(value, _date, "date")
    if shape is Shape.DAY_COUNT:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueProblem("Enter a whole number of days.")
        if not 0 <= value <= MAX_DAY_COUNT:
            raise ValueProblem(f"Enter a number of days from 0 to {MAX_DAY_COUNT}.")
        return value
    if shape is Shape.BOOL:
        if not isinstance(value, bool):
            raise ValueProblem("Choose true or false.")
        return value
    raise AssertionError(shape)
