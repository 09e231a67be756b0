"""The builder's shared actions driven by their keys: copy, paste and duplicate a condition or group (one
undo step each, clipboard JSON validated on paste), import and export the definition file, save, refresh,
back, and the rows' context menu holding the same actions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog

from segstudio.core.definition_file import FORMAT
from segstudio.core.rule_tree.clipboard import CLIPBOARD_KIND, without_ids
from segstudio.views.builder import BuilderView
from tests.core.cases import NESTED_JSON, shape

pytestmark = pytest.mark.qt
CTRL = Qt.KeyboardModifier.ControlModifier


def press(qtbot, view: BuilderView, node_id: str, key: Qt.Key, modifiers=CTRL) -> None:
    view.tree_view.focus_node(node_id)
    qtbot.keyClick(QApplication.focusWidget(), key, modifiers)


def test_ctrl_c_then_ctrl_v_pastes_a_copy_after_the_current_row_and_ctrl_z_takes_it_back(qtbot, nested_view):
    view = nested_view
    source = view.document.tree.node_at((0,)).id
    province = view.document.tree.node_at((2, 0)).id
    press(qtbot, view, source, Qt.Key.Key_C)
    data = json.loads(QGuiApplication.clipboard().text())
    assert data["kind"] == CLIPBOARD_KIND and data["node"] == without_ids(NESTED_JSON["rules"][0])
    press(qtbot, view, province, Qt.Key.Key_V)
    assert shape(view.document.tree)[2] == ["address.province", "source"]
    pasted = view.document.tree.node_at((2, 1))
    assert pasted.id != source, "a pasted condition is a new node"
    assert view.tree_view.current_node_id() == pasted.id, "the keyboard goes to the pasted row"
    assert view.document.history.undo_label == "Paste"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, CTRL)
    assert view.document.tree.to_json() == NESTED_JSON


def test_a_group_pastes_with_everything_in_it_and_the_limits_are_kept(qtbot, nested_view):
    view = nested_view
    group = view.document.tree.node_at((2,)).id
    press(qtbot, view, group, Qt.Key.Key_C)
    assert json.loads(QGuiApplication.clipboard().text())["node"] == without_ids(NESTED_JSON["rules"][2])
    source = view.document.tree.node_at((0,)).id
    press(qtbot, view, source, Qt.Key.Key_V)
    # The top level already has its 2 groups: refused with the reason, nothing changed.
    assert view.document.tree.to_json() == NESTED_JSON
    assert view.banner.isVisible() and "already has 2 groups" in view.banner.text()
    assert view.banner.text().startswith("Nothing was pasted.")


def test_ctrl_d_duplicates_the_current_condition_until_the_group_is_full(qtbot, nested_view):
    view = nested_view
    deal = view.document.tree.node_at((1, 0)).id
    press(qtbot, view, deal, Qt.Key.Key_D)
    assert shape(view.document.tree)[1] == ["deal.stage", "deal.stage", "metric.days_since_last_conversation"]
    copy = view.document.tree.node_at((1, 1))
    assert copy.id != deal and copy.value == "Won" and copy.match == "any"
    before = view.document.tree.to_json()
    press(qtbot, view, deal, Qt.Key.Key_D)
    assert view.document.tree.to_json() == before
    assert "This group already has 3 conditions" in view.banner.text()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, CTRL)
    assert view.document.tree.to_json() == NESTED_JSON


def test_delete_removes_the_current_row_and_not_the_top_level(qtbot, nested_view):
    view = nested_view
    source = view.document.tree.node_at((0,)).id
    press(qtbot, view, source, Qt.Key.Key_Delete, Qt.KeyboardModifier.NoModifier)
    assert source not in view.document.tree
    assert view.document.history.undo_label == "Remove"
    view.tree_view.focus_node(view.document.tree.root.id)
    view.commands.refresh()
    assert not view.commands.delete.isEnabled() and not view.commands.duplicate.isEnabled()


@pytest.mark.parametrize(("text", "reason"), [
    ("", "The clipboard is empty."),
    ("Jakarta", "The clipboard does not hold a condition or group (it is not JSON)."),
    ('{"field": "nope", "operator": "is", "value": 1}', "There is no field “nope” in this organisation."),
    ('{"field": "source", "operator": "gt", "value": 1}', "“gt” does not apply to Source."),
    ('{"combinator": "xor", "rules": []}', "The combinator must be “and” or “or”"),
    ('{"kind": "something/else", "node": {}}', "The clipboard holds a “something/else”"),
])
def test_pasting_what_is_not_a_condition_says_why_and_changes_nothing(qtbot, nested_view, text, reason):
    view = nested_view
    QGuiApplication.clipboard().setText(text)
    source = view.document.tree.node_at((0,)).id
    view.tree_view.focus_node(source)
    view.commands.paste_here()
    assert view.document.tree.to_json() == NESTED_JSON
    assert reason in view.banner.text() and view.banner.property("error")


def test_paste_is_enabled_only_with_something_on_the_clipboard(qtbot, nested_view):
    QGuiApplication.clipboard().clear()
    qtbot.waitUntil(lambda: not nested_view.commands.paste.isEnabled(), timeout=2000)
    QGuiApplication.clipboard().setText("{}")
    qtbot.waitUntil(nested_view.commands.paste.isEnabled, timeout=2000)


def test_export_then_import_gives_back_the_same_definition_as_one_undo_step(qtbot, nested_view, tmp_path: Path):
    view = nested_view
    target = tmp_path / "whatsapp.json"
    assert view.commands.export_to(target)
    data = json.loads(target.read_text())
    assert data["format"] == FORMAT and data["name"] == "WhatsApp Jakarta" and data["rules"] == NESTED_JSON
    view.document.remove(view.document.tree.node_at((1,)).id)
    assert view.commands.import_from(target)
    assert view.document.tree.to_json() == NESTED_JSON
    assert "Imported 4 conditions from whatsapp.json" in view.banner.text()
    view.undo()
    assert len(view.document.tree.to_json()["rules"]) == 2, "undo brings back the conditions before the import"


def test_import_into_a_new_segment_takes_the_name_and_description(qtbot, make_view, tmp_path: Path):
    view = make_view()
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"name": "From a file", "description": "Imported", "rules": NESTED_JSON}))
    assert view.commands.import_from(path)
    assert view.info.values() == ("From a file", "Imported")
    assert view.steps.currentWidget() is view.rules_page and view.title.text() == "From a file"


@pytest.mark.parametrize(("content", "reason"), [
    ("not json", "It is not valid JSON"),
    ('{"name": "x"}', "It has no “rules”."),
    ('{"format": "other/thing", "rules": {}}', "It is a “other/thing” file"),
    ('{"name": "x", "rules": {"combinator": "and", "rules": [{"field": "nope", "operator": "is"}]}}',
     "In the rules, rule 1: there is no field “nope” in this organisation."),
    ('{"name": "x", "rules": {"combinator": "and", "rules": [{"field": "source"}, {"field": "source"}, '
     '{"field": "source"}, {"field": "source"}]}}', "In the top level: a group can hold at most 3 conditions"),
])
def test_a_bad_file_is_refused_with_each_problem_and_nothing_is_lost(qtbot, nested_view, tmp_path: Path,
                                                                       content, reason):
    view = nested_view
    path = tmp_path / "bad.json"
    path.write_text(content)
    assert not view.commands.import_from(path)
    assert reason in view.banner.text() and "Nothing was changed." in view.banner.text()
    assert view.document.tree.to_json() == NESTED_JSON and view.info.values()[0] == "WhatsApp Jakarta"


def test_ctrl_e_and_ctrl_o_open_the_definition_file_dialogs(qtbot, nested_view):
    view = nested_view
    source = view.document.tree.node_at((0,)).id
    press(qtbot, view, source, Qt.Key.Key_E)
    dialog = view.commands.file_dialog
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    assert dialog.selectedFiles()[0].endswith("WhatsApp Jakarta.json")
    dialog.reject()
    assert view.commands.file_dialog is None
    press(qtbot, view, source, Qt.Key.Key_O)
    dialog = view.commands.file_dialog
    assert dialog is not None and dialog.acceptMode() == QFileDialog.AcceptMode.AcceptOpen
    dialog.reject()


def test_ctrl_s_saves_f5_refreshes_the_preview_and_alt_left_goes_back_a_step(qtbot, nested_view, backend):
    view = nested_view
    source = view.document.tree.node_at((0,)).id
    qtbot.waitUntil(lambda: len(backend.previews) >= 1, timeout=3000)
    previews = len(backend.previews)
    press(qtbot, view, source, Qt.Key.Key_F5, Qt.KeyboardModifier.NoModifier)
    qtbot.waitUntil(lambda: len(backend.previews) > previews, timeout=3000)
    with qtbot.waitSignal(view.saved, timeout=3000):
        press(qtbot, view, source, Qt.Key.Key_S)
    assert backend.saves[-1][1] == "WhatsApp Jakarta"
    press(qtbot, view, source, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert view.steps.currentWidget() is view.info
    assert not view.commands.back.isEnabled(), "on the first step Back has nowhere to go"


def test_a_right_click_on_a_row_shows_the_same_actions(qtbot, nested_view):
    view = nested_view
    metric = view.document.tree.node_at((1, 1)).id
    button = view.row(metric).field_button
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(4, 4), button.mapToGlobal(QPoint(4, 4)))
    QApplication.sendEvent(button, event)
    menu = view.commands.row_menu
    assert menu is not None and menu.isVisible()
    actions = menu.actions()
    for action in (view.commands.copy, view.commands.paste, view.commands.duplicate, view.commands.delete,
                   view.commands.actions["edit.move_up"]):
        assert action in actions
    assert view.commands.copy.text() == "&Copy condition"
    assert view.tree_view.current_node_id() == metric, "the menu acts on the row it was opened on"
    menu.close()
    view.commands.duplicate.trigger()
    assert shape(view.document.tree)[1][-1] == "metric.days_since_last_conversation"
    assert len(shape(view.document.tree)[1]) == 3


def test_the_preview_sample_has_a_copy_customer_id_menu(qtbot, make_view):
    view = make_view({"id": 6, "name": "WhatsApp", "description": "", "rules": {
        "combinator": "and", "rules": [{"field": "source", "operator": "is", "value": "WhatsApp"}]}})
    panel = view.preview_panel
    qtbot.waitUntil(lambda: panel.result is not None and panel.table.rowCount() > 0, timeout=3000)
    rect = panel.table.visualRect(panel.table.model().index(0, 0))
    panel.table.customContextMenuRequested.emit(rect.center())
    menu = panel.table.row_menu
    assert view.commands.copy_id in menu.actions() and view.commands.copy_id.isEnabled()
    menu.close()
    view.commands.copy_id.trigger()
    assert QGuiApplication.clipboard().text() == str(panel.result.sample[0]["id"])


def test_undo_and_redo_in_the_menu_bar_follow_the_history(qtbot, nested_view):
    view = nested_view
    undo, redo = view.commands.actions["edit.undo"], view.commands.actions["edit.redo"]
    assert not undo.isEnabled() and not redo.isEnabled()
    view.document.remove(view.document.tree.node_at((0,)).id)
    assert undo.isEnabled() and not redo.isEnabled()
    undo.trigger()
    assert not undo.isEnabled() and redo.isEnabled()
