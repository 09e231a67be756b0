"""The live preview: how many customers match, the readable summary, and the first customers."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from segstudio.core.backend import PreviewResult

EMPTY_TEXT = "No customers match your filters. Recheck the filters you have applied and refresh."
PREFERRED_COLUMNS = ("full_name", "id", "source", "email", "phone")
MAX_COLUMNS = 5


def column_title(key: str) -> str:
    if key == "id":
        return "Customer ID"
    if " " in key:  # a field's served label (the rules' value columns): shown as served
        return key
    return key.replace("_", " ").replace(".", " · ").capitalize()


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return ", ".join(cell_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(cell_text(v) for v in value.values() if v not in (None, ""))
    return str(value)


class PreviewPanel(QFrame):
    refreshRequested = Signal()  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("previewPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(8)
        top = QHBoxLayout()
        title = QLabel("Preview customers", self)
        title.setObjectName("panelTitle")
        top.addWidget(title)
        top.addStretch(1)
        self.busy = QProgressBar(self)
        self.busy.setObjectName("busy")
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setFixedSize(72, 6)
        self.busy.setToolTip("Updating the preview…")
        self.busy.setVisible(False)
        top.addWidget(self.busy)
        self.refresh = QPushButton("Refresh", self)
        self.refresh.setToolTip("Evaluate the filters again now")
        self.refresh.clicked.connect(self.refreshRequested)
        top.addWidget(self.refresh)
        layout.addLayout(top)
        self.counts = QLabel("", self)
        self.counts.setObjectName("previewCounts")
        self.counts.setWordWrap(True)
        layout.addWidget(self.counts)
        self.summary = QLabel("", self)
        self.summary.setObjectName("previewSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.summary)
        self.note = QLabel("", self)
        self.note.setObjectName("previewNote")
        self.note.setWordWrap(True)
        self.note.hide()
        layout.addWidget(self.note)
        self.stack = QStackedWidget(self)
        self.table = QTableWidget(0, 0, self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.horizontalHeader().setHighlightSections(False)
        self.empty = QLabel(EMPTY_TEXT, self)
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = QLabel("", self)
        self.message.setObjectName("previewMessage")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for w in (self.table, self.empty, self.message):
            self.stack.addWidget(w)
        layout.addWidget(self.stack, 1)
        self.sample_note = QLabel("", self)
        self.sample_note.setObjectName("stepHint")
        self.sample_note.setWordWrap(True)
        self.sample_note.hide()
        layout.addWidget(self.sample_note)
        self.result: PreviewResult | None = None
        self.show_waiting("The preview appears here as soon as a condition is complete.")

    def set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.counts.setEnabled(not busy)

    def set_left_out(self, count: int) -> None:
        if count:
            self.note.setText(f"{count} incomplete condition{'s are' if count != 1 else ' is'} "
                              "left out of this preview.")
        self.note.setVisible(bool(count))

    def show_message(self, text: str) -> None:
        self.sample_note.hide()
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    def show_waiting(self, text: str) -> None:
        """Nothing to preview (no complete condition): no numbers from an earlier tree are left on show."""
        self.result = None
        self.counts.setText("")
        self.summary.setText("")
        self.summary.hide()
        self.message.setProperty("error", False)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.show_message(text)

    def show_error(self, text: str) -> None:
        """A failed preview; the last good numbers stay dimmed so the user keeps their bearings."""
        self.counts.setEnabled(False)
        self.show_message(text)
        self.message.setProperty("error", True)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    def show_result(self, result: PreviewResult, summary: str) -> None:
        self.result = result
        self.message.setProperty("error", False)
        self.counts.setEnabled(True)
        self.counts.setText(f"Filter results from {result.total_customers:,} customers · "
                            f"<b>{result.matched:,} matched</b>")
        self.summary.setText(result.summary or summary)
        self.summary.show()
        shown = len(result.sample)
        # The server sends the first 20; say so, so a short table is not read as the whole audience.
        self.sample_note.setText(f"Showing {shown:,} of {result.matched:,} matched customers" if shown else "")
        self.sample_note.setVisible(0 < shown < result.matched)
        if result.matched == 0 or not result.sample:
            self.stack.setCurrentWidget(self.empty if result.matched == 0 else self.message)
            if result.matched:
                self.show_message("You cannot see the matched customers with your permissions.")
            return
        columns = self._columns(result.sample)
        self.table.clear()
        self.table.setColumnCount(len(columns))
        self.table.setRowCount(len(result.sample))
        self.table.setHorizontalHeaderLabels([column_title(c) for c in columns])
        for r, row in enumerate(result.sample):
            for c, key in enumerate(columns):
                self.table.setItem(r, c, QTableWidgetItem(cell_text(row.get(key))))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.stack.setCurrentWidget(self.table)

    def customer_id(self, row: int) -> str | None:
        """The id of the sample's customer on table row `row` (for "Why?")."""
        sample = self.result.sample if self.result is not None else []
        return str(sample[row].get("id")) if 0 <= row < len(sample) and sample[row].get("id") else None

    @staticmethod
    def _columns(sample: list[dict[str, Any]]) -> list[str]:
        keys: list[str] = []
        for row in sample:
            for key in row:
                if key not in keys:
                    keys.append(key)
        ordered = [k for k in PREFERRED_COLUMNS if k in keys] + [k for k in keys if k not in PREFERRED_COLUMNS]
        return ordered[:MAX_COLUMNS]
