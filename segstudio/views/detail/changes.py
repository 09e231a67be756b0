"""The Entered & left tab: per evaluation, how many customers entered and left; their names on demand, paged.

Widgets only show and emit: `namesRequested(evaluation_id, change, page)`; the page loads them
(`segstudio.views.detail.changes_presenter`)."""

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
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from segstudio.client.models import ChangesPage, Evaluation
from segstudio.core import figures

COLUMNS = ("Evaluated", "Reason", "Size", "Entered", "Left")
CHANGES = (("entered", "Who entered"), ("left", "Who left"))


def _n(value: int | None) -> str:
    return figures.DASH if value is None else figures.count(value)


class ChangesTab(QWidget):
    namesRequested = Signal(int, str, int)

    def __init__(self, tz: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tz = tz
        self.evaluations: list[Evaluation] = []
        self.page = 1
        self.pages = 1
        self.model = QStandardItemModel(0, len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        self.table = QTableView()
        self.table.setObjectName("evaluationChanges")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.which = QComboBox()
        self.which.setObjectName("changeKind")
        for key, label in CHANGES:
            self.which.addItem(label, key)
        self.names = QListWidget()
        self.names.setObjectName("changedCustomers")
        self.hint = QLabel("Choose an evaluation to see who entered and left.")
        self.hint.setObjectName("changesHint")
        self.hint.setWordWrap(True)
        self.prev_button = QPushButton("‹ Previous")
        self.next_button = QPushButton("Next ›")
        self.page_label = QLabel()
        pager = QHBoxLayout()
        pager.addWidget(self.which)
        pager.addStretch(1)
        pager.addWidget(self.page_label)
        pager.addWidget(self.prev_button)
        pager.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 3)
        layout.addLayout(pager)
        layout.addWidget(self.hint)
        layout.addWidget(self.names, 2)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.request(1))
        self.which.currentIndexChanged.connect(lambda _: self.request(1))
        self.prev_button.clicked.connect(lambda: self.request(self.page - 1))
        self.next_button.clicked.connect(lambda: self.request(self.page + 1))
        self._update_pager(0, 0)

    def show_evaluations(self, evaluations: list[Evaluation]) -> None:
        """Succeeded evaluations, newest first; only they change the membership."""
        self.evaluations = [e for e in evaluations if e.status == "succeeded"]
        self.model.removeRows(0, self.model.rowCount())
        for e in self.evaluations:
            self.model.appendRow([QStandardItem(t) for t in (
                figures.local_time(e.finished_at, self.tz), e.reason, _n(e.member_count), _n(e.entered),
                _n(e.left))])
        self.names.clear()

    def selected(self) -> Evaluation | None:
        rows = self.table.selectionModel().selectedRows()
        return self.evaluations[rows[0].row()] if rows and rows[0].row() < len(self.evaluations) else None

    def request(self, page: int) -> None:
        chosen = self.selected()
        if chosen is None or page < 1 or page > self.pages and page != 1:
            return
        self.page = page
        self.namesRequested.emit(chosen.id, str(self.which.currentData()), page)

    def show_names(self, result: ChangesPage, change: str, page_size: int) -> None:
        chosen = self.selected()
        if chosen is None or chosen.id != result.evaluation_id or change != self.which.currentData():
            return  # an answer for an earlier choice
        self.names.clear()
        for item in result.items:
            self.names.addItem(item.full_name or item.customer_id)
        counted = result.entered if change == "entered" else result.left
        hidden = (counted or 0) - result.total
        if hidden > 0:
            self.hint.setText(f"Showing {figures.count(result.total)} of {figures.count(counted or 0)} — your "
                              "access shows customers you own")
        elif result.total == 0:
            self.hint.setText("Nobody " + ("entered." if change == "entered" else "left."))
        else:
            self.hint.setText("")
        self._update_pager(result.total, page_size)

    def _update_pager(self, total: int, page_size: int) -> None:
        self.pages = max(1, -(-total // page_size)) if page_size else 1
        first = (self.page - 1) * page_size + 1 if total else 0
        last = min(total, self.page * page_size) if page_size else 0
        self.page_label.setText(f"{first}–{last} of {figures.count(total)}" if total else "")
        self.prev_button.setEnabled(self.page > 1)
        self.next_button.setEnabled(self.page < self.pages)
