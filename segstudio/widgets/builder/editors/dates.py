"""The calendar date editor; an untouched editor holds no date rather than today's."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QWidget

from segstudio.core.catalog import FieldSpec, ValueKind
from segstudio.widgets.builder.editors.base import ValueEditor

_NO_DATE = QDate(1900, 1, 1)


class DateEditor(ValueEditor):
    kind = ValueKind.DATE

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.date = QDateEdit(self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setMinimumDate(_NO_DATE)
        self.date.setSpecialValueText("Pick a date")
        self.date.setDate(_NO_DATE)
        self.date.setMinimumWidth(130)
        self.date.calendarWidget().setSelectedDate(QDate.currentDate())
        self._layout.addWidget(self.date)
        self.date.dateChanged.connect(self._on_change)
        self.setFocusProxy(self.date)

    def _on_change(self, date: QDate) -> None:
        self.edited.emit(None if date == _NO_DATE else date.toString("yyyy-MM-dd"))

    def set_value(self, value: Any) -> None:
        date = QDate.fromString(value, "yyyy-MM-dd") if isinstance(value, str) else _NO_DATE
        self.date.blockSignals(True)
        self.date.setDate(date if date.isValid() else _NO_DATE)
        self.date.blockSignals(False)

    def part_widget(self, part: str) -> QWidget:
        return self.date
