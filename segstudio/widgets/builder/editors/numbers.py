"""Editors for numbers: amounts and percentages typed as text and shown grouped the locale's way, and whole
days for relative dates."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QLocale, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from segstudio.core.catalog import FieldSpec, ValueKind
from segstudio.core.value_text import NumberFormat, days_value, format_number, number_value
from segstudio.widgets.builder.editors.base import ValueEditor, route_undo, text_width

# The widest value a box shows whole (wider ones scroll inside it): a between box reads "500,000,000".
WIDEST_NUMBER = 500_000_000


def locale_numbers() -> NumberFormat:
    locale = QLocale()
    return NumberFormat(locale.groupSeparator(), locale.decimalPoint())


class NumberEditor(ValueEditor):
    """A number typed as text: anything else stays visible and is flagged "Enter a number". Leaving the box
    (and any update from the document) shows the number grouped the locale's way: 1,000,000."""

    kind = ValueKind.NUMBER

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None, placeholder: str | None = None) -> None:
        super().__init__(spec, parent)
        self.line = QLineEdit(self)
        self.line.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        width = text_width(self.line, format_number(WIDEST_NUMBER, locale_numbers()))
        self.line.setFixedWidth(width + 4)
        self.line.setPlaceholderText(placeholder or {"currency": "Amount", "percentage": "0–100"}.get(spec.type, "0"))
        route_undo(self.line)
        self._layout.addWidget(self.line)
        if spec.type == "percentage":
            self._layout.addWidget(QLabel("%", self))
        self.line.textEdited.connect(self._on_edit)
        self.line.editingFinished.connect(self._tidy)
        self.setFocusProxy(self.line)

    @staticmethod
    def parse(text: str) -> Any:
        return number_value(text, locale_numbers())

    @staticmethod
    def display(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return format_number(value, locale_numbers())
        return str(value)

    def _on_edit(self, text: str) -> None:
        self.edited.emit(self.parse(text))

    def _tidy(self) -> None:
        shown = self.display(self.parse(self.line.text()))
        if shown != self.line.text():
            self.line.setText(shown)

    def set_value(self, value: Any) -> None:
        if self.parse(self.line.text()) == value:
            return  # the user's own spelling stays while typing; it is tidied on leaving the box
        shown = self.display(value)
        if shown != self.line.text():
            self.line.setText(shown)

    def part_widget(self, part: str) -> QWidget:
        return self.line

    def tab_widgets(self) -> list[QWidget]:
        return [self.line]


class _DaysLine(QLineEdit):
    """Digits only; Up and Down step by one day as a spin box would."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not event.modifiers():
            current = days_value(self.text())
            base = current if isinstance(current, int) else 0
            step = 1 if event.key() == Qt.Key.Key_Up else -1
            self.setText(str(max(0, base + step)))
            self.textEdited.emit(self.text())
            return
        if event.text() and event.text().isprintable() and not event.text().isdigit() and not (
                event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)):
            return  # letters cannot be typed at all
        super().keyPressEvent(event)


class DaysEditor(ValueEditor):
    """A whole number of days for the relative date operators, typed straight away."""

    kind = ValueKind.DAYS

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.line = _DaysLine(self)
        self.line.setPlaceholderText("N")
        self.line.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.line.setMaxLength(5)
        self.line.setFixedWidth(text_width(self.line, "36500") + 8)
        route_undo(self.line)
        self._layout.addWidget(self.line)
        self.unit = QLabel("days", self)
        self._layout.addWidget(self.unit)
        self.line.textEdited.connect(lambda text: self.edited.emit(days_value(text)))
        self.setFocusProxy(self.line)

    def set_value(self, value: Any) -> None:
        if days_value(self.line.text()) == value:
            return
        self.line.setText("" if value is None else str(value))

    def part_widget(self, part: str) -> QWidget:
        return self.line

    def tab_widgets(self) -> list[QWidget]:
        return [self.line]
