"""Rule tree edits: pure, addressed by id or path, refusing what the contract's limits forbid."""

from __future__ import annotations

import pytest

from segstudio.core.catalog import Limits
from segstudio.core.rule_tree import Condition, Group, RuleTree, TreeEditError
from tests.core.cases import CATALOG, LIMITS, MOVE_CASES, NESTED_JSON, nested_tree, shape, without_ids


def test_round_trips_the_contract_json() -> None:
    tree = nested_tree()
    assert tree.to_json() == NESTED_JSON
    bare = RuleTree.from_json(without_ids(NESTED_JSON))
    assert without_ids(bare.to_json()) == without_ids(NESTED_JSON), "ids are optional on the wire"


def test_node_ids_go_on_the_wire_and_follow_their_node_through_moves() -> None:
    sent = {"id": "root", "combinator": "and", "rules": [
        {"id": "a", "field": "source", "operator": "is", "value": "WhatsApp"},
        {"id": "g", "combinator": "or", "rules": [{"id": "b", "field": "full_name", "operator": "is_empty"}]}]}
    tree = RuleTree.from_json(sent, LIMITS)
    assert tree.to_json() == {**sent, "rules": [{**sent["rules"][0]}, {**sent["rules"][1], "rules": [
        {"id": "b", "field": "full_name", "operator": "is_empty", "value": None}]}]}
    moved = tree.move_path((0,), (1, 0)).to_json()
    assert [n["id"] for n in moved["rules"][0]["rules"]] == ["a", "b"]


def test_a_missing_or_repeated_id_gets_a_new_one_that_no_later_node_repeats() -> None:
    tree = RuleTree.from_json({"combinator": "and", "rules": [
        {"id": "n900000", "field": "source", "operator": "is_empty"},
        {"id": "n900000", "field": "full_name", "operator": "is_empty"},
        {"field": "full_name", "operator": "is_not_empty"}]}, Limits(max_conditions=5))
    ids = tree.ids()
    assert ids[1] == "n900000" and len(set(ids)) == len(ids)
    grown = tree.add_condition(tree.root.id)
    assert len(set(grown.ids())) == len(grown.ids()) == 5


def test_every_node_has_a_stable_unique_id_that_survives_edits() -> None:
    tree = nested_tree()
    ids = tree.ids()
    assert len(set(ids)) == len(ids)
    moved = tree.move_path((0,), (2, 0))
    assert sorted(moved.ids()) == sorted(ids)
    assert moved.find(tree.node_at((0,)).id).field == "source"


def test_edits_leave_the_original_tree_untouched() -> None:
    tree = nested_tree()
    before = tree.to_json()
    tree.remove(tree.node_at((1,)).id)
    tree.set_value(tree.node_at((0,)).id, "Email")
    assert tree.to_json() == before


@pytest.mark.parametrize(("src", "dst", "expected"), MOVE_CASES)
def test_move_by_path(src: tuple[int, ...], dst: tuple[int, ...], expected: object) -> None:
    tree = nested_tree()
    if isinstance(expected, str):
        with pytest.raises(TreeEditError) as info:
            tree.move_path(src, dst)
        assert info.value.reason == expected
    else:
        assert shape(tree.move_path(src, dst)) == expected


def test_move_refuses_to_overfill_a_group() -> None:
    tree = nested_tree()
    group = tree.node_at((2,))
    tree = tree.add_condition(group.id).add_condition(group.id)
    with pytest.raises(TreeEditError, match="already has 3 conditions"):
        tree.move_path((0,), (2, 0))


def test_move_refuses_a_third_group_at_the_root() -> None:
    tree = nested_tree()
    with pytest.raises(TreeEditError, match="already has 2 groups"):
        tree.add_group(tree.root.id)


def test_adding_refuses_a_fourth_condition_and_says_why() -> None:
    tree = RuleTree.empty(LIMITS)
    tree = tree.add_condition(tree.root.id).add_condition(tree.root.id)
    assert tree.add_condition_blocker(tree.root.id) == (
        "The top level already has 3 conditions, the most your organisation allows.")
    with pytest.raises(TreeEditError):
        tree.add_condition(tree.root.id)


def test_groups_do_not_nest_deeper_than_the_org_allows() -> None:
    tree = nested_tree()
    inner = tree.node_at((1,))
    assert tree.add_group_blocker(inner.id) == "Groups can be nested only 1 level deep."
    deeper = tree.with_limits(Limits(max_groups=2, max_conditions=3, max_depth=2))
    assert deeper.add_group_blocker(inner.id) is None


def test_removing_a_condition_keeps_the_rest_and_their_operators() -> None:
    tree = nested_tree()
    group = tree.node_at((1,))
    after = tree.remove(group.rules[0].id)
    assert without_ids(after.to_json()["rules"][1]) == {"combinator": "or", "rules": [
        {"field": "metric.days_since_last_conversation", "operator": "gt", "value": 90}]}
    assert after.to_json()["rules"][0] == NESTED_JSON["rules"][0]


def test_removing_a_group_removes_everything_in_it() -> None:
    tree = nested_tree()
    after = tree.remove(tree.node_at((1,)).id)
    assert shape(after) == ["source", ["address.province"]]


def test_the_root_cannot_be_removed() -> None:
    tree = nested_tree()
    with pytest.raises(TreeEditError, match="cannot be removed"):
        tree.remove(tree.root.id)


def test_toggle_combinator() -> None:
    tree = nested_tree()
    group = tree.node_at((1,))
    assert tree.toggle_combinator(group.id).find(group.id).combinator == "and"
    assert tree.toggle_combinator(tree.root.id).root.combinator == "or"


def test_changing_field_resets_operator_and_value_sensibly() -> None:
    tree = nested_tree()
    cond = tree.node_at((0,))  # source is WhatsApp
    to_number = tree.set_field(cond.id, "loyalty.available_balance", CATALOG).find(cond.id)
    assert (to_number.operator, to_number.value, to_number.match) == ("eq", None, None)
    # Province offers "is" too and takes the same shape of value: the choice carries over.
    to_province = tree.set_field(cond.id, "address.province", CATALOG).find(cond.id)
    assert (to_province.operator, to_province.value) == ("is", "WhatsApp")
    to_deal = tree.set_field(cond.id, "deal.stage", CATALOG).find(cond.id)
    assert to_deal.match == "any"


def test_changing_operator_carries_the_value_where_it_fits() -> None:
    tree = RuleTree.from_json({"combinator": "and", "rules": [
        {"field": "loyalty.available_balance", "operator": "gt", "value": 5}]}, LIMITS)
    cid = tree.node_at((0,)).id
    between = tree.set_operator(cid, "between", CATALOG)
    assert between.find(cid).value == (5, None)
    assert between.set_operator(cid, "lt", CATALOG).find(cid).value == 5
    assert tree.set_operator(cid, "is_empty", CATALOG).find(cid).value is None
    with pytest.raises(TreeEditError):
        tree.set_operator(cid, "contains", CATALOG)


def test_keyboard_steps_walk_into_and_out_of_groups() -> None:
    tree = nested_tree()
    source = tree.node_at((0,)).id
    down = tree.step(source, +1)  # enters the adjacent group at its front
    assert shape(down)[0] == ["source", "deal.stage", "metric.days_since_last_conversation"]
    back = down.step(source, -1)  # leaves the group at its top edge
    assert shape(back) == shape(tree)
    with pytest.raises(TreeEditError, match="already at the top"):
        tree.step(source, -1)
    last = tree.node_at((2, 0)).id
    with pytest.raises(TreeEditError, match="already at the bottom"):
        tree.step(tree.node_at((2,)).id, +1)
    out = tree.step(last, +1)
    assert shape(out) == ["source", ["deal.stage", "metric.days_since_last_conversation"], [], "address.province"]


def test_a_full_group_is_stepped_over_not_into() -> None:
    tree = RuleTree(Group("and", (Condition("source", "is", "Email"),
                                  Group("and", (Condition(), Condition(), Condition())))), LIMITS)
    moved = tree.step(tree.node_at((0,)).id, +1)
    assert shape(moved) == [[None, None, None], "source"]


def test_pruned_leaves_out_incomplete_conditions_and_empty_groups() -> None:
    tree = RuleTree.from_json({"combinator": "and", "rules": [
        {"field": "source", "operator": "is", "value": "Email"},
        {"combinator": "or", "rules": [{"field": None, "operator": None, "value": None}]}]}, LIMITS)
    assert without_ids(tree.pruned(lambda c: c.field is not None).to_json()) == {
        "combinator": "and", "rules": [{"field": "source", "operator": "is", "value": "Email"}]}


def test_from_json_rejects_what_is_not_a_group() -> None:
    with pytest.raises(ValueError):
        RuleTree.from_json({"field": "source", "operator": "is", "value": "x"})


def test_a_not_group_keeps_its_negation_through_the_wire_and_edits():
    tree = RuleTree.from_json({"combinator": "and", "rules": [
        {"id": "g", "combinator": "or", "not": True, "rules": [{"field": "source", "operator": "is_empty"}]}]})
    inner = tree.root.rules[0]
    assert inner.negate is True
    assert tree.to_json()["rules"][0]["not"] is True
    cleared = tree.toggle_negate("g")
    assert cleared.root.rules[0].negate is False
    assert "not" not in cleared.to_json()["rules"][0]
    assert cleared.toggle_negate("g").to_json()["rules"][0]["not"] is True
    with pytest.raises(TreeEditError):
        tree.toggle_negate(tree.root.rules[0].rules[0].id)  # a condition is not a group


def test_a_typed_value_is_kept_when_switching_to_is_any_of_and_back():
    tree = RuleTree.from_json({"combinator": "and", "rules": [
        {"id": "c", "field": "address.province", "operator": "is", "value": "Jakarta"}]}, LIMITS)
    listed = tree.set_operator("c", "is_any_of", CATALOG)
    assert listed.find("c").value == ("Jakarta",)
    assert listed.set_operator("c", "is", CATALOG).find("c").value == "Jakarta"
