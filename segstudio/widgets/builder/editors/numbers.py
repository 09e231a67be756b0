"""Editors for numbers: amounts and percentages typed as text, and whole days for relative dates."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QSpinBox, QWidget

from segstudio.core.catalog import FieldSpec, ValueKind
from segstudio.core.validation import parse_number
from segstudio.widgets.builder.editors.base import ValueEditor, route_undo


class NumberEditor(ValueEditor):
    """A number typed as text: anything else stays visible and is flagged "Enter a number"."""

    kind = ValueKind.NUMBER

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None, placeholder: str | None = None) -> None:
        super().__init__(spec, parent)
        self.line = QLineEdit(self)
        self.line.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.line.setMinimumWidth(90)
        self.line.setMaximumWidth(140)
        self.line.setPlaceholderText(placeholder or {"currency": "Amount", "percentage": "0–100"}.get(spec.type, "0"))
        route_undo(self.line)
        self._layout.addWidget(self.line)
        if spec.type == "percentage":
            self._layout.addWidget(QLabel("%", self))
        self.line.textEdited.connect(self._on_edit)
        self.setFocusProxy(self.line)

    @staticmethod
    def parse(text: str) -> Any:
        if not text.strip():
            return None
        number = parse_number(text)
        return text if number is None else number

    def _on_edit(self, text: str) -> None:
        self.edited.emit(self.parse(text))

    def set_value(self, value: Any) -> None:
        if self.parse(self.line.text()) == value and (value is not None or not self.line.text().strip()):
            return  # the user's own spelling ("1,500") stays as typed
        self.line.blockSignals(True)
        self.line.setText("" if value is None else (str(value) if not isinstance(value, float)
                                                     else f"{value:g}"))
        self.line.blockSignals(False)

    def part_widget(self, part: str) -> QWidget:
        return self.line


class DaysEditor(ValueEditor):
    """A whole number of days for the relative date operators; letters cannot be typed at all."""

    kind = ValueKind.DAYS

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.spin = QSpinBox(self)
        self.spin.setRange(-1, 36_500)
        self.spin.setSpecialValueText("N days")
        self.spin.setSuffix(" days")
        self.spin.setValue(-1)
        self.spin.setMinimumWidth(100)
        self._layout.addWidget(self.spin)
        self.spin.valueChanged.connect(lambda v: self.edited.emit(None if v < 0 else v))
        self.setFocusProxy(self.spin)

    def set_value(self, value: Any) -> None:
        self.spin.blockSignals(True)
        self.spin.setValue(value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else -1)
        self.spin.blockSignals(False)

    def part_widget(self, part: str) -> QWidget:
        return self.spin
