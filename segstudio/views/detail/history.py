"""The History tab: every saved revision, the difference between any two, and Restore (asked first).

The difference is computed in `segstudio.core.revision_diff`; this tab only shows it and emits
`restoreConfirmed(revision)` once the user confirms, for the detail page to call the server.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from segstudio.client.models import Revision
from segstudio.core import figures
from segstudio.core.revision_diff import NO_WORDS, Words, change_lines, diff_revisions

COLUMNS = ("Revision", "Saved", "By", "Rules")


class HistoryTab(QWidget):
    restoreConfirmed = Signal(int)

    def __init__(self, tz: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tz = tz
        self.revisions: list[Revision] = []
        self.words = NO_WORDS
        self.can_restore = False
        self.confirm_box: QMessageBox | None = None
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.table = QTableView()
        self.table.setObjectName("revisionTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.restore_button = QPushButton("Restore this revision…")
        self.restore_button.setObjectName("restoreRevision")
        self.older = QComboBox()
        self.older.setObjectName("diffFrom")
        self.newer = QComboBox()
        self.newer.setObjectName("diffTo")
        self.diff = QListWidget()
        self.diff.setObjectName("revisionDiff")
        compare = QHBoxLayout()
        compare.addWidget(QLabel("Compare"))
        compare.addWidget(self.older)
        compare.addWidget(QLabel("with"))
        compare.addWidget(self.newer)
        compare.addStretch(1)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 3)
        layout.addLayout(actions)
        layout.addLayout(compare)
        layout.addWidget(self.diff, 2)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_restore())
        self.older.currentIndexChanged.connect(lambda _: self.show_difference())
        self.newer.currentIndexChanged.connect(lambda _: self.show_difference())
        self.restore_button.clicked.connect(self.confirm_restore)
        self._update_restore()

    def set_words(self, words: Words) -> None:
        self.words = words
        self.show_difference()

    def set_can_restore(self, allowed: bool) -> None:
        self.can_restore = allowed
        self.restore_button.setVisible(allowed)
        self._update_restore()

    def show_revisions(self, revisions: list[Revision]) -> None:
        """Newest first, as served; the comparison starts at the previous revision against the newest."""
        self.revisions = list(revisions)
        self.model.removeRows(0, self.model.rowCount())
        for r in self.revisions:
            label = f"#{r.revision}" + (f" (restored #{r.restored_from})" if r.restored_from else "")
            cells = [label, figures.local_time(r.edited_at, self.tz), r.edited_by,
                     r.summary or "(rules no longer readable)"]
            items = [QStandardItem(text) for text in cells]
            items[3].setToolTip(r.summary or "")
            self.model.appendRow(items)
        for combo in (self.older, self.newer):
            combo.blockSignals(True)
            combo.clear()
            for r in self.revisions:
                combo.addItem(f"#{r.revision} · {figures.local_time(r.edited_at, self.tz)}", r.revision)
            combo.blockSignals(False)
        self.newer.setCurrentIndex(0)
        self.older.setCurrentIndex(min(1, len(self.revisions) - 1))
        self.show_difference()
        self._update_restore()

    def selected(self) -> Revision | None:
        rows = self.table.selectionModel().selectedRows()
        return self.revisions[rows[0].row()] if rows and rows[0].row() < len(self.revisions) else None

    def _by_number(self, number: object) -> Revision | None:
        return next((r for r in self.revisions if r.revision == number), None)

    def show_difference(self) -> None:
        old, new = self._by_number(self.older.currentData()), self._by_number(self.newer.currentData())
        self.diff.clear()
        if old is None or new is None:
            return
        for line in change_lines(diff_revisions(old, new, self.words)):
            self.diff.addItem(line)

    def _update_restore(self) -> None:
        chosen = self.selected()
        newest = self.revisions[0].revision if self.revisions else None
        self.restore_button.setEnabled(self.can_restore and chosen is not None and chosen.revision != newest)
        self.restore_button.setToolTip("" if chosen is None or chosen.revision != newest
                                       else "This is the current revision.")

    def confirm_restore(self) -> QMessageBox | None:
        chosen = self.selected()
        if chosen is None or not self.can_restore:
            return None
        box = QMessageBox(QMessageBox.Icon.Question, "Restore revision",
                          f"Restore revision #{chosen.revision} (“{chosen.name}”)? It becomes a new revision and "
                          "the segment is evaluated again.", QMessageBox.StandardButton.Cancel, self)
        ok = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setObjectName("restoreConfirm")
        number = chosen.revision

        def finished(_: int) -> None:
            self.confirm_box = None
            if box.clickedButton() is ok:
                self.restoreConfirmed.emit(number)
            box.deleteLater()

        box.finished.connect(finished)
        self.confirm_box = box
        box.open()
        return box
