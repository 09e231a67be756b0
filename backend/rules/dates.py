"""Calendar-day semantics of the rules: the evaluation context (which day is "today", in which timezone) and
what the date, "days since" and anniversary operators mean, as SQL and as Python side by side (the rest of the
operators are in `backend.rules.predicates`, which re-exports these)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, extract, false, not_, or_, true
from sqlalchemy.sql.elements import ColumnElement

SqlExpr = ColumnElement[Any]
SqlBool = ColumnElement[bool]

# --------------------------------------------------------------------------- evaluation context

@dataclass(frozen=True)
class EvalContext:
    """When and where a rule is evaluated: "today" is a calendar day in the org's timezone."""

    tz: ZoneInfo
    today: date

    @classmethod
    def for_timezone(cls, timezone: str, today: date | None = None) -> EvalContext:
        tz = ZoneInfo(timezone)
        return cls(tz, today or datetime.now(tz).date())

    def start_utc(self, day: date) -> datetime:
        """The first instant of a local calendar day, in UTC."""
        return datetime.combine(day, time(0), self.tz).astimezone(UTC)

    def local_date(self, instant: datetime) -> date:
        return instant.astimezone(self.tz).date()


# --------------------------------------------------------------------------- dates and days since

DayRange = tuple[date | None, date | None]  # inclusive local days; None = unbounded


def day_range(op: str, value: Any, ctx: EvalContext) -> DayRange:
    """The local calendar days a positive date operator accepts."""
    one = timedelta(days=1)
    today = ctx.today
    if op in ("on", "not_on"):
        return value, value
    if op == "before":
        return None, value - one
    if op == "after":
        return value + one, None
    if op == "between":
        return value[0], value[1]
    if op == "in_last_days":
        return today - timedelta(days=value), today
    if op == "more_than_days_ago":
        return None, today - timedelta(days=value + 1)
    if op == "in_next_days":
        return today, today + timedelta(days=value)
    raise AssertionError(op)


def days_range(op: str, value: Any, ctx: EvalContext) -> DayRange | None:
    """The local days whose "days since" (today - day) satisfies a number operator; None: no day does."""
    if op in ("eq", "neq"):
        if not float(value).is_integer():
            return None
        low = high = int(value)
    elif op == "gt":
        low, high = math.floor(value) + 1, None
    elif op == "lt":
        low, high = None, math.ceil(value) - 1
    elif op == "gte":
        low, high = math.ceil(value), None
    elif op == "lte":
        low, high = None, math.floor(value)
    elif op == "between":
        low, high = math.ceil(value[0]), math.floor(value[1])
        if low > high:
            return None
    else:
        raise AssertionError(op)
    first = ctx.today - timedelta(days=high) if high is not None else None
    last = ctx.today - timedelta(days=low) if low is not None else None
    return first, last


def _range_sql(x: SqlExpr, rng: DayRange, *, timestamp: bool, ctx: EvalContext) -> SqlBool:
    first, last = rng
    parts: list[SqlBool] = []
    if timestamp:
        if first is not None:
            parts.append(x >= ctx.start_utc(first))
        if last is not None:
            parts.append(x < ctx.start_utc(last + timedelta(days=1)))
    else:
        if first is not None:
            parts.append(x >= first)
        if last is not None:
            parts.append(x <= last)
    return and_(true(), *parts)


def _range_py(day: date, rng: DayRange) -> bool:
    first, last = rng
    return (first is None or day >= first) and (last is None or day <= last)


# --------------------------------------------------------------------------- anniversaries (calendar days)

def _month_day(day: date) -> int:
    return day.month * 100 + day.day


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def anniversary_windows(days: int, ctx: EvalContext) -> tuple[list[tuple[int, int]], bool]:
    """The month-days (month * 100 + day) whose anniversary falls within today .. today + days, as
    inclusive ranges (two when the window crosses the year end; codes between months are never dates,
    so a range over them is safe), and whether 29 February counts: the window holds a real 29 February
    or the 28 February of a year without one."""
    end = ctx.today + timedelta(days=days)
    if days >= 365:
        return [(101, 1231)], True
    first, last = _month_day(ctx.today), _month_day(end)
    ranges = [(first, last)] if first <= last else [(first, 1231), (101, last)]
    leap_day = any((_is_leap(y) and ctx.today <= date(y, 2, 29) <= end)
                   or (not _is_leap(y) and ctx.today <= date(y, 2, 28) <= end)
                   for y in range(ctx.today.year, end.year + 1))
    return ranges, leap_day


def anniversary_sql(x: SqlExpr, days: int, ctx: EvalContext) -> SqlBool:
    code = extract("month", x) * 100 + extract("day", x)
    ranges, leap_day = anniversary_windows(days, ctx)
    inside = and_(or_(*(and_(code >= lo, code <= hi) for lo, hi in ranges)), code != 229)
    if leap_day:
        inside = or_(inside, code == 229)
    return and_(x.is_not(None), inside)


def anniversary_py(born: date, days: int, ctx: EvalContext) -> bool:
    """Stated directly: some yearly return of the day (29 February as 28 February in other years)
    falls within today .. today + days."""
    end = ctx.today + timedelta(days=days)
    for year in range(ctx.today.year, end.year + 1):
        leap_born = (born.month, born.day) == (2, 29)
        day = date(year, 2, 28) if leap_born and not _is_leap(year) else date(year, born.month, born.day)
        if ctx.today <= day <= end:
            return True
    return False


def date_sql(op: str, x: SqlExpr, value: Any, *, timestamp: bool, ctx: EvalContext) -> SqlBool:
    present = x.is_not(None)
    if op == "is_empty":
        return x.is_(None)
    if op == "is_not_empty":
        return present
    if op == "anniversary_in_next_days":
        assert not timestamp, "anniversaries are offered on calendar-day fields only"
        return anniversary_sql(x, value, ctx)
    inside = _range_sql(x, day_range(op, value, ctx), timestamp=timestamp, ctx=ctx)
    return and_(present, not_(inside)) if op == "not_on" else and_(present, inside)


def _as_day(v: date | datetime, ctx: EvalContext) -> date:
    return ctx.local_date(v) if isinstance(v, datetime) else v


def date_py(op: str, v: date | datetime | None, value: Any, *, ctx: EvalContext) -> bool:
    if op == "is_empty":
        return v is None
    if v is None:
        return False
    if op == "is_not_empty":
        return True
    if op == "anniversary_in_next_days":
        return anniversary_py(_as_day(v, ctx), value, ctx)
    inside = _range_py(_as_day(v, ctx), day_range(op, value, ctx))
    return not inside if op == "not_on" else inside


def days_sql(op: str, x: SqlExpr, value: Any, *, ctx: EvalContext) -> SqlBool:
    present = x.is_not(None)
    if op == "is_empty":
        return x.is_(None)
    if op == "is_not_empty":
        return present
    rng = days_range("eq" if op == "neq" else op, value, ctx)
    inside = false() if rng is None else _range_sql(x, rng, timestamp=True, ctx=ctx)
    return and_(present, not_(inside)) if op == "neq" else and_(present, inside)


def days_since(v: datetime, ctx: EvalContext) -> int:
    return (ctx.today - ctx.local_date(v)).days
