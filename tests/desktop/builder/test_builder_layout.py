"""The builder at 1024×700 and 1920×1080 (issue 14, items 3 and 5): it does not grow the window, and no
label, button or box of a tree holding every kind of editor is cut, elided or covered; a narrow column
scrolls sideways instead of clipping rows; errors show their whole message in place, wrapping."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from segstudio.core.catalog import Limits
from segstudio.views.builder import BuilderView
from tests.desktop.builder.fake_backend import FakeBackend

SIDEBAR = 170  # the main window's navigation column beside every page

EVERY_EDITOR = {
    "combinator": "and",
    "rules": [
        {"field": "full_name", "operator": "contains", "value": "Budi"},
        {"field": "source", "operator": "is", "value": "WhatsApp"},
        {"field": "custom.interests", "operator": "contains_any", "value": ["Sports", "Music"]},
        {"combinator": "or", "rules": [
            {"field": "deal.stage", "operator": "is", "value": "Won", "match": "any"},
            {"field": "deal.size", "operator": "between", "value": [5_000_000, 6_000_000], "match": "all"},
            {"field": "date_of_birth", "operator": "between", "value": ["1990-01-01", "2000-12-31"]},
            {"field": "marketing_opt_in", "operator": "is", "value": True},
        ]},
        {"combinator": "and", "rules": [
            {"field": "loyalty.available_balance", "operator": "gt", "value": 1_000_000},
            {"field": "date_of_birth", "operator": "before", "value": "1990-01-01"},
            {"field": "date_of_birth", "operator": "more_than_days_ago", "value": 30},
            {"field": "custom.contract", "operator": "is_empty", "value": None},
        ]},
    ],
}


def host_at(qtbot, make_view, width: int, height: int, rules: dict[str, Any] = EVERY_EDITOR) -> tuple[QWidget,
                                                                                                       BuilderView]:
    """The builder beside a sidebar in a top-level window of the screen's size, as the main window holds it."""
    host = QWidget()
    qtbot.addWidget(host)
    view = BuilderView(backend=FakeBackend(limits=Limits(max_groups=2, max_conditions=4, max_depth=1)),
                       segment={"id": 9, "name": "Every editor", "description": "", "rules": rules},
                       preview_delay=0.05, parent=host)
    layout = QHBoxLayout(host)
    layout.setContentsMargins(0, 0, 0, 0)
    sidebar = QFrame(host)
    sidebar.setFixedWidth(SIDEBAR)
    layout.addWidget(sidebar)
    layout.addWidget(view, 1)
    host.resize(width, height)
    host.show()
    qtbot.waitExposed(host)
    qtbot.waitUntil(lambda: view.tree_view is not None and view.steps.currentWidget() is view.rules_page,
                    timeout=5000)
    settle()
    return host, view


def settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def _clipped(widget: QWidget) -> str | None:
    """Why `widget` shows its text cut, or None when it shows all of it."""
    fm = widget.fontMetrics()
    if isinstance(widget, QLabel):
        if not widget.text() or widget.textFormat() == 1:  # rich text is measured by its own layout
            return None
        if widget.wordWrap():
            need = widget.heightForWidth(widget.width())
            return None if widget.height() >= need - 1 else f"label {widget.text()!r} {widget.height()}<{need}"
        need = widget.sizeHint().width()
        return None if widget.width() >= need - 1 else f"label {widget.text()!r} {widget.width()}<{need}"
    if isinstance(widget, QAbstractButton):
        text = widget.text().replace("&", "")
        need = fm.horizontalAdvance(text) + 6
        return None if not text or widget.width() >= need else f"button {text!r} {widget.width()}<{need}"
    if isinstance(widget, QComboBox):
        text = widget.currentText() or widget.placeholderText()
        need = fm.horizontalAdvance(text) + 24  # the arrow
        return None if not text or widget.width() >= need else f"combo {text!r} {widget.width()}<{need}"
    if isinstance(widget, QLineEdit) and not isinstance(widget.parentWidget(), QComboBox):
        text = widget.text() or widget.placeholderText()
        margins = widget.textMargins()
        room = widget.contentsRect().width() - margins.left() - margins.right() - 4
        need = fm.horizontalAdvance(text)
        return None if not text or room >= need else f"box {text!r} {room}<{need}"
    return None


def layout_problems(view: BuilderView) -> list[str]:
    """Cut text anywhere on the conditions page, and inputs of one row that overlap."""
    problems = []
    for widget in view.rules_page.findChildren(QWidget):
        if widget.isVisibleTo(view.rules_page) and (why := _clipped(widget)):
            problems.append(why)
    assert view.tree_view is not None
    for node_id, row in view.tree_view.rows.items():
        rects = [(w, QRect(w.geometry())) for w in row.findChildren(QWidget)
                 if w.parentWidget() is row and w.isVisibleTo(row)]
        for i, (a, ra) in enumerate(rects):
            for b, rb in rects[i + 1:]:
                if ra.intersects(rb):
                    problems.append(f"row {node_id}: {a.objectName() or type(a).__name__} overlaps "
                                    f"{b.objectName() or type(b).__name__}")
    return problems


def rows_reachable(view: BuilderView) -> list[str]:
    """Rows wider than the tree's viewport must be reachable with a scroll bar, never cut at the left."""
    tree = view.tree_view
    assert tree is not None
    problems = []
    bar = tree.horizontalScrollBar()
    for node_id, row in tree.rows.items():
        if row.x() < -bar.value():
            problems.append(f"row {node_id} starts left of the view ({row.x()})")
        if row.width() < row.minimumSizeHint().width() - 1:
            problems.append(f"row {node_id} squeezed: {row.width()} < {row.minimumSizeHint().width()}")
        if row.x() + row.width() > tree.viewport().width() + bar.maximum() + 1:
            problems.append(f"row {node_id} ends beyond what scrolling reaches")
    return problems


@pytest.mark.parametrize(("width", "height"), [(1024, 700), (1920, 1080)])
def test_the_builder_fits_the_screen_without_cut_text(qtbot, make_view, width, height) -> None:
    host, view = host_at(qtbot, make_view, width, height)
    assert host.width() == width and host.height() == height, "the builder grew the window"
    assert view.minimumSizeHint().width() <= width - SIDEBAR
    assert layout_problems(view) == []
    assert rows_reachable(view) == []
    tree = view.tree_view
    assert tree is not None
    # At these sizes every row fits the column: no sideways scrolling needed.
    assert tree.horizontalScrollBar().maximum() == 0


def test_a_narrow_tree_column_scrolls_sideways_instead_of_clipping_rows(qtbot, make_view) -> None:
    host, view = host_at(qtbot, make_view, 1024, 700)
    view.splitter.setSizes([260, 600])  # the user dragged the splitter far to the left
    settle()
    assert host.width() == 1024
    assert rows_reachable(view) == []
    assert layout_problems(view) == []
    tree = view.tree_view
    assert tree is not None
    bar = tree.horizontalScrollBar()
    assert bar.maximum() > 0 and tree.horizontalScrollBar().isVisible()


def shows_whole(label: QLabel) -> bool:
    """The label is on screen with all of its text (its row scrolled into view first, as a user would)."""
    row = label.parentWidget()
    tree = row.parentWidget().parentWidget()
    tree.scrollTo(tree.rule_model.index_of(row.node_id))
    settle()
    return (label.isVisible() and bool(label.text()) and _clipped(label) is None
            and label.visibleRegion().boundingRect().size() == label.size())


def test_errors_show_their_whole_message_in_place(qtbot, make_view) -> None:
    host, view = host_at(qtbot, make_view, 1024, 700)
    doc = view.document
    tree = doc.tree
    number = tree.node_at((4, 0)).id
    between = tree.node_at((3, 1)).id
    doc.set_value(number, "12abc")
    doc.set_value(between, (6_000_000, 5_000_000))
    settle()
    assert view.row(number).error.text() == "Enter a number"
    assert shows_whole(view.row(number).error)
    assert view.row(between).error.text() == "The first number must not be greater than the second"
    assert shows_whole(view.row(between).error)
    assert layout_problems(view) == []
    group = tree.node_at((4,)).id
    for _ in range(4):
        doc.remove(doc.tree.find(group).rules[0].id)
    settle()
    row = view.row(group)
    assert row.error.text() == "Add a condition to this group or remove it"
    assert shows_whole(row.error)


def test_the_reason_an_add_button_is_off_is_shown_beside_it(qtbot, make_view) -> None:
    host, view = host_at(qtbot, make_view, 1024, 700)
    group = view.document.tree.node_at((3,)).id  # holds 4 conditions, the limit
    row = view.row(group)
    assert not row.add_condition.isEnabled()
    assert "4 conditions" in row.limit_note.text()
    assert shows_whole(row.limit_note)
