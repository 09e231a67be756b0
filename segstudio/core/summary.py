"""Readable text for a rule tree while its edits are not saved: "Source is WhatsApp AND Province is Jakarta".

The server phrases saved segments and previews (`backend/rules/summary.py`); this phrases the same way from what
it serves — field labels from `GET /fields`, operator labels from `GET /operators` — so a row's text and the
preview's summary read alike before the server has answered. `tests/summary_cases.py` holds both to one wording.
"""

from __future__ import annotations

from typing import Any

from segstudio.core.catalog import Catalog, FieldSpec, ValueKind
from segstudio.core.rule_tree import Condition, Group, RuleTree
from segstudio.core.validation import parse_number

# A "days" operator's label holds its count as "N days" ("is in the last N days").
DAYS_PLACEHOLDER = "N days"
MISSING = "…"


def format_number(value: Any, *, percent: bool = False) -> str:
    number = parse_number(value)
    if number is None:
        return MISSING if value is None or value == "" else str(value)
    text = f"{int(number):,}" if float(number).is_integer() else f"{float(number):,}"
    return f"{text}%" if percent else text


def _days(value: Any) -> str:
    try:
        n = int(value)
    except (TypeError, ValueError):
        return DAYS_PLACEHOLDER
    return "1 day" if n == 1 else f"{n:,} days"


def _single(value: Any, kind: ValueKind, spec: FieldSpec) -> str:
    if value is None or value == "":
        return MISSING
    if kind in (ValueKind.NUMBER, ValueKind.NUMBER_RANGE):
        return format_number(value, percent=spec.type == "percentage")
    if kind is ValueKind.BOOLEAN:
        return spec.value_label(value)  # the catalog's word ("Opted in") where it has one, else true/false
    return str(value)


def _value_text(value: Any, kind: ValueKind, spec: FieldSpec) -> str:
    if kind in (ValueKind.NUMBER_RANGE, ValueKind.DATE_RANGE):
        low, high = (tuple(value) + (None, None))[:2] if isinstance(value, list | tuple) else (value, None)
        return f"{_single(low, kind, spec)} and {_single(high, kind, spec)}"
    if kind is ValueKind.MULTI:
        values = list(value) if isinstance(value, list | tuple) else ([] if value is None else [value])
        return ", ".join(map(str, values)) or MISSING
    return _single(value, kind, spec)


def describe_condition(cond: Condition, catalog: Catalog) -> str:
    spec = catalog.get(cond.field)
    if spec is None:
        return "(choose a field)" if cond.field is None else f"{cond.field} (unknown field)"
    if cond.operator is None:
        return spec.label
    kind = spec.value_kind(cond.operator)
    op = spec.operator_label(cond.operator)
    if kind is ValueKind.NONE:
        text = f"{spec.label} {op}"
    elif kind is ValueKind.DAYS:
        text = f"{spec.label} {op.replace(DAYS_PLACEHOLDER, _days(cond.value))}"
    else:
        text = f"{spec.label} {op} {_value_text(cond.value, kind, spec)}"
    if spec.match_applies and cond.match == "none":
        # A customer has at most one company: none of it is simply its negation.
        if spec.association == "company":
            return f"NOT ({text})"
        return f"{text} (none of the {spec.association or 'records'})"
    # A customer has one company: "all" of it adds nothing worth saying.
    if spec.match_applies and cond.match == "all" and spec.association != "company":
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
    if group.negate and parts:
        return f"NOT ({text})"
    if not top and len(parts) > 1:
        return f"({text})"
    return text


def summarize(tree: RuleTree, catalog: Catalog) -> str:
    """The whole tree in one line; empty when the tree has no conditions."""
    return describe_group(tree.root, catalog)
