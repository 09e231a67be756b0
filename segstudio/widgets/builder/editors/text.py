"""Editors for one typed or chosen value, with the server's value suggestions offered as the user types."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from PySide6.QtCore import QStringListModel, Qt, QTimer
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QWidget

from segstudio.core.catalog import FieldSpec, ValueKind
from segstudio.widgets.builder.editors.base import SuggestFn, ValueEditor, route_undo

SUGGEST_DELAY_MS = 250


class Suggester:
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
        self.suggester = Suggester(self.line, spec.key, suggest if spec.suggestions else None)
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
        self.suggester: Suggester | None = None
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
            self.suggester = Suggester(line, spec.key, suggest if spec.suggestions else None)
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
