"""What each operator of the table in `backend.rules.operators` means, twice, side by side: as a SQL
predicate over a scalar expression and as a Python predicate over a plain value. The compiler uses
the first, the reference evaluator the second; the differential test holds them to each other.
Every SQL predicate here is null-safe (never NULL, only true or false), so `NOT p` and "all records"
are correct without three-valued surprises.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Float, and_, case, func, literal, not_, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.sql.visitors import InternalTraversal

from backend.rules.dates import (  # noqa: F401 - the date operators and SQL types are part of this vocabulary
    DayRange,
    EvalContext,
    SqlBool,
    SqlExpr,
    anniversary_py,
    anniversary_sql,
    anniversary_windows,
    date_py,
    date_sql,
    day_range,
    days_range,
    days_since,
    days_sql,
)
from backend.rules.operators import TEXT_OPERATORS, Kind

# --------------------------------------------------------------------------- text

def like_escape(text: str) -> str:
    return text.replace("/", "//").replace("%", "/%").replace("_", "/_")


class _PerDialect(ColumnElement[bool]):
    """One boolean written two ways: `sqlite` on SQLite, `default` on every other database."""

    inherit_cache = True
    type = Boolean()
    _is_implicitly_boolean = True  # a comparison: SQLite must not get "(…) = 1" (it would hide indexes)
    _traverse_internals = [("default", InternalTraversal.dp_clauseelement),
                           ("sqlite", InternalTraversal.dp_clauseelement)]

    def __init__(self, default: SqlBool, sqlite: SqlBool) -> None:
        self.default = default
        self.sqlite = sqlite


@compiles(_PerDialect)
def _compile_default(element: _PerDialect, compiler: Any, **kw: Any) -> str:
    return "(" + compiler.process(element.default, **kw) + ")"


@compiles(_PerDialect, "sqlite")
def _compile_sqlite(element: _PerDialect, compiler: Any, **kw: Any) -> str:
    return "(" + compiler.process(element.sqlite, **kw) + ")"


def _has_lower_index(x: SqlExpr) -> bool:
    """Whether an index of x's table covers lower(x) (deal and ticket stages, conversation tags)."""
    table = getattr(x, "table", None)
    for index in getattr(table, "indexes", ()):
        for expr in index.expressions:
            if isinstance(expr, FunctionElement) and expr.name == "lower" and any(c is x for c in expr.clauses):
                return True
    return False


def folded_equals(x: SqlExpr, value: str) -> SqlBool:
    """x equals value ignoring case. SQLite: `x LIKE value` (no wildcards; LIKE folds exactly the ASCII
    letters its lower() folds, so the results are the same) costs half of `lower(x) = lower(?)`, which
    is kept only where a lower(x) index serves it. PostgreSQL: lower() on both sides."""
    lowered = func.lower(x) == func.lower(literal(value))
    return _PerDialect(lowered, lowered if _has_lower_index(x) else x.like(like_escape(value), escape="/"))


def folded_like(x: SqlExpr, pattern: str) -> SqlBool:
    """x matches a LIKE pattern (escaped with "/") ignoring case; SQLite's LIKE ignores ASCII case itself."""
    return _PerDialect(func.lower(x).like(func.lower(literal(pattern)), escape="/"),
                       x.like(literal(pattern), escape="/"))


def has_protocol(text: str) -> bool:
    low = text.lower()
    return low.startswith("http://") or low.startswith("https://")


def strip_protocol_py(text: str) -> str:
    low = text.lower()
    if low.startswith("https://"):
        return text[8:]
    if low.startswith("http://"):
        return text[7:]
    return text


def strip_protocol_sql(x: SqlExpr) -> SqlExpr:
    low = func.lower(x)
    return case((low.like("https://%"), func.substr(x, 9)), (low.like("http://%"), func.substr(x, 8)), else_=x)


def nonempty_sql(x: SqlExpr) -> SqlBool:
    return and_(x.is_not(None), x != "")


def nonempty_py(v: Any) -> bool:
    return v is not None and v != ""


def text_sql(op: str, x: SqlExpr, value: str | None, *, url: bool = False) -> SqlBool:
    if op == "is_empty":
        return or_(x.is_(None), x == "")
    if op == "is_not_empty":
        return nonempty_sql(x)
    assert value is not None
    if op in ("is_any_of", "is_none_of"):
        positive = or_(*(text_sql("is", x, v, url=url) for v in value))
        return and_(nonempty_sql(x), not_(positive)) if op == "is_none_of" else positive
    target = strip_protocol_sql(x) if url and not has_protocol(value) else x
    esc = like_escape(value)
    if op in ("is", "is_not"):
        positive = folded_equals(target, value)
    elif op in ("contains", "not_contains"):
        positive = folded_like(target, "%" + esc + "%")
    elif op == "starts_with":
        positive = folded_like(target, esc + "%")
    elif op == "ends_with":
        positive = folded_like(target, "%" + esc)
    else:
        raise AssertionError(op)
    if op in ("is_not", "not_contains"):
        return and_(nonempty_sql(x), not_(positive))
    return and_(nonempty_sql(x), positive)


def text_py(op: str, v: str | None, value: str | None, *, url: bool = False) -> bool:
    if op == "is_empty":
        return not nonempty_py(v)
    if op == "is_not_empty":
        return nonempty_py(v)
    assert value is not None
    if not nonempty_py(v):
        return False
    assert v is not None
    if op in ("is_any_of", "is_none_of"):
        hit = any(text_py("is", v, one, url=url) for one in value)
        return not hit if op == "is_none_of" else hit
    target = strip_protocol_py(v) if url and not has_protocol(value) else v
    low, want = target.lower(), value.lower()
    positive = {"is": low == want, "is_not": low == want, "contains": want in low, "not_contains": want in low,
                "starts_with": low.startswith(want), "ends_with": low.endswith(want)}[op]
    return not positive if op in ("is_not", "not_contains") else positive


# --------------------------------------------------------------------------- numbers

def _num(value: float) -> SqlExpr:
    return literal(value, Float)


def number_sql(op: str, x: SqlExpr, value: Any) -> SqlBool:
    present = x.is_not(None)
    if op == "is_empty":
        return x.is_(None)
    if op == "is_not_empty":
        return present
    if op == "eq":
        return and_(present, x == _num(value))
    if op == "neq":
        return and_(present, x != _num(value))
    if op == "gt":
        return and_(present, x > _num(value))
    if op == "lt":
        return and_(present, x < _num(value))
    if op == "gte":
        return and_(present, x >= _num(value))
    if op == "lte":
        return and_(present, x <= _num(value))
    if op == "between":
        return and_(present, x >= _num(value[0]), x <= _num(value[1]))
    raise AssertionError(op)


def number_py(op: str, v: float | int | None, value: Any) -> bool:
    if op == "is_empty":
        return v is None
    if v is None:
        return False
    if op == "is_not_empty":
        return True
    return {"eq": lambda: v == value, "neq": lambda: v != value, "gt": lambda: v > value,
            "lt": lambda: v < value, "gte": lambda: v >= value, "lte": lambda: v <= value,
            "between": lambda: value[0] <= v <= value[1]}[op]()


def days_py(op: str, v: datetime | None, value: Any, *, ctx: EvalContext) -> bool:
    """"N days since" is a number of whole local days (`days_since`) under the number operators."""
    return number_py(op, None if v is None else days_since(v, ctx), value)


# --------------------------------------------------------------------------- booleans

def bool_sql(op: str, x: SqlExpr, value: Any) -> SqlBool:
    if op == "is_empty":
        return x.is_(None)
    if op == "is_not_empty":
        return x.is_not(None)
    if op == "is":
        return and_(x.is_not(None), x == value)
    if op == "is_not":
        return and_(x.is_not(None), x != value)
    raise AssertionError(op)


def bool_py(op: str, v: bool | None, value: Any) -> bool:
    if op == "is_empty":
        return v is None
    if v is None:
        return False
    return {"is_not_empty": True, "is": v == value, "is_not": v != value}[op]


# --------------------------------------------------------------------------- scalar dispatch

@dataclass(frozen=True)
class ScalarSpec:
    """How a scalar value of a field is compared: its kind and the few per-field variations."""

    kind: Kind
    timestamp: bool = False  # DATE kind over an instant rather than a calendar day
    url: bool = False


def scalar_sql(spec: ScalarSpec, op: str, x: SqlExpr, value: Any, ctx: EvalContext) -> SqlBool:
    if spec.kind is Kind.TEXT:
        return text_sql(op, x, value, url=spec.url)
    if spec.kind is Kind.NUMBER:
        return number_sql(op, x, value)
    if spec.kind is Kind.DATE:
        return date_sql(op, x, value, timestamp=spec.timestamp, ctx=ctx)
    if spec.kind is Kind.DAYS:
        return days_sql(op, x, value, ctx=ctx)
    if spec.kind is Kind.BOOL:
        return bool_sql(op, x, value)
    raise AssertionError(spec.kind)


def scalar_py(spec: ScalarSpec, op: str, v: Any, value: Any, ctx: EvalContext) -> bool:
    if spec.kind is Kind.TEXT:
        return text_py(op, v, value, url=spec.url)
    if spec.kind is Kind.NUMBER:
        return number_py(op, v, value)
    if spec.kind is Kind.DATE:
        return date_py(op, v, value, ctx=ctx)
    if spec.kind is Kind.DAYS:
        return days_py(op, v, value, ctx=ctx)
    if spec.kind is Kind.BOOL:
        return bool_py(op, v, value)
    raise AssertionError(spec.kind)


# --------------------------------------------------------------------------- list-valued fields

# `exists(pred)` builds "some element row satisfies pred(element value)" for the field at hand.
ExistsBuilder = Callable[[Callable[[SqlExpr], SqlBool]], SqlBool]


def list_sql(kind: Kind, op: str, exists: ExistsBuilder, value: Any, *, absent: ExistsBuilder | None = None,
             url: bool = False) -> SqlBool:
    """A list of values (usernames, tags, selected options, files): `is`/`contains` when any element
    does, `is_not`/`not_contains` when none does (and there is one), empty when none is filled.
    `absent(pred)`, "no element row satisfies pred", defaults to NOT exists(pred); the compiler
    passes a form the databases plan better."""
    none_with = absent or (lambda pred: not_(exists(pred)))
    any_filled = exists(nonempty_sql)
    if op == "is_empty":
        return none_with(nonempty_sql)
    if op == "is_not_empty":
        return any_filled
    if kind is Kind.SELECTION:
        if op == "contains_any":
            return exists(lambda e: and_(nonempty_sql(e), or_(*(folded_equals(e, v) for v in value))))
        if op == "contains_all":
            return and_(*(exists(lambda e, v=v: and_(nonempty_sql(e), folded_equals(e, v))) for v in value))
        if op == "contains_none":
            return and_(any_filled, none_with(lambda e: and_(
                nonempty_sql(e), or_(*(folded_equals(e, v) for v in value)))))
        raise AssertionError(op)
    if kind is Kind.TEXT:
        operator = TEXT_OPERATORS[op]
        if operator.denies:
            return and_(any_filled, none_with(lambda e: text_sql(operator.denies, e, value, url=url)))
        return exists(lambda e: text_sql(op, e, value, url=url))
    raise AssertionError(kind)


def list_py(kind: Kind, op: str, items: Sequence[str | None], value: Any, *, url: bool = False) -> bool:
    filled = [v for v in items if nonempty_py(v)]
    if op == "is_empty":
        return not filled
    if op == "is_not_empty":
        return bool(filled)
    if kind is Kind.SELECTION:
        lowered = {v.lower() for v in filled if v is not None}
        if op == "contains_any":
            return any(v.lower() in lowered for v in value)
        if op == "contains_all":
            return all(v.lower() in lowered for v in value)
        if op == "contains_none":
            return bool(filled) and not any(v.lower() in lowered for v in value)
        raise AssertionError(op)
    if kind is Kind.TEXT:
        operator = TEXT_OPERATORS[op]
        if operator.denies:
            return bool(filled) and not any(text_py(operator.denies, v, value, url=url) for v in filled)
        return any(text_py(op, v, value, url=url) for v in filled)
    raise AssertionError(kind)
