"""Numbers and dates as the user reads and types them, in the user's locale, and back to the values rules hold.

Qt-free: the widget layer passes the locale's separators and short date pattern (from `QLocale`), so the
rules here are tested without Qt. A rule's value is always a plain number or an ISO date; only the text on
screen follows the locale. What cannot be read stays text, so validation can name the problem in place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from segstudio.core.validation import parse_number

# Separators some locales use for grouping that a keyboard types as a plain or no-break space.
_SPACES = ("\u00a0", "\u202f", " ")


@dataclass(frozen=True)
class NumberFormat:
    """The locale's digit grouping and decimal mark (`QLocale.groupSeparator()` / `decimalPoint()`)."""

    group: str = ","
    decimal: str = "."


def format_number(value: int | float, fmt: NumberFormat = NumberFormat()) -> str:
    """`1000000` → "1,000,000" (grouped the locale's way); fractions keep up to 10 places, no trailing zeros."""
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:,.10f}".rstrip("0").rstrip(".")
    else:
        text = f"{int(value):,}"
    # Swap through a placeholder so a locale whose group mark is "." and decimal "," comes out right.
    return text.replace(",", "\0").replace(".", fmt.decimal).replace("\0", fmt.group)


def parse_number_text(text: str, fmt: NumberFormat = NumberFormat()) -> int | float | None:
    """A number from what the user typed, read the locale's way first ("1.500,5" in German), then the
    plain way every locale also accepts ("1500.5", "1,500"). None when it is not a number."""
    raw = text.strip().removesuffix("%").strip()
    if not raw:
        return None
    group = " " if fmt.group in _SPACES else fmt.group
    local = raw
    for space in _SPACES:
        local = local.replace(space, " ")
    grouped = rf"[+-]?\d{{1,3}}({re.escape(group)}\d{{3}})+"
    plain = r"[+-]?\d+"
    fraction = rf"({re.escape(fmt.decimal)}\d+)?"
    if re.fullmatch(rf"({grouped}|{plain}){fraction}", local):
        digits = local.replace(group, "").replace(fmt.decimal, ".")
        number = float(digits)
        return int(number) if "." not in digits else number
    return parse_number(raw.replace(" ", ""))


# --- dates ------------------------------------------------------------------------------------------------

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_TOKENS = re.compile(r"yyyy|yy|MM|M|dd|d|'[^']*'|.", re.DOTALL)


def _pattern_regex(pattern: str) -> tuple[re.Pattern[str], list[str]] | None:
    """A regex for a Qt numeric date pattern ("M/d/yy", "dd.MM.yyyy"); None when it uses names or weekdays."""
    parts: list[str] = []
    order: list[str] = []
    for token in _TOKENS.findall(pattern):
        if token in ("yyyy", "yy"):
            parts.append(r"(\d{4}|\d{2})")
            order.append("y")
        elif token in ("MM", "M"):
            parts.append(r"(\d{1,2})")
            order.append("m")
        elif token in ("dd", "d"):
            parts.append(r"(\d{1,2})")
            order.append("d")
        elif token.isalpha() or token.startswith("'"):
            return None  # month names, weekdays or quoted words: not a form people type
        else:
            parts.append(r"[\s/.\-]+" if not token.isspace() else r"\s+")
    if sorted(order) != ["d", "m", "y"]:
        return None
    return re.compile("".join(parts)), order


def _year(text: str, today: date) -> int:
    if len(text) == 4:
        return int(text)
    # Two digits: the nearest century that does not put the date more than 20 years ahead ("90" → 1990).
    year = 2000 + int(text)
    return year - 100 if year > today.year + 20 else year


def parse_date_text(text: str, short_pattern: str = "", today: date | None = None) -> date | None:
    """A date typed as ISO ("1990-01-31"), compact ("19900131") or in the locale's short form ("1/31/90")."""
    raw = text.strip()
    if not raw:
        return None
    for regex in (_ISO, _COMPACT):
        m = regex.fullmatch(raw)
        if m:
            return _safe_date(int(m[1]), int(m[2]), int(m[3]))
    compiled = _pattern_regex(short_pattern) if short_pattern else None
    if compiled is None:
        return None
    regex, order = compiled
    m = regex.fullmatch(raw)
    if not m:
        return None
    found = dict(zip(order, m.groups(), strict=True))
    return _safe_date(_year(found["y"], today or date.today()), int(found["m"]), int(found["d"]))


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def date_value(text: str, short_pattern: str = "", today: date | None = None) -> str | None:
    """What a date box puts in the rule: the ISO date when the text reads as one, the text itself when it
    does not (validation then asks for a date), None when the box is empty."""
    if not text.strip():
        return None
    parsed = parse_date_text(text, short_pattern, today)
    return parsed.isoformat() if parsed else text


def number_value(text: str, fmt: NumberFormat = NumberFormat()) -> int | float | str | None:
    """What a number box puts in the rule: the number, the text when it is not one, None when empty."""
    if not text.strip():
        return None
    number = parse_number_text(text, fmt)
    return text if number is None else number


def days_value(text: str) -> int | str | None:
    """A whole number of days (digits only); other text is kept so validation can say what is wrong."""
    raw = text.strip().removesuffix("days").removesuffix("day").strip()
    if not raw:
        return None
    return int(raw) if raw.isdigit() else raw
