"""Visible keyboard focus: every kind of control the app uses looks different with the keyboard on it, under
the app's stylesheet (Fusion alone draws nothing on buttons, boxes and check boxes)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QListWidget,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from segstudio.views.style import STYLESHEET

pytestmark = pytest.mark.qt


@pytest.fixture
def app_style(qapp) -> Iterator[None]:
    before = qapp.styleSheet()
    qapp.setStyleSheet(STYLESHEET)
    yield
    qapp.setStyleSheet(before)


def looks_focused(qtbot, widget: QWidget, elsewhere: QWidget) -> bool:
    elsewhere.setFocus()
    qtbot.waitUntil(elsewhere.hasFocus, timeout=1000)
    before = widget.grab().toImage()
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus, timeout=1000)
    return widget.grab().toImage() != before


def test_every_kind_of_control_shows_the_keyboard_focus(qtbot, app_style):
    page = QWidget()
    layout = QVBoxLayout(page)
    flat = QPushButton("‹ Segments")
    flat.setFlat(True)
    tool = QToolButton()
    tool.setText("Actions")
    combo = QComboBox()
    combo.addItems(["Active", "Archived"])
    listing = QListWidget()
    listing.addItems(["One", "Two"])
    table = QTableWidget(2, 2)
    controls = [QPushButton("Create"), flat, tool, QLineEdit("Search"), combo, QCheckBox("Archived"),
                QRadioButton("Day"), QSpinBox(), QDateEdit(), listing, table]
    anchor = QLineEdit()
    for w in [anchor, *controls]:
        layout.addWidget(w)
    qtbot.addWidget(page)
    page.show()
    page.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is page, timeout=3000)
    unchanged = [type(w).__name__ for w in controls if not looks_focused(qtbot, w, anchor)]
    assert unchanged == []
