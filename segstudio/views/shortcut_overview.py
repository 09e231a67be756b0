"""Help → Keyboard shortcuts (Ctrl+/): every command that has keys, by menu, with where it applies.

Generated from the command table through the same key resolution the actions use (`views/actions.py`), so it
cannot drift from what the keys do.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from segstudio.core.commands import COMMANDS, ESCAPE_BACK, OverviewRow, overview_rows
from segstudio.views.actions import key_sequences, key_text


def rows() -> list[OverviewRow]:
    keys = {c.id: key_text(key_sequences(c, escape=c.id == "view.back")) for c in COMMANDS}
    return [replace(r, where=f"{r.where} (Esc: {', '.join(ESCAPE_BACK)})") if r.text == "Back" else r
            for r in overview_rows(COMMANDS, keys)]


class ShortcutOverview(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutOverview")
        self.setWindowTitle("Keyboard shortcuts — Segment Studio")
        self.resize(820, 600)
        intro = QLabel("Shortcuts of the menu bar and the pages. Tab and Shift+Tab move between controls; "
                       "the control with the keyboard has a blue outline.")
        intro.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("shortcutTree")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Action", "Keys", "Where"])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.rows = rows()
        menu = None
        for row in self.rows:
            if row.menu != menu:
                menu = row.menu
                heading = QTreeWidgetItem([menu, "", ""])
                font = heading.font(0)
                font.setBold(True)
                heading.setFont(0, font)
                heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.tree.addTopLevelItem(heading)
            self.tree.addTopLevelItem(QTreeWidgetItem([row.text, row.keys, row.where]))
        for column in range(2):
            self.tree.resizeColumnToContents(column)
        self.tree.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(buttons)
        self.tree.setFocus()

    def listed(self) -> dict[str, str]:
        """{action text: keys} as shown (for tests)."""
        return {r.text: r.keys for r in self.rows}
