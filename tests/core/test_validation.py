"""Local validation per node, and the server's 400 paths mapped back onto node ids."""

from __future__ import annotations

import pytest

from segstudio.core.rule_tree import Condition, Group, RuleTree
from segstudio.core.validation import map_server_errors, parse_number, resolve_path, validate_info, validate_tree
from tests.core.cases import CATALOG, LIMITS, nested_tree


def one(field: str | None, operator: str | None, value: object = None) -> RuleTree:
    return RuleTree(Group("and", (Condition(field, operator, value),)), LIMITS)


def messages(tree: RuleTree) -> list[str]:
    return [i.message for issues in validate_tree(tree, CATALOG).values() for i in issues]


def test_a_complete_tree_has_no_issues() -> None:
    assert validate_tree(nested_tree(), CATALOG) == {}


@pytest.mark.parametrize(("field", "operator", "value", "expected"), [
    (None, None, None, "Choose a field"),
    ("full_name", "is", None, "Enter a value"),
    ("full_name", "is", "   ", "Enter a value"),
    ("full_name", "is", "x" * 256, "Use at most 255 characters"),
    ("source", "is", "Fax", "Choose one of the options"),
    ("loyalty.available_balance", "gt", "12abc", "Enter a number"),
    ("loyalty.available_balance", "gt", "abc", "Enter a number"),
    ("loyalty.available_balance", "between", (10, 5), "The first number must not be greater than the second"),
    ("loyalty.available_balance", "between", (10, None), "Enter a number"),
    ("metric.reply_rate", "gt", 150, "Enter a percentage from 0 to 100"),
    ("date_of_birth", "before", "2024-13-01", "Enter a date as YYYY-MM-DD"),
    ("date_of_birth", "between", ("2024-02-01", "2024-01-01"), "The start date must not be after the end date"),
    ("date_of_birth", "in_last_days", -1, "Enter a whole number of days, 0 or more"),
    ("date_of_birth", "in_last_days", 2.5, "Enter a whole number of days, 0 or more"),
    ("date_of_birth", "in_last_days", None, "Enter a number of days"),
    ("custom.interests", "contains_any", (), "Choose at least one option"),
    ("marketing_opt_in", "is", None, "Choose true or false"),
    ("ticket.priority", "is", "High", "Ticket priority needs the Ultimate package. Ask your administrator to upgrade."),
    ("full_name", "gt", "x", "This operator does not apply to Full name"),
])
def test_condition_problems(field: str | None, operator: str | None, value: object, expected: str) -> None:
    assert messages(one(field, operator, value)) == [expected]


@pytest.mark.parametrize(("field", "operator", "value"), [
    ("loyalty.available_balance", "gt", "1,500.50"),
    ("loyalty.available_balance", "between", (5, 5)),
    ("date_of_birth", "in_last_days", 0),
    ("date_of_birth", "is_empty", None),
    ("custom.contract", "is_not_empty", None),
    ("marketing_opt_in", "is", False),
    ("custom.interests", "contains_all", ("Music", "Travel")),
])
def test_valid_values(field: str, operator: str, value: object) -> None:
    assert messages(one(field, operator, value)) == []


def test_number_parsing() -> None:
    assert parse_number("1,500") == 1500
    assert parse_number(" 12.5 ") == 12.5
    assert parse_number("45%") == 45
    assert parse_number("1,50") is None
    assert parse_number("1e3") == 1000.0
    assert parse_number(True) is None


def test_an_empty_group_must_be_filled_or_removed() -> None:
    tree = RuleTree(Group("and", (Condition("source", "is", "Email"), Group("or", ()))), LIMITS)
    assert messages(tree) == ["Add a condition to this group or remove it"]
    assert messages(RuleTree(Group("and", ()), LIMITS)) == ["Add at least one condition"]


def test_a_tree_over_the_limits_is_flagged_on_the_group() -> None:
    tree = RuleTree(Group("and", tuple(Condition("source", "is", "Email") for _ in range(4))), LIMITS)
    assert messages(tree) == ["A group can hold at most 3 conditions; remove 1."]


def test_segment_info_lengths() -> None:
    assert validate_info("", None) == {"name": "Enter a segment name"}
    assert validate_info("x" * 60, "d" * 250) == {}
    assert validate_info("x" * 61, "d" * 251) == {"name": "Use at most 60 characters",
                                                  "description": "Use at most 250 characters"}


def test_server_paths_land_on_node_ids() -> None:
    tree = nested_tree()
    deal = tree.node_at((1, 0))
    metric = tree.node_at((1, 1))
    assert resolve_path(tree, "rules.rules.1.rules.0.value") == (deal.id, "value")
    assert resolve_path(tree, "rules.rules.1.rules.1.value.1") == (metric.id, "value.1")
    assert resolve_path(tree, "rules.rules.1.combinator") == (tree.node_at((1,)).id, "combinator")
    assert resolve_path(tree, "rules") == (tree.root.id, "group")
    # A path beyond what the tree holds now still lands on the nearest group.
    assert resolve_path(tree, "rules.rules.7.value") == (tree.root.id, "group")
    assert resolve_path(tree, "name") == (None, None)


def test_map_server_errors_sorts_by_destination() -> None:
    tree = nested_tree()
    errors = map_server_errors(tree, [
        {"path": "rules.rules.1.rules.0.value", "message": "Unknown deal stage"},
        {"path": "name", "message": "A segment with this name exists"},
        {"path": "weird", "message": "Something"},
    ])
    deal = tree.node_at((1, 0)).id
    assert [i.message for i in errors.by_node[deal]] == ["Unknown deal stage"]
    assert errors.info == {"name": "A segment with this name exists"}
    assert errors.general == ["weird: Something"]
    # The shell's ApiError gives fields as a path → message dict; that works too.
    assert map_server_errors(tree, {"rules.rules.0.value": "Bad"}).by_node[tree.node_at((0,)).id][0].part == "value"
