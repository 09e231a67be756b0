"""The builder's part of rule language v2: a NOT toggle on group headers, "no <records>" beside any/all, and a
tag-style editor for the served value shape "list" on fields without fixed options."""

from __future__ import annotations

from PySide6.QtCore import Qt

from segstudio.views.builder import BuilderView
from segstudio.widgets.builder.editors import MultiEditor, TagEditor
from segstudio.widgets.builder.editors.tags import MAX_TAGS, added_values
from tests.desktop.builder.test_builder_editing import choose, first_condition


def test_the_not_toggle_negates_a_group_and_undo_restores_it(qtbot, make_view) -> None:
    view = make_view()
    view.go_to_rules()
    root = view.document.tree.root.id
    row = view.row(root)
    assert not row.not_button.isChecked()
    qtbot.mouseClick(row.not_button, Qt.MouseButton.LeftButton)
    assert view.document.tree.root.negate is True
    assert view.row(root).not_button.isChecked()
    assert view.document.tree.to_json()["not"] is True
    view.document.undo()
    assert view.document.tree.root.negate is False
    assert not view.row(root).not_button.isChecked()


def test_the_match_box_offers_no_records(make_view) -> None:
    view = make_view()
    view.go_to_rules()
    cid = first_condition(view)
    choose(view, cid, "deal.stage")
    row = view.row(cid)
    assert [row.match.itemText(i) for i in range(row.match.count())] == ["any deals", "all deals", "no deals"]
    row.match.setCurrentIndex(2)
    row.match.activated.emit(2)
    assert view.document.tree.find(cid).match == "none"


def test_a_list_operator_without_options_gets_the_tag_editor(qtbot, make_view: type[BuilderView]) -> None:
    view = make_view()
    view.go_to_rules()
    cid = first_condition(view)
    choose(view, cid, "address.province", "is_any_of")
    editor = view.row(cid).editor
    assert isinstance(editor, TagEditor)
    editor.line.setFocus()
    qtbot.keyClicks(editor.line, "Jakarta, Bali")
    qtbot.keyClick(editor.line, Qt.Key.Key_Return)
    assert view.document.tree.find(cid).value == ("Jakarta", "Bali")
    editor = view.row(cid).editor
    assert [c.text() for c in editor.chip_buttons] == ["Jakarta  ✕", "Bali  ✕"]
    qtbot.mouseClick(editor.chip_buttons[0], Qt.MouseButton.LeftButton)
    assert view.document.tree.find(cid).value == ("Bali",)
    # Fields with fixed options keep their checklist.
    choose(view, cid, "custom.interests", "contains_any")
    assert isinstance(view.row(cid).editor, MultiEditor)


def test_added_values_split_on_commas_and_skip_blanks_and_repeats() -> None:
    assert added_values(["Bali"], " jakarta , ,BALI,Jakarta") == ["Bali", "jakarta"]
    assert len(added_values([f"v{i}" for i in range(MAX_TAGS)], "one more")) == MAX_TAGS
