"""A one-line, human summary of a rule tree ("Source is WhatsApp AND (Deal stage is Won OR ...)")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from segstudio.client.models import Condition, RuleGroup

_OPERATORS = {
    "is": "is", "is_not": "is not", "contains": "contains", "not_contains": "does not contain",
    "starts_with": "starts with", "ends_with": "ends with", "is_empty": "is empty",
    "is_not_empty": "is not empty", "eq": "=", "neq": "≠", "gt": ">", "lt": "<", "between": "is between",
    "on": "is on", "not_on": "is not on", "before": "is before", "after": "is after",
    "in_last_days": "in the last", "more_than_days_ago": "more than", "in_next_days": "in the next",
    "contains_any": "contains any of", "contains_all": "contains all of",
}


def _value(operator: str, value: Any) -> str:
    if operator in ("is_empty", "is_not_empty"):
        return ""
    if operator == "between" and isinstance(value, list | tuple) and len(value) == 2:
        return f" {value[0]} and {value[1]}"
    if operator in ("in_last_days", "in_next_days"):
        return f" {value} days"
    if operator == "more_than_days_ago":
        return f" {value} days ago"
    if isinstance(value, list | tuple):
        return " " + ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return " true" if value else " false"
    return f" {value}"


def summarize(rules: RuleGroup, labels: Mapping[str, str] | None = None) -> str:
    labels = labels or {}

    def node(item: RuleGroup | Condition, nested: bool) -> str:
        if isinstance(item, RuleGroup):
            parts = [node(child, True) for child in item.rules]
            text = f" {item.combinator.upper()} ".join(p for p in parts if p)
            return f"({text})" if nested and len(parts) > 1 else text
        label = labels.get(item.field, item.field)
        match = " (all records)" if item.match == "all" else ""
        return f"{label} {_OPERATORS.get(item.operator, item.operator)}{_value(item.operator, item.value)}{match}"

    return node(rules, False) or "No conditions"
