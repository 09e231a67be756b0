"""The `between` editor: a low and a high number or date editor side by side."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from segstudio.core.catalog import FieldSpec, ValueKind
from segstudio.widgets.builder.editors.base import ValueEditor
from segstudio.widgets.builder.editors.dates import DateEditor
from segstudio.widgets.builder.editors.numbers import NumberEditor


class RangeEditor(ValueEditor):
    """Two inputs for `between`: numbers or dates, low and high, both inclusive."""

    def __init__(self, spec: FieldSpec, kind: ValueKind, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.kind = kind
        if kind is ValueKind.NUMBER_RANGE:
            self.low: ValueEditor = NumberEditor(spec, self, placeholder="From")
            self.high: ValueEditor = NumberEditor(spec, self, placeholder="To")
        else:
            self.low = DateEditor(spec, self)
            self.high = DateEditor(spec, self)
        self._layout.addWidget(self.low)
        self._layout.addWidget(QLabel("and", self))
        self._layout.addWidget(self.high)
        self._pair: list[Any] = [None, None]
        self.low.edited.connect(lambda v: self._on_edit(0, v))
        self.high.edited.connect(lambda v: self._on_edit(1, v))
        self.setFocusProxy(self.low)

    def _on_edit(self, i: int, value: Any) -> None:
        self._pair[i] = value
        self.edited.emit(tuple(self._pair))

    def set_value(self, value: Any) -> None:
        pair = list(value)[:2] if isinstance(value, list | tuple) else [value, None]
        pair += [None] * (2 - len(pair))
        self._pair = pair
        self.low.set_value(pair[0])
        self.high.set_value(pair[1])

    def tab_widgets(self) -> list[QWidget]:
        return self.low.tab_widgets() + self.high.tab_widgets()

    def cleanup(self) -> None:
        self.low.cleanup()
        self.high.cleanup()

    def part_widget(self, part: str) -> QWidget:
        if part == "value.1":
            return self.high.part_widget("value")
        if part == "value.0":
            return self.low.part_widget("value")
        return self
