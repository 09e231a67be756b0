"""The Qt adapter reuses the core's cases: drops through mimeData/dropMimeData, rows follow the plain tree."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from segstudio.views.builder import BuilderView
from segstudio.widgets.builder.rows import ConditionRow, GroupRow
from tests.core.cases import MOVE_CASES, NESTED_JSON, shape


def rows_agree_with_tree(view: BuilderView) -> None:
    assert view.tree_view is not None and view.model is not None
    tree = view.document.tree
    assert set(view.tree_view.rows) == set(tree.ids())
    for _path, node in tree.walk():
        widget = view.tree_view.indexWidget(view.model.index_of(node.id))
        assert widget is view.tree_view.rows[node.id]
        assert isinstance(widget, GroupRow if node.is_group else ConditionRow)
    # The model's parent/child structure is the tree's.
    def walk(index: QModelIndex) -> object:
        node = view.model.node(index)
        if node.is_group:
            return [walk(view.model.index(r, 0, index)) for r in range(view.model.rowCount(index))]
        return node.field
    assert walk(view.model.index(0, 0)) == shape(tree)


@pytest.mark.parametrize(("src", "dst", "expected"), MOVE_CASES)
def test_drop_through_mime_data(nested_view: BuilderView, src, dst, expected) -> None:
    view = nested_view
    model = view.model
    before = view.document.tree.to_json()
    source_index = model.index(0, 0) if not src else model.index_at_path(src)
    mime = model.mimeData([source_index])
    parent = model.index_at_path(dst[:-1])
    if isinstance(expected, str):
        assert not model.canDropMimeData(mime, Qt.DropAction.MoveAction, dst[-1], 0, parent)
        refusals: list[str] = []
        model.moveRefused.connect(refusals.append)
        model.dropMimeData(mime, Qt.DropAction.MoveAction, dst[-1], 0, parent)
        assert view.document.tree.to_json() == before
        assert refusals == [expected]
    else:
        assert model.canDropMimeData(mime, Qt.DropAction.MoveAction, dst[-1], 0, parent)
        # False on purpose: the view must not remove the dragged rows afterwards.
        assert model.dropMimeData(mime, Qt.DropAction.MoveAction, dst[-1], 0, parent) is False
        assert shape(view.document.tree) == expected
    rows_agree_with_tree(view)


def test_a_drop_is_one_undo_step(nested_view: BuilderView) -> None:
    model = nested_view.model
    model.dropMimeData(model.mimeData([model.index_at_path((0,))]), Qt.DropAction.MoveAction, 0,
                       0, model.index_at_path((2,)))
    assert shape(nested_view.document.tree) == [["deal.stage", "metric.days_since_last_conversation"],
                                                ["source", "address.province"]]
    nested_view.undo()
    assert nested_view.document.tree.to_json() == NESTED_JSON
    rows_agree_with_tree(nested_view)


def test_the_root_row_is_not_draggable(nested_view: BuilderView) -> None:
    model = nested_view.model
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsDragEnabled
    assert model.flags(model.index_at_path((0,))) & Qt.ItemFlag.ItemIsDragEnabled
    assert not model.flags(model.index_at_path((0,))) & Qt.ItemFlag.ItemIsDropEnabled


def test_alt_up_and_down_move_the_focused_row(qtbot, nested_view: BuilderView) -> None:
    view = nested_view
    source = view.document.tree.node_at((0,)).id
    view.tree_view.focus_node(source, "field")
    qtbot.keyClick(view.row(source).field_button, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert shape(view.document.tree)[0] == ["source", "deal.stage", "metric.days_since_last_conversation"]
    # Focus followed the row into its new place, so the next key moves it again.
    qtbot.keyClick(view.row(source).field_button, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert view.document.tree.to_json() == NESTED_JSON
    qtbot.keyClick(view.row(source).field_button, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert view.banner.text() == "It is already at the top."
    rows_agree_with_tree(view)


def test_ctrl_z_and_ctrl_shift_z_undo_and_redo_every_edit(qtbot, nested_view: BuilderView) -> None:
    view = nested_view
    province = view.document.tree.node_at((2, 0)).id
    group = view.document.tree.node_at((2,)).id
    view.row(group).add_condition.click()
    view.row(group).or_button.click()
    after = view.document.tree.to_json()
    assert len(after["rules"][2]["rules"]) == 2 and after["rules"][2]["combinator"] == "or"
    target = view.row(province).field_button
    target.setFocus()
    qtbot.keyClick(target, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view.row(province).field_button, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert view.document.tree.to_json() == NESTED_JSON
    qtbot.keyClick(view.row(province).field_button, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(view.row(province).field_button, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert view.document.tree.to_json() == after


def test_ctrl_z_in_a_text_box_undoes_the_builder_edit(qtbot, nested_view: BuilderView) -> None:
    view = nested_view
    deal = view.document.tree.node_at((1, 0)).id
    line = view.row(deal).editor.line
    line.setFocus()
    line.selectAll()
    qtbot.keyClicks(line, "Lost")
    assert view.document.tree.find(deal).value == "Lost"
    qtbot.keyClick(line, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    # Rapid typing was one step: one undo brings the old value back.
    assert view.document.tree.find(deal).value == "Won"
    assert view.row(deal).editor.line.text() == "Won"


def test_removing_a_row_keeps_the_others(nested_view: BuilderView) -> None:
    view = nested_view
    deal = view.document.tree.node_at((1, 0)).id
    view.row(deal).remove_button.click()
    assert view.document.tree.to_json()["rules"][1] == {"id": "g-or", "combinator": "or", "rules": [
        {"id": "c-days", "field": "metric.days_since_last_conversation", "operator": "gt", "value": 90}]}
    rows_agree_with_tree(view)


def test_connector_between_rows_toggles_the_group(nested_view: BuilderView) -> None:
    view = nested_view
    metric = view.document.tree.node_at((1, 1)).id
    connector = view.row(metric).connector
    assert connector.text() == "OR"
    connector.click()
    assert view.document.tree.node_at((1,)).combinator == "and"
    assert view.row(metric).connector.text() == "AND"
