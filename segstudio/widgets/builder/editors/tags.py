"""A tag-style editor for several typed values ("is any of Jakarta, Bali"): each value is a chip with a ✕, new
ones are typed into a line with the server's suggestions and added with Enter or a comma.

Chosen for the served value shape "list" on fields without fixed options; fields with options keep the
checklist (`options.MultiEditor`), whose options are the whole choice.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QSizePolicy, QToolButton, QWidget

from segstudio.core.catalog import FieldSpec, ValueKind
from segstudio.widgets.builder.editors.base import SuggestFn, ValueEditor, route_undo
from segstudio.widgets.builder.editors.text import Suggester

# The server refuses more than this many values in one condition; the editor stops offering to add more.
MAX_TAGS = 100
# Room kept for typing; chips that do not fit beside it are counted ("+3") and listed in the tooltip.
LINE_ROOM = 90
MORE_ROOM = 32


def added_values(values: list[str], typed: str) -> list[str]:
    """`values` plus the comma-separated pieces of `typed`, blanks dropped and repeats (ignoring case) once."""
    out = list(values)
    seen = {v.lower() for v in out}
    for piece in typed.split(","):
        piece = piece.strip()
        if piece and piece.lower() not in seen and len(out) < MAX_TAGS:
            out.append(piece)
            seen.add(piece.lower())
    return out


class TagEditor(ValueEditor):
    kind = ValueKind.MULTI

    def __init__(self, spec: FieldSpec, suggest: SuggestFn | None = None, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self._values: list[str] = []
        self.chip_buttons: list[QToolButton] = []  # one per value, in order
        self.chips = QWidget(self)
        self.chips.setObjectName("tagChips")
        self._chips_layout = QHBoxLayout(self.chips)
        self._chips_layout.setContentsMargins(0, 0, 0, 0)
        self._chips_layout.setSpacing(4)
        self._layout.addWidget(self.chips)
        self.more = QLabel(self)  # "+3": chips past the first few, all of them in its tooltip
        self.more.setObjectName("tagMore")
        self.more.hide()
        self._layout.addWidget(self.more)
        self.line = QLineEdit(self)
        self.line.setObjectName("tagInput")
        self.line.setPlaceholderText("Type a value, Enter to add")
        self.line.setMinimumWidth(140)
        route_undo(self.line)
        self._layout.addWidget(self.line, 1)
        self.suggester = Suggester(self.line, spec.key, suggest)
        self.suggester.completer.activated.connect(self._add_from_completer)
        self.line.textEdited.connect(self._on_typed)
        self.line.returnPressed.connect(self._commit_line)
        self.setFocusProxy(self.line)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    @property
    def values(self) -> list[str]:
        return list(self._values)

    def _on_typed(self, text: str) -> None:
        if "," in text:
            self._commit_line()
        else:
            self.suggester.schedule()

    def _add_from_completer(self, text: str) -> None:
        self.line.setText(text)
        self._commit_line()

    def _commit_line(self) -> None:
        new = added_values(self._values, self.line.text())
        self.line.clear()
        if new != self._values:
            self._set(new, emit=True)

    def remove(self, value: str) -> None:
        self._set([v for v in self._values if v != value], emit=True)

    def _set(self, values: list[str], *, emit: bool) -> None:
        self._values = values
        for old in self.chip_buttons:
            self._chips_layout.removeWidget(old)
            old.hide()
            old.deleteLater()  # not now: a chip's own click may be what removes it
        self.chip_buttons = []
        for value in values:
            chip = QToolButton(self.chips)
            chip.setObjectName("tagChip")
            chip.setText(f"{value}  ✕")
            chip.setToolTip(f"Remove {value}")
            chip.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            chip.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            chip.ensurePolished()  # the style sheet's padding counts in the size
            chip.setMinimumWidth(chip.sizeHint().width() + 10)
            chip.clicked.connect(lambda _checked=False, v=value: self.remove(v))
            self._chips_layout.addWidget(chip)
            self.chip_buttons.append(chip)
        self.more.setToolTip(", ".join(values))
        self.line.setEnabled(len(values) < MAX_TAGS)
        self._fit()
        if emit:
            self.edited.emit(tuple(values))

    def _fit(self) -> None:
        """Show the chips that fit beside the typing room, in order; count the rest."""
        room = self.width() - LINE_ROOM - MORE_ROOM
        used = shown = 0
        for chip in self.chip_buttons:
            width = chip.minimumWidth() + self._chips_layout.spacing()
            fits = shown == len(self.chip_buttons) - 1 and used + width <= room + MORE_ROOM or used + width <= room
            chip.setVisible(fits and shown == self.chip_buttons.index(chip))
            if chip.isVisibleTo(self):
                used += width
                shown += 1
        hidden = len(self.chip_buttons) - shown
        self.more.setText(f"+{hidden}")
        self.more.setVisible(hidden > 0)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """Room for every chip (the row gives it when it can); `_fit` copes with less."""
        chips = sum(c.minimumWidth() + self._chips_layout.spacing() for c in self.chip_buttons)
        return QSize(chips + LINE_ROOM + MORE_ROOM + 60, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(LINE_ROOM + MORE_ROOM, super().minimumSizeHint().height())

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit()

    def set_value(self, value: Any) -> None:
        values = [str(v) for v in value] if isinstance(value, list | tuple) else []
        if values != self._values:
            self._set(values, emit=False)

    def part_widget(self, part: str) -> QWidget:
        return self.line

    def cleanup(self) -> None:
        self.suggester.cleanup()
