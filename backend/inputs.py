"""What every value must be to get past an input boundary, whichever boundary it comes through.

One place per kind of check: text that both databases can store, numbers that fit their columns,
dates and instants that stay representable in any timezone. JSON bodies and query strings are
screened by `backend.input_guard`; ingestion (JSON or CSV), rule values and query-parameter types
call the same functions, so a value is refused alike on SQLite and PostgreSQL, as a 400 naming its
field, and never reaches the database.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, tzinfo
from typing import Annotated, Any

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from backend.errors import FieldError

# PostgreSQL cannot store U+0000 in text, and no database can store a lone UTF-16 surrogate
# (JSON lets a client write one as "\ud800"; UTF-8 has no encoding for it).
NUL_MESSAGE = "Text may not contain the NUL character (U+0000)."
SURROGATE_MESSAGE = "Text may not contain a lone surrogate (U+D800 to U+DFFF); send valid Unicode."

# Whole numbers stored in INTEGER columns (counts, scores, settings, ids).
MAX_INT = 2_147_483_647
# No JSON integer beyond 64 bits means anything here (a 4,000-digit number is an attack, not data).
MAX_INT64 = 2**63 - 1
# Amounts, balances and other numbers: beyond a quadrillion a double no longer holds the cents.
MAX_NUMBER = 1e15
# Calendar days and instants; the margin keeps a day ± 1 in any timezone representable.
MIN_DATE = date(1000, 1, 1)
MAX_DATE = date(9000, 12, 31)
DATE_RANGE_MESSAGE = f"Enter a date from {MIN_DATE} to {MAX_DATE}."
TIMESTAMP_RANGE_MESSAGE = f"Enter a time from {MIN_DATE} to {MAX_DATE}."


def text_problem(value: str) -> str | None:
    """Why a text cannot be stored alike on every database, or None."""
    if "\x00" in value:
        return NUL_MESSAGE
    if _has_surrogate(value):
        return SURROGATE_MESSAGE
    return None


def _has_surrogate(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def number_problem(value: int | float, *, whole: bool = False, minimum: float | None = None,
                   maximum: float | None = None) -> str | None:
    """Why a JSON number is refused, or None. The default range is the one the columns hold."""
    if isinstance(value, float) and not math.isfinite(value):
        return "Enter a finite number."
    if whole and isinstance(value, float) and not value.is_integer():
        return "Enter a whole number."
    low = -(MAX_INT if whole else MAX_NUMBER) if minimum is None else minimum
    high = (MAX_INT if whole else MAX_NUMBER) if maximum is None else maximum
    # Compare before any float() so a huge int never overflows the conversion.
    if value < low or value > high:
        return f"Enter a number from {_figure(low)} to {_figure(high)}."
    return None


def _figure(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,}"


def date_problem(value: date) -> str | None:
    return None if MIN_DATE <= value <= MAX_DATE else DATE_RANGE_MESSAGE


def to_utc(value: datetime, default_tz: tzinfo) -> datetime | str:
    """An aware UTC instant (a naive one is read in `default_tz`), or why it is out of range."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=default_tz)
    try:
        utc = value.astimezone(UTC)
    except OverflowError:
        return TIMESTAMP_RANGE_MESSAGE
    return utc if MIN_DATE <= utc.date() <= MAX_DATE else TIMESTAMP_RANGE_MESSAGE


def unstorable(data: Any, path: str = "") -> list[FieldError]:
    """Every string (key or value) and number of decoded JSON that no column could hold, by path.

    Field-specific limits (a text's length, an amount's range) are each field's own check; this is the
    floor beneath all of them: valid storable text, integers within 64 bits, finite numbers.
    """
    problems: list[FieldError] = []
    stack: list[tuple[Any, str]] = [(data, path)]
    while stack and len(problems) < 50:
        value, where = stack.pop()
        if isinstance(value, str):
            if (why := text_problem(value)) is not None:
                problems.append(FieldError(where, why))
        elif isinstance(value, bool) or value is None:
            continue
        elif isinstance(value, int):
            if abs(value) > MAX_INT64:
                problems.append(FieldError(where, "This number is too large."))
        elif isinstance(value, float):
            if not math.isfinite(value):
                problems.append(FieldError(where, "Enter a finite number."))
        elif isinstance(value, dict):
            for key, item in reversed(value.items()):
                child = f"{where}.{key}" if where else str(key)
                if (why := text_problem(key)) is not None:
                    problems.append(FieldError(where or "body", f"A property name is not valid: {why}"))
                    continue
                stack.append((item, child))
        elif isinstance(value, list):
            stack.extend((item, f"{where}.{i}" if where else str(i)) for i, item in reversed(list(enumerate(value))))
    return problems


# ---- pydantic types for parameters and bodies ---------------------------------------------------

def _check_text(value: str) -> str:
    if (why := text_problem(value)) is not None:
        raise PydanticCustomError("text_not_storable", why)
    return value


def _check_date(value: date) -> date:
    if (why := date_problem(value)) is not None:
        raise PydanticCustomError("date_out_of_range", why)
    return value


# A text parameter (path or query) the databases can store and compare.
StoredText = Annotated[str, AfterValidator(_check_text)]
# A calendar day that stays representable a day either side in any timezone (list filters, rule values).
Day = Annotated[date, AfterValidator(_check_date)]
