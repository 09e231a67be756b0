"""Editors for one typed or chosen value, with the server's value suggestions offered as the user types."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QWidget

from segstudio.core.catalog import FieldSpec, ValueKind
from segstudio.widgets.builder.editors.base import SuggestFn, ValueEditor, route_undo

SUGGEST_DELAY_MS = 250
# A typed value counts as complete after this pause (or at once on Enter, Tab or a picked suggestion).
SETTLE_DELAY_MS = 700
# Operators that compare the whole value: a pause on the start of a known value does not settle it.
EXACT_OPERATORS = frozenset({"is", "is_not"})


class Suggester:
    """Debounced value suggestions for a line edit; only the newest answer fills the completer."""

    def __init__(self, line: QLineEdit, key: str, suggest: SuggestFn | None,
                 on_values: Callable[[list[str]], None] | None = None) -> None:
        self._line = line
        self._on_values = on_values
        self.known: set[str] = set()
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
        self._list_task: asyncio.Future[Any] | None = None
        self.completer = self._completer

    def schedule(self) -> None:
        if self._suggest is not None:
            self._timer.start()

    def list_all(self) -> None:
        """Ask for the field's values now, whatever is typed (a dropdown lists them when it opens)."""
        if self._suggest is None:
            return
        try:
            self._list_task = asyncio.ensure_future(self._list())
        except RuntimeError:  # no event loop (a bare widget in a designer)
            self._list_task = None

    async def _list(self) -> None:
        assert self._suggest is not None
        try:
            values = await self._suggest(self._key, "")
        except Exception:  # noqa: BLE001 - the list is a nicety; typing still works without it
            return
        with contextlib.suppress(RuntimeError):  # the row was deleted while the answer was on its way
            self.known.update(values)
            if self._on_values is not None:
                self._on_values(values)

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
            self.known.update(values)
            self._model.setStringList(values)
            if self._line.hasFocus() and values:
                self._completer.setCompletionPrefix(self._line.text())
                self._completer.complete()

    def cleanup(self) -> None:
        self._timer.stop()
        self._generation += 1
        for task in (self._task, self._list_task):
            if task is not None and not task.done():
                task.cancel()


class TypingTracker(QObject):
    """Whether a typed value is still being typed: from a key until Enter, leaving the box, a picked
    suggestion, or a pause. With `hold_prefixes`, a pause on the start of a known value ("Jak" of "Jakarta")
    does not count: an exact-match value that is only half typed would preview as "0 matched"."""

    settled = Signal()

    def __init__(self, line: QLineEdit, known: Callable[[], set[str]], hold_prefixes: bool) -> None:
        super().__init__(line)
        self._line = line
        self._known = known
        self.hold_prefixes = hold_prefixes
        self.active = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_DELAY_MS)
        self._timer.timeout.connect(self._paused)
        line.textEdited.connect(self.start)
        line.editingFinished.connect(self.finish)

    def start(self) -> None:
        self.active = True
        self._timer.start()

    def _paused(self) -> None:
        text = self._line.text().strip().lower()
        values = {v.lower() for v in self._known()}
        if self.hold_prefixes and text and text not in values and any(v.startswith(text) for v in values):
            return  # still the start of a known value: wait for Enter, Tab or the rest of it
        self.finish()

    def finish(self) -> None:
        self._timer.stop()
        if self.active:
            self.active = False
            self.settled.emit()

    def stop(self) -> None:
        self._timer.stop()
        self.active = False


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
        self.tracker = TypingTracker(self.line, lambda: self.suggester.known, hold_prefixes=False)
        self.tracker.settled.connect(self.settled)
        self.suggester.completer.activated.connect(self._picked)
        self.setFocusProxy(self.line)

    def _picked(self, text: str) -> None:
        self.edited.emit(text)
        self.tracker.finish()

    def typing(self) -> bool:
        return self.tracker.active

    def set_operator(self, operator: str | None) -> None:
        # "is Wo" would match nothing while "Won" is being typed; "contains Wo" already matches what it should.
        self.tracker.hold_prefixes = operator in EXACT_OPERATORS

    def tab_widgets(self) -> list[QWidget]:
        return [self.line]

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
        self.tracker.stop()


class _ListingCombo(QComboBox):
    """Says when it is about to open, so the field's values can be listed in it."""

    opening = Signal()
    want_open = False  # opened before the values arrived: open again when they do

    def showPopup(self) -> None:  # noqa: N802 - Qt API
        self.opening.emit()
        if self.count() == 0:
            self.want_open = True
            return
        super().showPopup()


class ChoiceEditor(ValueEditor):
    """One value from the catalog's options; fields without fixed options offer the server's suggestions."""

    kind = ValueKind.CHOICE

    def __init__(self, spec: FieldSpec, suggest: SuggestFn | None = None, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.combo = _ListingCombo(self)
        self.combo.setMinimumWidth(130)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.combo.setPlaceholderText("Choose a value")
        self._layout.addWidget(self.combo)
        self.suggester: Suggester | None = None
        self.tracker: TypingTracker | None = None
        self._listed = False
        if spec.options is not None:
            self.combo.addItems(list(spec.options))
            self.combo.setCurrentIndex(-1)
            self.combo.activated.connect(lambda i: self.edited.emit(self.combo.itemText(i)))
        else:
            self.combo.setEditable(True)
            self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            line = self.combo.lineEdit()
            line.setPlaceholderText("Choose or type a value")
            # Wide enough for the placeholder: an empty box must not read "Choose or type …".
            self.combo.setMinimumWidth(line.fontMetrics().horizontalAdvance(line.placeholderText()) + 40)
            route_undo(line)
            self.suggester = Suggester(line, spec.key, suggest if spec.suggestions else None,
                                       on_values=self._fill)
            line.textEdited.connect(self._on_typed)
            suggester = self.suggester
            self.tracker = TypingTracker(line, lambda: suggester.known, hold_prefixes=True)
            self.tracker.settled.connect(self.settled)
            self.suggester.completer.activated.connect(self._picked)
            self.combo.activated.connect(lambda i: self._picked(self.combo.itemText(i)))
            line.returnPressed.connect(self.tracker.finish)
            self.combo.opening.connect(self._list_values)
            self.combo.installEventFilter(self)
        self.setFocusProxy(self.combo)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.FocusIn:
            self._list_values()
        return False

    def _list_values(self) -> None:
        # The values are asked for once, when the box is first used, so that opening it lists them.
        if not self._listed and self.suggester is not None:
            self._listed = True
            self.suggester.list_all()

    def _fill(self, values: list[str]) -> None:
        was_open = self.combo.view().isVisible() or self.combo.want_open
        self.combo.want_open = False
        text = self.combo.currentText()
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItems(values)
        self.combo.setCurrentIndex(-1)
        self.combo.setEditText(text)
        self.combo.blockSignals(False)
        if was_open:
            self.combo.showPopup()  # again, sized to the values that just arrived

    def _picked(self, text: str) -> None:
        if not shiboken6.isValid(self):
            return  # a combo box of a row already deleted still reported its last key
        self.edited.emit(text)
        if self.tracker is not None:
            self.tracker.finish()

    def typing(self) -> bool:
        return self.tracker is not None and self.tracker.active

    def tab_widgets(self) -> list[QWidget]:
        return [self.combo]

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
        if self.tracker is not None:
            self.tracker.stop()
