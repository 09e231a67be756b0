"""The History tab's difference between two revisions (issue 17 item 1), Qt-free."""

from __future__ import annotations

from types import SimpleNamespace

from segstudio.core.revision_diff import Change, Words, change_lines, diff_revisions, diff_rules, phrase

WORDS = Words({"source": "Source", "province": "Province", "age": "Age"},
              {"is": "is", "gt": "is greater than", "last_days": "is in the last N days"})


def tree(*conds, combinator="and"):
    return {"combinator": combinator, "rules": list(conds)}


def cond(field, operator, value, id_=None):
    node = {"field": field, "operator": operator, "value": value}
    if id_ is not None:
        node["id"] = id_
    return node


def test_added_removed_and_changed_conditions_read_in_served_words():
    old = tree(cond("source", "is", "WhatsApp"), cond("province", "is", "Jakarta"))
    new = tree(cond("source", "is", "Email"), cond("age", "gt", 30))
    assert diff_rules(old, new, WORDS) == [
        Change("changed", "Source is WhatsApp → Source is Email"),
        Change("removed", "Province is Jakarta"),
        Change("added", "Age is greater than 30"),
    ]


def test_conditions_pair_by_node_id_before_field():
    old = tree(cond("source", "is", "A", "n1"), cond("source", "is", "B", "n2"))
    new = tree(cond("source", "is", "B", "n2"), cond("source", "is", "C", "n1"))
    assert diff_rules(old, new, WORDS) == [Change("changed", "Source is A → Source is C")]


def test_reordering_or_renumbering_is_no_difference():
    old = tree(cond("source", "is", "A", "n1"), cond("age", "gt", 3, "n2"))
    new = tree(cond("age", "gt", 3, "x9"), cond("source", "is", "A", "x8"))
    assert diff_rules(old, new, WORDS) == []
    assert change_lines([]) == ["No differences."]


def test_a_group_switching_and_to_or_shows_as_changed_logic():
    old = tree(cond("source", "is", "A"), cond("age", "gt", 3))
    new = tree(cond("source", "is", "A"), cond("age", "gt", 3), combinator="or")
    lines = change_lines(diff_rules(old, new, WORDS))
    assert lines == ["~ Changed: Source is A (AND) → Source is A (OR)", "~ Changed: Age is greater than 3 (AND) → "
                     "Age is greater than 3 (OR)"]


def test_nested_groups_and_lists_and_day_counts():
    old = tree(tree(cond("source", "is", ["A", "B"])))
    new = tree(tree(cond("source", "last_days", 30)))
    assert diff_rules(old, new, WORDS) == [Change("changed", "Source is A, B → Source is in the last 30 days")]
    assert phrase(cond("unknown_field", "some_op", 1_500)) == "unknown_field some op 1,500"


def test_revisions_also_compare_name_and_description():
    a = SimpleNamespace(name="Old", description=None, rules=tree(cond("source", "is", "A")))
    b = SimpleNamespace(name="New", description="Mail", rules=tree(cond("source", "is", "A")))
    assert change_lines(diff_revisions(a, b, WORDS)) == ["~ Changed: Name: Old → New",
                                                         "~ Changed: Description: (none) → Mail"]
