"""Readable one-line summaries of rule trees: "Source is WhatsApp AND Province is Jakarta"."""

from __future__ import annotations

from backend.rules.operators import Shape
from backend.rules.tree import Condition, Node

ASSOCIATION_NOUNS = {"conversations": "conversations", "campaigns": "campaigns", "deals": "deals",
                     "tickets": "tickets", "company": "company"}


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def _value(c: Condition) -> str:
    shape, value = c.operator.shape, c.value
    if shape is Shape.NONE:
        return ""
    if shape is Shape.TEXT:
        return str(value)
    if shape is Shape.TEXT_LIST:
        return ", ".join(value)
    if shape is Shape.NUMBER:
        return _number(value)
    if shape is Shape.NUMBER_PAIR:
        return f"{_number(value[0])} and {_number(value[1])}"
    if shape is Shape.DATE:
        return value.isoformat()
    if shape is Shape.DATE_PAIR:
        return f"{value[0].isoformat()} and {value[1].isoformat()}"
    if shape is Shape.DAY_COUNT:
        days = "day" if value == 1 else "days"
        return f"{value} {days} ago" if c.operator.key == "more_than_days_ago" else f"{value} {days}"
    if shape is Shape.BOOL:
        return "true" if value else "false"
    raise AssertionError(shape)


def condition_text(c: Condition) -> str:
    text = " ".join(p for p in (c.field.label, c.operator.phrase, _value(c)) if p)
    if c.field.per_record and c.match == "all" and c.field.association != "company":
        text += f" (all {ASSOCIATION_NOUNS.get(c.field.association or '', 'records')})"
    return text


def node_text(node: Node, *, nested: bool = False) -> str:
    if isinstance(node, Condition):
        return condition_text(node)
    joiner = f" {node.combinator.upper()} "
    text = joiner.join(node_text(child, nested=True) for child in node.rules)
    return f"({text})" if nested and len(node.rules) > 1 else text

