"""Editors that pick from fixed options: true/false, and a checklist for contains any / contains all."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFrame, QListWidget, QListWidgetItem, QToolButton, QVBoxLayout, QWidget

from segstudio.core.catalog import FieldSpec, ValueKind
from segstudio.widgets.builder.editors.base import ValueEditor


class BooleanEditor(ValueEditor):
    kind = ValueKind.BOOLEAN

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.combo = QComboBox(self)
        # The catalog's words when it has them (consent reads "Opted in / Opted out"), else true / false.
        yes, no = spec.value_label(True), spec.value_label(False)
        self.combo.setPlaceholderText(f"{yes} / {no}")
        self.combo.addItem(yes, True)
        self.combo.addItem(no, False)
        self.combo.setCurrentIndex(-1)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._layout.addWidget(self.combo)
        self.combo.activated.connect(lambda i: self.edited.emit(self.combo.itemData(i)))
        self.setFocusProxy(self.combo)

    def set_value(self, value: Any) -> None:
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(-1 if not isinstance(value, bool) else (0 if value else 1))
        self.combo.blockSignals(False)

    def part_widget(self, part: str) -> QWidget:
        return self.combo

    def tab_widgets(self) -> list[QWidget]:
        return [self.combo]


class ChecklistPopup(QFrame):
    changed = Signal(list)

    def __init__(self, options: list[str], parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.list = QListWidget(self)
        for option in options:
            item = QListWidgetItem(option, self.list)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.list.itemChanged.connect(lambda _item: self.changed.emit(self.checked()))
        layout.addWidget(self.list)

    def checked(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())
                if self.list.item(i).checkState() == Qt.CheckState.Checked]

    def set_checked(self, values: list[str]) -> None:
        self.list.blockSignals(True)
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.text() in values else Qt.CheckState.Unchecked)
        self.list.blockSignals(False)


class MultiEditor(ValueEditor):
    """A checklist of the field's options for contains any / contains all."""

    kind = ValueKind.MULTI

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.button = QToolButton(self)
        self.button.setMinimumWidth(160)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self._layout.addWidget(self.button)
        self.popup = ChecklistPopup(list(spec.options or ()), self)
        self.popup.changed.connect(self._on_change)
        self.button.clicked.connect(self.open_popup)
        self._values: list[str] = []
        self._refresh_text()
        self.setFocusProxy(self.button)

    def open_popup(self) -> None:
        self.popup.set_checked(self._values)
        self.popup.resize(max(self.button.width(), 180), min(28 * max(self.popup.list.count(), 1) + 12, 260))
        self.popup.move(self.button.mapToGlobal(self.button.rect().bottomLeft()))
        self.popup.show()
        self.popup.list.setFocus()

    def _on_change(self, values: list[str]) -> None:
        self._values = values
        self._refresh_text()
        self.edited.emit(tuple(values))

    def _refresh_text(self) -> None:
        if not self._values:
            self.button.setText("Choose options ▾")
        elif len(self._values) <= 2:
            self.button.setText(", ".join(self._values) + " ▾")
        else:
            self.button.setText(f"{', '.join(self._values[:2])} +{len(self._values) - 2} ▾")
        self.button.setToolTip(", ".join(self._values))

    def set_value(self, value: Any) -> None:
        self._values = [str(v) for v in value] if isinstance(value, list | tuple) else []
        self.popup.set_checked(self._values)
        self._refresh_text()

    def part_widget(self, part: str) -> QWidget:
        return self.button

    def tab_widgets(self) -> list[QWidget]:
        return [self.button]
