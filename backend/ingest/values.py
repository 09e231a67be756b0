"""One ingested value: plain checks that turn a JSON (or CSV-converted) value into its column value.

Each returns the value in storage terms or the message saying what is wrong; the limits every
boundary shares (storable text, column ranges, representable instants) come from `backend.inputs`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, tzinfo
from typing import Any

from backend.customers.models import TEXT
from backend.inputs import MAX_INT, date_problem, number_problem, text_problem, to_utc

URL_MAX = 2048
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIMESTAMP_FORMAT = "Enter a timestamp in ISO 8601, e.g. 2024-05-01T09:30:00+07:00."


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_text(value: Any, limit: int = TEXT) -> str | None:
    """The message for a bad text value, or None when it is fine."""
    if not isinstance(value, str):
        return "Enter text."
    if len(value) > limit:
        return f"Enter at most {limit:,} characters."
    return text_problem(value)


def parse_number(value: Any, *, whole: bool, minimum: float | None = None,
                 maximum: float | None = None) -> int | float | str:
    """An int (whole) or float within the field's range, which defaults to what its column holds."""
    if not is_number(value):
        return "Enter a whole number." if whole else "Enter a number."
    if whole:
        minimum = -MAX_INT if minimum is None else minimum
        maximum = MAX_INT if maximum is None else maximum
    problem = number_problem(value, whole=whole, minimum=minimum, maximum=maximum)
    if problem is not None:
        return problem
    return int(value) if whole else float(value)


def parse_date(value: Any) -> date | str:
    """A calendar date, or the message saying what is wrong."""
    if not isinstance(value, str) or not _DATE.match(value):
        return "Enter a date as YYYY-MM-DD."
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        return "Enter a real calendar date as YYYY-MM-DD."
    return date_problem(parsed) or parsed


def parse_timestamp(value: Any, tz: tzinfo) -> datetime | str:
    """An aware UTC datetime. A timestamp without an offset (or a bare date, meaning its midnight)
    is taken as the organisation's timezone, as the contract reads dates without time."""
    if not isinstance(value, str) or len(value) < 10:
        return TIMESTAMP_FORMAT
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return TIMESTAMP_FORMAT
    return to_utc(parsed, tz)


def url_problem(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return "Enter a URL."
    if len(value) > URL_MAX:
        return f"Enter a URL of at most {URL_MAX:,} characters."
    if any(c.isspace() for c in value):
        return "Enter a URL without spaces."
    return text_problem(value)
