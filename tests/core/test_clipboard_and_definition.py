"""Copy/paste/duplicate of conditions and groups and the segment definition file, without Qt."""

from __future__ import annotations

import json

import pytest

from segstudio.core.definition_file import FORMAT, DefinitionError, dump_definition, load_definition
from segstudio.core.rule_tree import Condition, RuleTree, TreeEditError
from segstudio.core.rule_tree.clipboard import (
    CLIPBOARD_KIND,
    ClipboardError,
    duplicate,
    insert_near,
    node_from_clipboard,
    node_to_clipboard,
    without_ids,
)
from tests.core.cases import CATALOG, LIMITS, NESTED_JSON, nested_tree, shape


def test_a_condition_round_trips_through_the_clipboard_with_a_new_id():
    tree = nested_tree()
    node = tree.node_at((1, 0))
    text = node_to_clipboard(node)
    assert json.loads(text)["kind"] == CLIPBOARD_KIND and "id" not in json.loads(text)["node"]
    assert node_from_clipboard(json.dumps(NESTED_JSON["rules"][0]), CATALOG).id != "c-source", "ids never travel"
    back = node_from_clipboard(text, CATALOG)
    assert isinstance(back, Condition) and back.id != node.id
    assert (back.field, back.operator, back.value, back.match) == ("deal.stage", "is", "Won", "any")


def test_a_group_round_trips_and_a_bare_node_is_accepted_too():
    tree = nested_tree()
    group = tree.node_at((1,))
    back = node_from_clipboard(node_to_clipboard(group), CATALOG)
    assert without_ids(RuleTree(back, LIMITS).to_json()) == without_ids(NESTED_JSON["rules"][1])
    assert {c.id for c in back.conditions}.isdisjoint({c.id for c in group.conditions})
    bare = node_from_clipboard(json.dumps(NESTED_JSON["rules"][0]), CATALOG)
    assert isinstance(bare, Condition) and bare.field == "source"


@pytest.mark.parametrize(("text", "reason"), [
    ("", "The clipboard is empty. Copy a condition or group first."),
    ("   ", "The clipboard is empty. Copy a condition or group first."),
    ("Jakarta", "The clipboard does not hold a condition or group (it is not JSON)."),
    ("[1, 2]", "Every rule must be an object."),
    ('{"kind": "segstudio/rule-node", "version": 9, "node": {}}', "version 9"),
    ('{"field": "ticket.priority", "operator": "is"}', "“Ticket priority” is not included in your package."),
    ('{"field": "source", "operator": "between"}', "“between” does not apply to Source."),
    ('{"field": "source", "colour": "red"}', "Unknown key colour in a condition."),
    ('{"field": 3}', "“field” must be text."),
    ('{"combinator": "and", "rules": [{"field": "source"}, {"field": "nope"}]}',
     "Rule 2: there is no field “nope” in this organisation."),
    ('{"combinator": "and", "rules": "all"}', "A group's rules must be a list."),
])
def test_what_is_not_a_usable_node_is_refused_with_a_sentence(text, reason):
    with pytest.raises(ClipboardError) as caught:
        node_from_clipboard(text, CATALOG)
    assert reason in caught.value.reason


def test_several_problems_are_counted():
    text = '{"combinator": "and", "rules": [{"field": "nope"}, {"field": "nada"}, {"field": "zip"}]}'
    with pytest.raises(ClipboardError) as caught:
        node_from_clipboard(text, CATALOG)
    assert caught.value.reason == "Rule 1: there is no field “nope” in this organisation. (and 2 more problems)"


def test_paste_goes_after_a_condition_or_at_the_end_of_a_group():
    tree = nested_tree()
    cond = Condition("full_name", "is", "Ana")
    after = insert_near(tree, cond, tree.node_at((1, 0)).id)
    assert shape(after)[1] == ["deal.stage", "full_name", "metric.days_since_last_conversation"]
    into = insert_near(tree, Condition("full_name", "is", "Ana"), tree.node_at((2,)).id)
    assert shape(into)[2] == ["address.province", "full_name"]


def test_paste_keeps_the_organisations_limits():
    tree = nested_tree()
    group = node_from_clipboard(node_to_clipboard(tree.node_at((2,))), CATALOG)
    with pytest.raises(TreeEditError, match="The top level already has 2 groups"):
        insert_near(tree, group, tree.node_at((0,)).id)
    with pytest.raises(TreeEditError, match="nested only 1 level deep"):
        insert_near(tree, group, tree.node_at((2,)).id)
    full = insert_near(tree, Condition("full_name", "is", "A"), tree.node_at((1, 0)).id)
    with pytest.raises(TreeEditError, match="already has 3 conditions"):
        insert_near(full, Condition("full_name", "is", "B"), full.node_at((1, 0)).id)


def test_duplicate_puts_a_fresh_copy_right_after_the_original():
    tree = nested_tree()
    new, copy_id = duplicate(tree, tree.node_at((0,)).id)
    assert shape(new)[:2] == ["source", "source"] and new.node_at((1,)).id == copy_id != tree.node_at((0,)).id
    with pytest.raises(TreeEditError, match="top-level group cannot be duplicated"):
        duplicate(tree, tree.root.id)
    with pytest.raises(TreeEditError, match="already has 2 groups"):
        duplicate(tree, tree.node_at((1,)).id)
    roomy = RuleTree.from_json({"combinator": "and", "rules": [NESTED_JSON["rules"][1]]}, LIMITS)
    new, copy_id = duplicate(roomy, roomy.node_at((0,)).id)
    assert without_ids(new.to_json())["rules"] == [without_ids(NESTED_JSON["rules"][1])] * 2
    assert len(set(new.ids())) == len(new.ids()), "every node of the copy has its own id"


def test_a_definition_file_round_trips():
    text = dump_definition("WhatsApp Jakarta", "Chat users", NESTED_JSON)
    assert json.loads(text)["format"] == FORMAT
    definition, tree = load_definition(text, CATALOG, LIMITS)
    assert (definition.name, definition.description, definition.rules) == ("WhatsApp Jakarta", "Chat users",
                                                                          NESTED_JSON)
    assert tree.to_json() == NESTED_JSON


def test_a_segment_as_the_api_returns_it_imports_too():
    api = {"id": 4, "name": "From the API", "description": None, "rules": NESTED_JSON, "member_count": 3}
    definition, _ = load_definition(json.dumps(api), CATALOG, LIMITS)
    assert definition.name == "From the API" and definition.description == ""


@pytest.mark.parametrize(("data", "problems"), [
    ("{", ["It is not valid JSON"]),
    ("[]", ["It must hold a JSON object with a name and rules."]),
    ({"name": "x"}, ["It has no “rules”."]),
    ({"name": "x", "rules": []}, ["Its “rules” must be a group"]),
    ({"format": FORMAT, "version": 2, "rules": {}}, ["version 2 of the format"]),
    ({"name": 5, "description": "d" * 300, "rules": NESTED_JSON},
     ["The name must be text.", "The description: use at most 250 characters."]),
    ({"name": "x", "rules": {"combinator": "and", "rules": [{"field": "nope"}, {"field": "source", "operator": "gt"}]}},
     ["In the rules, rule 1: there is no field “nope” in this organisation.",
      "In the rules, rule 2: “gt” does not apply to Source."]),
    ({"name": "x", "rules": {"combinator": "and", "rules": [
        {"combinator": "or", "rules": [{"combinator": "and", "rules": [{"field": "source"}]}]}]}},
     ["In group 1›1: groups can be nested only 1 level deep."]),
])
def test_a_bad_definition_lists_every_problem(data, problems):
    text = data if isinstance(data, str) else json.dumps(data)
    with pytest.raises(DefinitionError) as caught:
        load_definition(text, CATALOG, LIMITS)
    for problem, found in zip(problems, caught.value.problems, strict=True):
        assert problem in found
    assert caught.value.message.endswith("Nothing was changed.")


def test_a_huge_file_is_refused_before_parsing():
    with pytest.raises(DefinitionError, match="too large"):
        load_definition(" " * 2_000_000, CATALOG, LIMITS)
