"""The date editor: a box that takes a typed date (ISO, compact or the locale's short form) and a calendar
button; an untouched editor holds no date rather than today's.

A plain line edit rather than QDateEdit: a date edit's sections ignore typing over a set date, its
"special value" placeholder is real text the keys get appended to, and its calendar opens at the minimum date.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QLocale, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCalendarWidget, QFrame, QLineEdit, QToolButton, QVBoxLayout, QWidget

from segstudio.core.catalog import FieldSpec, ValueKind
from segstudio.core.value_text import date_value, parse_date_text
from segstudio.widgets.builder.editors.base import ValueEditor, route_undo, text_width

ISO = "yyyy-MM-dd"


def short_date_pattern() -> str:
    return QLocale().dateFormat(QLocale.FormatType.ShortFormat)


class _DateLine(QLineEdit):
    """F4 opens the calendar, as in a combo box (Alt+Down is the builder's "move the row down")."""

    def __init__(self, editor: DateEditor) -> None:
        super().__init__(editor)
        self._editor = editor

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_F4:
            self._editor.open_calendar()
            return
        super().keyPressEvent(event)


class DateEditor(ValueEditor):
    kind = ValueKind.DATE

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self._layout.setSpacing(0)
        self.line = _DateLine(self)
        self.line.setPlaceholderText("YYYY-MM-DD")
        example = QDate(2024, 12, 31).toString(short_date_pattern())
        self.line.setToolTip(f"Type a date as 2024-12-31 or {example}, or pick one (F4)")
        self.line.setFixedWidth(text_width(self.line, "2024-12-31") + 8)
        route_undo(self.line)
        self.button = QToolButton(self)
        self.button.setArrowType(Qt.ArrowType.DownArrow)
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keyboard opens the calendar with F4
        self.button.setToolTip("Pick a date from a calendar")
        self.button.clicked.connect(self.open_calendar)
        self._layout.addWidget(self.line)
        self._layout.addWidget(self.button)
        self._popup = QFrame(self, Qt.WindowType.Popup)
        self._popup.setFrameShape(QFrame.Shape.StyledPanel)
        popup_layout = QVBoxLayout(self._popup)
        popup_layout.setContentsMargins(2, 2, 2, 2)
        self.calendar = QCalendarWidget(self._popup)
        self.calendar.setGridVisible(False)
        popup_layout.addWidget(self.calendar)
        self.calendar.clicked.connect(self._picked)
        self.calendar.activated.connect(self._picked)
        self.line.textEdited.connect(self._on_edit)
        self.line.editingFinished.connect(self._tidy)
        self.setFocusProxy(self.line)

    def _parse(self, text: str) -> date | None:
        return parse_date_text(text, short_date_pattern())

    def _on_edit(self, text: str) -> None:
        self.edited.emit(date_value(text, short_date_pattern()))

    def _tidy(self) -> None:
        # Show how a typed date was read ("1/2/24" → "2024-01-02"), so a day/month mix-up is seen at once.
        parsed = self._parse(self.line.text())
        if parsed is not None and self.line.text() != parsed.isoformat():
            self.line.setText(parsed.isoformat())

    def open_calendar(self) -> None:
        parsed = self._parse(self.line.text())
        shown = QDate(parsed.year, parsed.month, parsed.day) if parsed else QDate.currentDate()
        self.calendar.setSelectedDate(shown)
        self.calendar.setCurrentPage(shown.year(), shown.month())
        self._popup.adjustSize()
        self._popup.move(self.line.mapToGlobal(QPoint(0, self.line.height())))
        self._popup.show()
        self.calendar.setFocus()

    def _picked(self, day: QDate) -> None:
        self._popup.hide()
        self.line.setText(day.toString(ISO))
        self.line.setFocus()
        self.edited.emit(day.toString(ISO))

    def set_value(self, value: Any) -> None:
        current = date_value(self.line.text(), short_date_pattern())
        if current == value:
            return  # what the user typed stays as typed while it means the same date
        self.line.setText("" if value is None else str(value))

    def part_widget(self, part: str) -> QWidget:
        return self.line

    def tab_widgets(self) -> list[QWidget]:
        return [self.line]

    def cleanup(self) -> None:
        self._popup.hide()
