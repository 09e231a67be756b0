"""What every value editor shares: the `ValueEditor` interface, invalid-input marking, and routing Ctrl+Z to
the builder's undo rather than a line edit's own."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QWidget

from segstudio.core.catalog import FieldSpec, ValueKind

SuggestFn = Callable[[str, str], Awaitable[list[str]]]


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


def text_width(widget: QWidget, text: str) -> int:
    """Pixels `text` needs in `widget`'s font, plus a line edit's frame and margins."""
    extra = 0
    if isinstance(widget, QLineEdit):
        margins = widget.textMargins()
        extra = margins.left() + margins.right() + 14
    return widget.fontMetrics().horizontalAdvance(text) + extra


class ValueEditor(QWidget):
    """`edited(value)` on every change; `settled()` when a typed value is complete (Enter, leaving the box, a
    suggestion picked, or a pause on text that is not the start of a known value), for the live preview."""

    edited = Signal(object)
    settled = Signal()
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

    def tab_widgets(self) -> list[QWidget]:
        """The inputs Tab visits, in order (the row chains them between the operator and the match box)."""
        return []

    def typing(self) -> bool:
        """Whether a value is being typed and not complete yet (the preview waits for it)."""
        return False

    def set_operator(self, operator: str | None) -> None:
        """The condition's operator, for editors whose behaviour depends on it (kept across operator changes
        that keep the editor)."""

    def cleanup(self) -> None:
        """Stop timers and pending look-ups before the row goes away."""


class NoValueEditor(ValueEditor):
    kind = ValueKind.NONE
