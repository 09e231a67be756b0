"""Shared cases for the two test tiers: the plain core tests and the Qt adapter tests reuse them."""

from __future__ import annotations

from typing import Any

from segstudio.core.catalog import Catalog, Limits
from segstudio.core.rule_tree import RuleTree
from tests.summary_cases import operators_json

# `GET /operators` as the server serves it.
OPERATORS_JSON: list[dict[str, str]] = operators_json()

CATALOG_JSON: list[dict[str, Any]] = [
    {"key": "full_name", "label": "Full name", "group": "Customer info", "type": "single_line_text",
     "operators": ["is", "is_not", "contains", "not_contains", "starts_with", "ends_with", "is_empty",
                   "is_not_empty"], "options": None, "association": None, "package": "plus", "suggestions": True,
     "available": True},
    {"key": "source", "label": "Source", "group": "Customer info", "type": "dropdown",
     "operators": ["is", "is_not", "is_empty", "is_not_empty"], "options": ["WhatsApp", "Email", "Instagram"],
     "association": None, "package": "plus", "suggestions": True, "available": True},
    {"key": "address.province", "label": "Province", "group": "Customer info", "type": "dropdown",
     "operators": ["is", "is_not", "is_any_of", "is_none_of", "is_empty", "is_not_empty"], "options": None,
     "association": None, "package": "plus", "suggestions": True, "available": True},
    {"key": "date_of_birth", "label": "Date of birth", "group": "Customer info", "type": "date",
     "operators": ["on", "not_on", "before", "after", "between", "in_last_days", "more_than_days_ago",
                   "in_next_days", "is_empty", "is_not_empty"], "options": None, "association": None,
     "package": "plus", "suggestions": False, "available": True},
    {"key": "custom.interests", "label": "Interests", "group": "Custom fields", "type": "multiple_selection",
     "operators": ["contains_any", "contains_all", "is_empty", "is_not_empty"],
     "options": ["Sports", "Music", "Travel"], "association": None, "package": "plus", "suggestions": False,
     "available": True},
    {"key": "custom.contract", "label": "Contract file", "group": "Custom fields", "type": "file_upload",
     "operators": ["is_empty", "is_not_empty"], "options": None, "association": None, "package": "plus",
     "suggestions": False, "available": True},
    {"key": "marketing_opt_in", "label": "Marketing opt-in status", "group": "Consent", "type": "boolean",
     "operators": ["is", "is_not", "is_empty", "is_not_empty"], "options": None, "association": None,
     "package": "plus", "suggestions": False, "available": True},
    {"key": "loyalty.available_balance", "label": "Total available balance", "group": "Loyalty",
     "type": "number", "operators": ["eq", "neq", "gt", "lt", "between", "is_empty", "is_not_empty"],
     "options": None, "association": None, "package": "plus", "suggestions": True, "available": True},
    {"key": "deal.stage", "label": "Deal stage", "group": "Deals", "type": "single_line_text",
     "operators": ["is", "is_not", "contains", "not_contains", "is_empty", "is_not_empty"], "options": None,
     "association": "deals", "package": "ultimate", "suggestions": True, "available": True},
    {"key": "deal.size", "label": "Deal size", "group": "Deals", "type": "currency",
     "operators": ["eq", "neq", "gt", "lt", "between", "is_empty", "is_not_empty"], "options": None,
     "association": "deals", "package": "ultimate", "suggestions": False, "available": True},
    {"key": "metric.days_since_last_conversation", "label": "Days since last conversation", "group": "Metrics",
     "type": "number", "operators": ["eq", "neq", "gt", "lt", "between", "is_empty", "is_not_empty"],
     "options": None, "association": "conversations", "package": "ultimate", "suggestions": False,
     "available": True},
    {"key": "metric.reply_rate", "label": "Reply rate", "group": "Metrics", "type": "percentage",
     "operators": ["eq", "neq", "gt", "lt", "between", "is_empty", "is_not_empty"], "options": None,
     "association": "conversations", "package": "ultimate", "suggestions": False, "available": True},
    {"key": "ticket.priority", "label": "Ticket priority", "group": "Tickets", "type": "single_line_text",
     "operators": ["is", "is_not", "is_empty", "is_not_empty"], "options": None, "association": "tickets",
     "package": "ultimate", "suggestions": True, "available": False},
]

CATALOG = Catalog.from_json(CATALOG_JSON, OPERATORS_JSON)
LIMITS = Limits(max_groups=2, max_conditions=3, max_depth=1)

# The contract's own example, extended to a full-size tree: root has 1 condition and 2 groups.
NESTED_JSON: dict[str, Any] = {
    "id": "root",
    "combinator": "and",
    "rules": [
        {"id": "c-source", "field": "source", "operator": "is", "value": "WhatsApp"},
        {"id": "g-or", "combinator": "or", "rules": [
            {"id": "c-stage", "field": "deal.stage", "operator": "is", "value": "Won", "match": "any"},
            {"id": "c-days", "field": "metric.days_since_last_conversation", "operator": "gt", "value": 90},
        ]},
        {"id": "g-and", "combinator": "and", "rules": [
            {"id": "c-province", "field": "address.province", "operator": "is", "value": "Jakarta"},
        ]},
    ],
}


def without_ids(node: Any) -> Any:
    """Rules JSON without the nodes' ids, to compare what rules say."""
    if isinstance(node, dict):
        return {k: without_ids(v) for k, v in node.items() if k != "id"}
    return [without_ids(v) for v in node] if isinstance(node, list) else node


def nested_tree() -> RuleTree:
    return RuleTree.from_json(NESTED_JSON, LIMITS)


def shape(tree: RuleTree) -> list[Any]:
    """The tree's structure as nested lists of field keys, for comparing moves at a glance."""

    def walk(node: Any) -> Any:
        if node.is_group:
            return [walk(c) for c in node.rules]
        return node.field

    return walk(tree.root)


# Moves by path: (source path, destination path = group path + index, expected shape or refusal text).
MOVE_CASES: list[tuple[tuple[int, ...], tuple[int, ...], list[Any] | str]] = [
    # Reorder inside the root: the condition goes after the first group.
    ((0,), (2,), [["deal.stage", "metric.days_since_last_conversation"], "source", ["address.province"]]),
    # Into a group, at its front.
    ((0,), (2, 0), [["deal.stage", "metric.days_since_last_conversation"], ["source", "address.province"]]),
    # Out of a group to the root's end.
    ((1, 1), (3,), ["source", ["deal.stage"], ["address.province"], "metric.days_since_last_conversation"]),
    # Between groups.
    ((1, 0), (2, 1), ["source", ["metric.days_since_last_conversation"], ["address.province", "deal.stage"]]),
    # Swap two groups.
    ((2,), (1,), ["source", ["address.province"], ["deal.stage", "metric.days_since_last_conversation"]]),
    # Refusals.
    ((), (1,), "The top-level group cannot be moved."),
    ((0,), (0,), "It is already in that place."),
    ((0,), (1,), "It is already in that place."),
    ((1,), (1, 0), "A group cannot be moved into itself."),
    ((2,), (1, 1), "Groups can be nested only 1 level deep."),
]
