"""Undo/redo: one step per edit, rapid typing in one field merged into one step."""

from __future__ import annotations

import pytest

from segstudio.core.document import BuilderDocument
from segstudio.core.history import History
from tests.core.cases import CATALOG, LIMITS, nested_tree


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_undo_and_redo_walk_the_steps() -> None:
    h = History("a", clock=Clock())
    h.push("b", "one")
    h.push("c", "two")
    assert h.undo() == "b"
    assert h.undo() == "a"
    assert not h.can_undo
    assert h.redo() == "b"
    assert h.redo_label == "two"
    h.push("x")
    assert not h.can_redo


def test_typing_within_the_window_is_one_step() -> None:
    clock = Clock()
    h = History("", merge_window=1.0, clock=clock)
    for i, text in enumerate(["J", "Ja", "Jak", "Jaka"]):
        clock.now = i * 0.3
        h.push(text, "type", merge_key="value:n1")
    assert h.present == "Jaka"
    assert h.undo() == ""
    assert not h.can_undo


def test_a_pause_or_another_field_starts_a_new_step() -> None:
    clock = Clock()
    h = History("", merge_window=1.0, clock=clock)
    h.push("J", merge_key="n1")
    clock.now = 2.0
    h.push("Ja", merge_key="n1")
    h.push("5", merge_key="n2")
    assert [h.undo(), h.undo(), h.undo()] == ["Ja", "J", ""]


def test_seal_ends_a_run_of_merged_edits() -> None:
    h = History("", clock=Clock())
    h.push("a", merge_key="k")
    h.seal()
    h.push("ab", merge_key="k")
    assert h.undo() == "a"


def test_nothing_to_undo_raises() -> None:
    with pytest.raises(IndexError):
        History(1).undo()


def test_document_undoes_every_kind_of_edit() -> None:
    clock = Clock()
    doc = BuilderDocument(CATALOG, LIMITS, tree=nested_tree(), clock=clock)
    start = doc.tree.to_json()
    source = doc.tree.node_at((0,)).id
    group = doc.tree.node_at((1,)).id
    steps = [
        lambda: doc.set_field(source, "full_name"),
        lambda: doc.set_operator(source, "contains"),
        lambda: doc.set_value(source, "Bu"),
        lambda: doc.toggle_combinator(group),
        lambda: doc.move(source, doc.tree.node_at((2,)).id, 0),
        lambda: doc.add_condition(doc.tree.root.id),
        lambda: doc.remove(group),
    ]
    snapshots = [doc.tree.to_json()]
    for step in steps:
        clock.now += 5
        step()
        snapshots.append(doc.tree.to_json())
    for expected in reversed(snapshots[:-1]):
        assert doc.undo()
        assert doc.tree.to_json() == expected
    assert doc.tree.to_json() == start
    for expected in snapshots[1:]:
        assert doc.redo()
        assert doc.tree.to_json() == expected


def test_document_merges_keystrokes_in_one_value() -> None:
    clock = Clock()
    doc = BuilderDocument(CATALOG, LIMITS, tree=nested_tree(), clock=clock)
    source = doc.tree.node_at((0,)).id
    doc.set_field(source, "full_name")
    doc.set_operator(source, "contains")
    for i, text in enumerate(["B", "Bu", "Bud", "Budi"]):
        clock.now = 10 + i * 0.2
        doc.set_value(source, text)
    doc.undo()
    assert doc.tree.find(source).value is None
    assert doc.tree.find(source).operator == "contains"
