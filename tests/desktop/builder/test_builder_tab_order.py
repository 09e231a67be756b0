"""Tab walks the builder as it reads: the top bar, then each row from the top of the tree down (field,
operator, value, any/all, remove), then the preview, and around again; Shift+Tab walks it backwards."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QWidget

from segstudio.views.builder import BuilderView
from segstudio.widgets.builder.rows import ConditionRow, GroupRow

pytestmark = pytest.mark.qt


def stop_name(view: BuilderView, widget: QWidget) -> str:
    """`node:part` for a widget in a row, else the widget's text or object name."""
    row = widget
    while row is not None and not isinstance(row, ConditionRow | GroupRow):
        row = row.parentWidget()
    if row is None:
        return getattr(widget, "text", lambda: "")() or widget.objectName() or type(widget).__name__
    node = view.document.tree.find(row.node_id)
    label = node.field if not node.is_group else f"group{view.document.tree.path_of(node.id)}"
    if isinstance(row, ConditionRow):
        if widget is row.field_button:
            part = "field"
        elif widget is row.operator:
            part = "operator"
        elif widget is row.match:
            part = "match"
        elif widget is row.remove_button:
            part = "remove"
        elif widget is row.connector:
            part = "connector"
        elif row.editor is not None and (widget is row.editor or row.editor.isAncestorOf(widget)):
            part = "value"
        else:
            part = widget.objectName() or type(widget).__name__
    else:
        part = {row.not_button: "not", row.and_button: "combinator", row.or_button: "combinator",
                row.add_condition: "add_condition",
                row.add_group: "add_group", row.connector: "connector"}.get(widget, widget.objectName())
        if row.remove_button is not None and widget is row.remove_button:
            part = "remove"
    return f"{label}:{part}"


def walk(qtbot, view: BuilderView, start: QWidget, steps: int, backwards: bool = False) -> list[str]:
    start.setFocus(Qt.FocusReason.TabFocusReason)
    seen = []
    for _ in range(steps):
        widget = QApplication.focusWidget()
        seen.append(stop_name(view, widget))
        modifiers = Qt.KeyboardModifier.ShiftModifier if backwards else Qt.KeyboardModifier.NoModifier
        qtbot.keyClick(widget, Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab, modifiers)
    return seen


EXPECTED = [
    "‹ Segment info", "Cancel", "Save segment",
    "group():not", "group():combinator", "group():add_condition",
    "source:field", "source:operator", "source:value", "source:remove",
    "group(1,):connector", "group(1,):not", "group(1,):combinator", "group(1,):add_condition", "group(1,):remove",
    "deal.stage:field", "deal.stage:operator", "deal.stage:value", "deal.stage:match", "deal.stage:remove",
    "metric.days_since_last_conversation:connector", "metric.days_since_last_conversation:field",
    "metric.days_since_last_conversation:operator", "metric.days_since_last_conversation:value",
    "metric.days_since_last_conversation:remove",
    "group(2,):connector", "group(2,):not", "group(2,):combinator", "group(2,):add_condition", "group(2,):remove",
    "address.province:field", "address.province:operator", "address.province:value", "address.province:remove",
]


def test_tab_walks_the_builder_in_reading_order(qtbot, nested_view: BuilderView) -> None:
    view = nested_view
    seen = walk(qtbot, view, view.rules_page.back_button, len(EXPECTED) + 12)
    assert seen[:len(EXPECTED)] == EXPECTED
    # Then the preview, and around to the top bar again.
    assert seen[len(EXPECTED)] == "Refresh"
    assert "‹ Segment info" in seen[len(EXPECTED):]


def test_shift_tab_walks_it_backwards(qtbot, nested_view: BuilderView) -> None:
    view = nested_view
    last = view.row(view.document.tree.node_at((2, 0)).id).remove_button
    seen = walk(qtbot, view, last, len(EXPECTED), backwards=True)
    assert seen == list(reversed(EXPECTED))


def test_a_new_value_editor_keeps_its_place_in_the_tab_order(qtbot, nested_view: BuilderView) -> None:
    view = nested_view
    source = view.document.tree.node_at((0,)).id
    view.document.set_operator(source, "is_empty")
    view.document.set_operator(source, "is")  # the value editor is created again, after the row's buttons
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QApplication.processEvents()  # the layout shows the new editor (as the event loop does before any key)
    row = view.row(source)
    seen = walk(qtbot, view, row.field_button, 4)
    assert seen == ["source:field", "source:operator", "source:value", "source:remove"]


def test_the_info_step_tabs_from_name_to_description_to_its_buttons(qtbot, make_view) -> None:
    view = make_view()
    info = view.info
    seen = walk(qtbot, view, info.name, 4)
    assert seen[:2] == [info.name.objectName() or "QLineEdit", info.description.objectName()
                        or type(info.description).__name__]
