"""Compare segments: pick two to six, see their size, reach, growth, distributions, key metrics and overlap."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from segstudio.client import ApiClient, ApiError, ClientError, LatestTask, NetworkError
from segstudio.client.models import Comparison, SegmentPage
from segstudio.core import compare_rows
from segstudio.core.series import DISTRIBUTIONS, bars, growth_series
from segstudio.services.network import ConnectionStatus
from segstudio.widgets.charts import GroupedBarChart, GrowthChart, RowsModel

GONE = "One of the chosen segments no longer exists; it may have been deleted. The list has been reloaded."


class CompareView(QWidget):
    def __init__(self, client: ApiClient, connection: ConnectionStatus, tz: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compareView")
        self.client = client
        self.connection = connection
        self.tz = tz
        self.result: Comparison | None = None
        title = QLabel("Compare segments")
        title.setObjectName("pageTitle")
        self.picker = QListWidget()
        self.picker.setObjectName("comparePicker")
        self.picker.setMaximumWidth(220)
        self.compare_button = QPushButton("Compare")
        self.compare_button.setObjectName("compareButton")
        self.compare_button.setEnabled(False)
        self.message = QLabel(compare_rows.selection_problem(0) or "")
        self.message.setObjectName("compareMessage")
        self.message.setWordWrap(True)
        side = QVBoxLayout()
        side.addWidget(QLabel("<b>Segments</b> (tick 2 to 6)"))
        side.addWidget(self.picker, 1)
        side.addWidget(self.compare_button)
        side.addWidget(self.message)

        self.figures = RowsModel(("Figure",), self)
        self.table = QTableView()
        self.table.setObjectName("compareTable")
        self.table.setModel(self.figures)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setMinimumHeight(26 * 13 + 8)
        self.overlap = QLabel()
        self.overlap.setObjectName("compareOverlap")
        self.overlap.setWordWrap(True)
        self.growth = GrowthChart(tz)
        self.growth.setMinimumHeight(220)
        self.distribution = QComboBox()
        self.distribution.setObjectName("compareDistribution")
        for key, label in DISTRIBUTIONS:
            self.distribution.addItem(label, key)
        self.bars = GroupedBarChart()
        self.bars.setMinimumHeight(220)
        results = QWidget()
        column = QVBoxLayout(results)
        column.addWidget(self.table)
        column.addWidget(QLabel("<b>Overlap (customers in both)</b>"))
        column.addWidget(self.overlap)
        column.addWidget(QLabel("<b>Segment size growth</b>"))
        column.addWidget(self.growth)
        row = QHBoxLayout()
        row.addWidget(QLabel("<b>Distribution</b>"))
        row.addWidget(self.distribution)
        row.addStretch(1)
        column.addLayout(row)
        column.addWidget(self.bars)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(results)
        self.scroll = scroll
        body = QHBoxLayout()
        body.addLayout(side)
        body.addWidget(scroll, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title)
        layout.addLayout(body, 1)

        self._segments = LatestTask[SegmentPage](self._segments_loaded, self._failed)
        self._compare = LatestTask[Comparison](self._compared, self._failed)
        self.picker.itemChanged.connect(lambda _: self._selection_changed())
        self.compare_button.clicked.connect(self.compare)
        self.distribution.currentIndexChanged.connect(lambda _: self._show_distribution())

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.load()

    def load(self) -> asyncio.Task[SegmentPage]:
        return self._segments.start(self.client.list_segments(page=1, page_size=100))

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, ApiError) and error.not_found:
            self.message.setText(GONE)
            self.load()
            return
        if isinstance(error, NetworkError):
            self.connection.report(error, retry=self.compare)
        self.message.setText(error.message if isinstance(error, ClientError) else str(error))

    def _segments_loaded(self, page: SegmentPage) -> None:
        checked = set(self.selected_ids())
        self.picker.blockSignals(True)
        self.picker.clear()
        for segment in page.items:
            item = QListWidgetItem(segment.name)
            item.setData(Qt.ItemDataRole.UserRole, segment.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if segment.id in checked else Qt.CheckState.Unchecked)
            self.picker.addItem(item)
        self.picker.blockSignals(False)
        if not page.items:
            self.message.setText("There are no segments to compare yet.")
        self._selection_changed()

    def selected_ids(self) -> list[int | str]:
        return [self.picker.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.picker.count())
                if self.picker.item(i).checkState() == Qt.CheckState.Checked]

    def select(self, ids: list[int | str]) -> None:
        for i in range(self.picker.count()):
            item = self.picker.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in ids
                               else Qt.CheckState.Unchecked)

    def _selection_changed(self) -> None:
        problem = compare_rows.selection_problem(len(self.selected_ids()))
        self.compare_button.setEnabled(problem is None)
        if self.picker.count() and self.message.text() != GONE:
            self.message.setText(problem or "")

    def compare(self) -> asyncio.Task[Comparison] | None:
        ids = self.selected_ids()
        if compare_rows.selection_problem(len(ids)) is not None:
            return None
        self.message.setText("Comparing…")  # also clears an earlier "no longer exists"
        return self._compare.start(self.client.compare_segments(ids))

    def _compared(self, result: Comparison) -> None:
        self.result = result
        self.message.setText("")
        names = [s.name for s in result.segments]
        self.figures.set_rows([[r.label, *r.cells] for r in compare_rows.rows(result.segments, self.tz)],
                              headers=["Figure", *names])
        by_id = {s.segment_id: s.name for s in result.segments}
        self.overlap.setText("\n".join(compare_rows.overlap_lines(result.overlaps, by_id, result.in_all,
                                                                  len(result.segments))))
        self.growth.set_series([(s.name, growth_series(s.growth)) for s in result.segments])
        self._show_distribution()

    def _show_distribution(self) -> None:
        if self.result is None:
            return
        key = self.distribution.currentData()
        segments = self.result.segments
        self.bars.set_groups([s.name for s in segments], [bars(getattr(s.distributions, key)) for s in segments])

    def cleanup(self) -> None:
        self._segments.cancel()
        self._compare.cancel()
        self.growth.cleanup()


__all__ = ["CompareView"]
