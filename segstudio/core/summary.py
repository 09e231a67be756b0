"""Readable text for a rule tree using the catalog's labels: "Source is WhatsApp AND Province is Jakarta"."""

from __future__ import annotations

from typing import Any

from segstudio.core.catalog import Catalog, FieldSpec, ValueKind, operator_label
from segstudio.core.rule_tree import Condition, Group, RuleTree
from segstudio.core.validation import parse_number

_DAYS_PHRASES = {
    "in_last_days": "in the last {n}",
    "more_than_days_ago": "more than {n} ago",
    "in_next_days": "in the next {n}",
}


def format_number(value: Any) -> str:
    number = parse_number(value)
    if number is None:
        return "…" if value is None or value == "" else str(value)
    if isinstance(number, float) and not number.is_integer():
        return f"{number:,.2f}".rstrip("0").rstrip(".")
    return f"{int(number):,}"


def _days(value: Any) -> str:
    try:
        n = int(value)
    except (TypeError, ValueError):
        return "N days"
    return "1 day" if n == 1 else f"{n} days"


def _value_text(value: Any, kind: ValueKind, spec: FieldSpec) -> str:
    if value is None or value == "":
        return "…"
    if kind in (ValueKind.NUMBER,):
        text = format_number(value)
        return f"{text}%" if spec.type == "percentage" else text
    if kind is ValueKind.BOOLEAN:
        return "true" if value is True else "false" if value is False else str(value)
    return str(value)


def describe_condition(cond: Condition, catalog: Catalog) -> str:
    spec = catalog.get(cond.field)
    if spec is None:
        return "(choose a field)" if cond.field is None else f"{cond.field} (unknown field)"
    if cond.operator is None:
        return spec.label
    kind = spec.value_kind(cond.operator)
    op = operator_label(cond.operator)
    value = cond.value
    if kind is ValueKind.NONE:
        text = f"{spec.label} {op}"
    elif kind is ValueKind.DAYS:
        text = f"{spec.label} {_DAYS_PHRASES.get(cond.operator, op).format(n=_days(value))}"
    elif kind in (ValueKind.NUMBER_RANGE, ValueKind.DATE_RANGE):
        low, high = (tuple(value) + (None, None))[:2] if isinstance(value, list | tuple) else (value, None)
        single = ValueKind.NUMBER if kind is ValueKind.NUMBER_RANGE else ValueKind.DATE
        text = f"{spec.label} is between {_value_text(low, single, spec)} and {_value_text(high, single, spec)}"
    elif kind is ValueKind.MULTI:
        values = list(value) if isinstance(value, list | tuple) else ([] if value is None else [value])
        text = f"{spec.label} {op} of {', '.join(map(str, values)) or '…'}"
    else:
        text = f"{spec.label} {op} {_value_text(value, kind, spec)}"
    if spec.match_applies and cond.match == "all":
        text += f" (all {spec.association or 'records'})"
    return text


def describe_group(group: Group, catalog: Catalog, *, top: bool = True) -> str:
    parts = []
    for child in group.rules:
        if isinstance(child, Group):
            inner = describe_group(child, catalog, top=False)
            if inner:
                parts.append(inner)
        else:
            parts.append(describe_condition(child, catalog))
    joiner = f" {group.combinator.upper()} "
    text = joiner.join(parts)
    if not top and len(parts) > 1:
        return f"({text})"
    return text


def summarize(tree: RuleTree, catalog: Catalog) -> str:
    """The whole tree in one line; empty when the tree has no conditions."""
    return describe_group(tree.root, catalog)
