"""Type-aware value editors for one condition row, chosen by the `ValueKind` of the field and operator.

Each editor shows a value and emits `edited(value)` when the user changes it; `set_value` updates the display
with signals blocked so the document and the widget never ping-pong. Editors keep what the user typed even
when it is not valid yet (letters in a number field reach the document as text, where validation flags it).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from segstudio.core.catalog import FieldSpec, ValueKind
from segstudio.core.validation import parse_number

SuggestFn = Callable[[str, str], Awaitable[list[str]]]
SUGGEST_DELAY_MS = 250
_NO_DATE = QDate(1900, 1, 1)


class UndoRouter(QObject):
    """Lets Ctrl+Z / Ctrl+Shift+Z reach the builder's undo instead of a line edit's own little undo stack."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.ShortcutOverride:
            key_event: Any = event
            if (key_event.matches(QKeySequence.StandardKey.Undo) or key_event.matches(QKeySequence.StandardKey.Redo)
                    or (key_event.key() == Qt.Key.Key_Z and key_event.modifiers()
                        == (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier))):
                return True
        return False


UNDO_ROUTER: UndoRouter | None = None


def route_undo(widget: QWidget) -> None:
    global UNDO_ROUTER
    if UNDO_ROUTER is None:
        UNDO_ROUTER = UndoRouter()
    widget.installEventFilter(UNDO_ROUTER)


def mark_invalid(widget: QWidget, invalid: bool, message: str = "") -> None:
    if widget.property("invalid") != invalid:
        widget.setProperty("invalid", invalid)
        widget.style().unpolish(widget)
        widget.style().polish(widget)
    widget.setToolTip(message)


class ValueEditor(QWidget):
    edited = Signal(object)
    kind = ValueKind.NONE

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)

    def set_value(self, value: Any) -> None:
        """Show `value` without emitting `edited`."""

    def part_widget(self, part: str) -> QWidget:
        """The input a validation part ("value", "value.0", "value.1") refers to."""
        return self

    def focus_input(self) -> None:
        self.setFocus()

    def cleanup(self) -> None:
        """Stop timers and pending look-ups before the row goes away."""


class NoValueEditor(ValueEditor):
    kind = ValueKind.NONE


class _Suggester:
    """Debounced value suggestions for a line edit; only the newest answer fills the completer."""

    def __init__(self, line: QLineEdit, key: str, suggest: SuggestFn | None) -> None:
        self._line = line
        self._key = key
        self._suggest = suggest
        self._model = QStringListModel(line)
        self._completer = QCompleter(self._model, line)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setFilterMode(Qt.MatchFlag.MatchContains)
        line.setCompleter(self._completer)
        self._timer = QTimer(line)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SUGGEST_DELAY_MS)
        self._timer.timeout.connect(self._fetch)
        self._generation = 0
        self._task: asyncio.Future[Any] | None = None
        self.completer = self._completer

    def schedule(self) -> None:
        if self._suggest is not None:
            self._timer.start()

    def _fetch(self) -> None:
        if self._suggest is None:
            return
        self._generation += 1
        generation = self._generation
        if self._task is not None and not self._task.done():
            self._task.cancel()
        try:
            self._task = asyncio.ensure_future(self._run(generation, self._line.text()))
        except RuntimeError:  # no event loop (a bare widget in a designer); suggestions are a nicety
            self._task = None

    async def _run(self, generation: int, text: str) -> None:
        assert self._suggest is not None
        try:
            values = await self._suggest(self._key, text)
        except asyncio.CancelledError:
            return
        except Exception:  # noqa: BLE001 - a failed suggestion look-up must not disturb typing
            return
        if generation != self._generation:
            return
        with contextlib.suppress(RuntimeError):  # the row was deleted while the answer was on its way
            self._model.setStringList(values)
            if self._line.hasFocus() and values:
                self._completer.setCompletionPrefix(self._line.text())
                self._completer.complete()

    def cleanup(self) -> None:
        self._timer.stop()
        self._generation += 1
        if self._task is not None and not self._task.done():
            self._task.cancel()


class TextEditor(ValueEditor):
    kind = ValueKind.TEXT

    def __init__(self, spec: FieldSpec, suggest: SuggestFn | None = None, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.line = QLineEdit(self)
        self.line.setPlaceholderText("Enter a value")
        self.line.setClearButtonEnabled(True)
        self.line.setMinimumWidth(130)
        route_undo(self.line)
        self._layout.addWidget(self.line)
        self.suggester = _Suggester(self.line, spec.key, suggest if spec.suggestions else None)
        self.line.textEdited.connect(self._on_edit)
        self.suggester.completer.activated.connect(lambda text: self.edited.emit(text))
        self.setFocusProxy(self.line)

    def _on_edit(self, text: str) -> None:
        self.edited.emit(text if text else None)
        self.suggester.schedule()

    def set_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        if self.line.text() != text:
            self.line.blockSignals(True)
            self.line.setText(text)
            self.line.blockSignals(False)

    def part_widget(self, part: str) -> QWidget:
        return self.line

    def focus_input(self) -> None:
        self.line.setFocus()

    def cleanup(self) -> None:
        self.suggester.cleanup()


class ChoiceEditor(ValueEditor):
    """One value from the catalog's options; fields without fixed options offer the server's suggestions."""

    kind = ValueKind.CHOICE

    def __init__(self, spec: FieldSpec, suggest: SuggestFn | None = None, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.combo = QComboBox(self)
        self.combo.setMinimumWidth(130)
        self.combo.setPlaceholderText("Choose a value")
        self._layout.addWidget(self.combo)
        self.suggester: _Suggester | None = None
        if spec.options is not None:
            self.combo.addItems(list(spec.options))
            self.combo.setCurrentIndex(-1)
            self.combo.activated.connect(lambda i: self.edited.emit(self.combo.itemText(i)))
        else:
            self.combo.setEditable(True)
            self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            line = self.combo.lineEdit()
            line.setPlaceholderText("Choose or type a value")
            route_undo(line)
            self.suggester = _Suggester(line, spec.key, suggest if spec.suggestions else None)
            line.textEdited.connect(self._on_typed)
            self.suggester.completer.activated.connect(lambda text: self.edited.emit(text))
        self.setFocusProxy(self.combo)

    def _on_typed(self, text: str) -> None:
        self.edited.emit(text or None)
        if self.suggester is not None:
            self.suggester.schedule()

    def set_value(self, value: Any) -> None:
        self.combo.blockSignals(True)
        if self.combo.isEditable():
            text = "" if value is None else str(value)
            if self.combo.currentText() != text:
                self.combo.setEditText(text)
        else:
            self.combo.setCurrentIndex(-1 if value is None else self.combo.findText(str(value)))
        self.combo.blockSignals(False)

    def part_widget(self, part: str) -> QWidget:
        return self.combo

    def cleanup(self) -> None:
        if self.suggester is not None:
            self.suggester.cleanup()


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


class BooleanEditor(ValueEditor):
    kind = ValueKind.BOOLEAN

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.combo = QComboBox(self)
        self.combo.setPlaceholderText("true / false")
        self.combo.addItem("true", True)
        self.combo.addItem("false", False)
        self.combo.setCurrentIndex(-1)
        self._layout.addWidget(self.combo)
        self.combo.activated.connect(lambda i: self.edited.emit(self.combo.itemData(i)))
        self.setFocusProxy(self.combo)

    def set_value(self, value: Any) -> None:
        self.combo.blockSignals(True)
        self.combo.setCurrentIndex(-1 if not isinstance(value, bool) else (0 if value else 1))
        self.combo.blockSignals(False)

    def part_widget(self, part: str) -> QWidget:
        return self.combo


class _ChecklistPopup(QFrame):
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
        self.button.setSizePolicy(self.button.sizePolicy().horizontalPolicy(),
                                  self.button.sizePolicy().verticalPolicy())
        self._layout.addWidget(self.button)
        self.popup = _ChecklistPopup(list(spec.options or ()), self)
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

    def part_widget(self, part: str) -> QWidget:
        if part == "value.1":
            return self.high.part_widget("value")
        if part == "value.0":
            return self.low.part_widget("value")
        return self


def make_editor(spec: FieldSpec, operator: str | None, suggest: SuggestFn | None,
                parent: QWidget | None = None) -> ValueEditor:
    kind = spec.value_kind(operator)
    if kind is ValueKind.TEXT:
        return TextEditor(spec, suggest, parent)
    if kind is ValueKind.CHOICE:
        return ChoiceEditor(spec, suggest, parent)
    if kind is ValueKind.MULTI:
        return MultiEditor(spec, parent)
    if kind is ValueKind.NUMBER:
        return NumberEditor(spec, parent)
    if kind in (ValueKind.NUMBER_RANGE, ValueKind.DATE_RANGE):
        return RangeEditor(spec, kind, parent)
    if kind is ValueKind.DATE:
        return DateEditor(spec, parent)
    if kind is ValueKind.DAYS:
        return DaysEditor(spec, parent)
    if kind is ValueKind.BOOLEAN:
        return BooleanEditor(spec, parent)
    return NoValueEditor(spec, parent)
