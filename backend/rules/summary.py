"""Readable one-line summaries of rule trees: "Source is WhatsApp AND Province is Jakarta".

The words are the operator table's labels (`backend.rules.operators`, served as `GET /operators`); the desktop
phrases unsaved edits the same way from those served labels (`segstudio.core.summary`), and the shared cases in
`tests/summary_cases.py` hold both to one wording: numbers with thousands separators, "%" on percentages, and
"(all deals)" naming the association when every record must match.
"""

from __future__ import annotations

from backend.rules.operators import DAYS_PLACEHOLDER, Shape
from backend.rules.tree import Condition, Node


def _number(value: float, percent: bool) -> str:
    text = f"{int(value):,}" if float(value).is_integer() else f"{value:,}"
    return f"{text}%" if percent else text


def _value(c: Condition) -> str:
    shape, value = c.operator.shape, c.value
    percent = c.field.type == "percentage"
    if shape in (Shape.NONE, Shape.DAY_COUNT):
        return ""
    if shape is Shape.TEXT:
        return str(value)
    if shape is Shape.TEXT_LIST:
        return ", ".join(value)
    if shape is Shape.NUMBER:
        return _number(value, percent)
    if shape is Shape.NUMBER_PAIR:
        return f"{_number(value[0], percent)} and {_number(value[1], percent)}"
    if shape is Shape.DATE:
        return value.isoformat()
    if shape is Shape.DATE_PAIR:
        return f"{value[0].isoformat()} and {value[1].isoformat()}"
    if shape is Shape.BOOL:
        key = "true" if value else "false"
        return (c.field.value_labels or {}).get(key, key)  # consent reads "Opted in", not "true"
    raise AssertionError(shape)


def _operator(c: Condition) -> str:
    if c.operator.shape is Shape.DAY_COUNT:
        return c.operator.label.replace(DAYS_PLACEHOLDER, f"{c.value:,} day" if c.value == 1 else f"{c.value:,} days")
    return c.operator.label


def condition_text(c: Condition) -> str:
    text = " ".join(p for p in (c.field.label, _operator(c), _value(c)) if p)
    if c.field.per_record and c.match == "none":
        # A customer has at most one company: none of it is simply its negation.
        if c.field.association == "company":
            return f"NOT ({text})"
        return f"{text} (none of the {c.field.association or 'records'})"
    if c.field.per_record and c.match == "all" and c.field.association != "company":
        text += f" (all {c.field.association or 'records'})"
    return text


def node_text(node: Node, *, nested: bool = False) -> str:
    if isinstance(node, Condition):
        return condition_text(node)
    joiner = f" {node.combinator.upper()} "
    text = joiner.join(node_text(child, nested=True) for child in node.rules)
    if node.negate:
        return f"NOT ({text})"
    return f"({text})" if nested and len(node.rules) > 1 else text
