"""Distribution bar charts: one segment's bars beside its summary list (name, count, percentage), and
grouped bars for several segments. Each shows an empty state when there is nothing to count."""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from segstudio.core.series import Bar, distribution_empty, empty_message
from segstudio.widgets.charts.growth import PALETTE
from segstudio.widgets.charts.rows_model import RowsModel


def _plot() -> pg.PlotWidget:
    plot = pg.PlotWidget()
    plot.setBackground("w")
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    plot.showGrid(y=True, alpha=0.2)
    plot.setMinimumHeight(150)
    return plot


MAX_TICK_LABELS = 6


def _ticks(plot: pg.PlotWidget, labels: Sequence[str]) -> None:
    """Names under the bars while they fit; past that, numbers that match the summary list's order."""
    if len(labels) <= MAX_TICK_LABELS:
        ticks = [(i, label if len(label) <= 12 else label[:11] + "…") for i, label in enumerate(labels)]
    else:
        ticks = [(i, str(i + 1)) for i in range(len(labels))]
    plot.getAxis("bottom").setTicks([ticks])


class DistributionChart(QWidget):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.heading = QLabel(f"<b>{title}</b>")
        self.plot = _plot()
        self.summary = RowsModel(("Name", "Customers", "%"), self, right_aligned=(1, 2))
        self.table = QTableView()
        self.table.setModel(self.summary)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setFixedWidth(250)
        self.empty = QLabel(empty_message(title))
        self.empty.setObjectName("chartEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        body = QWidget()
        row = QHBoxLayout(body)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.plot, 1)
        row.addWidget(self.table)
        self.stack = QStackedWidget()
        self.stack.addWidget(body)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.stack, 1)

    def set_bars(self, bars: Sequence[Bar]) -> None:
        self.plot.clear()
        numbered = len(bars) > MAX_TICK_LABELS
        self.summary.set_rows([(f"{i}. {b.label}" if numbered else b.label, *b.summary[1:])
                               for i, b in enumerate(bars, 1)])
        if not bars or distribution_empty(bars):
            self.stack.setCurrentWidget(self.empty)
            return
        self.stack.setCurrentIndex(0)
        self.plot.addItem(pg.BarGraphItem(x=list(range(len(bars))), height=[b.count for b in bars], width=0.6,
                                          brush=PALETTE[0], pen=None))
        _ticks(self.plot, [b.label for b in bars])
        self.plot.setXRange(-0.6, len(bars) - 0.4, padding=0)
        self.plot.setYRange(0, max(b.count for b in bars) * 1.1, padding=0)

    @property
    def is_empty(self) -> bool:
        return self.stack.currentWidget() is self.empty


class GroupedBarChart(QWidget):
    """Percentages of several segments per label, side by side (sizes differ, so shares compare)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = _plot()
        self.plot.setLabel("left", "% of segment")
        self.legend = self.plot.addLegend(offset=(10, 5))
        self.empty = QLabel("Nothing to compare yet: the chosen segments have no members.")
        self.empty.setObjectName("chartEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.plot)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def set_groups(self, names: Sequence[str], groups: Sequence[Sequence[Bar]]) -> None:
        self.plot.clear()
        self.legend.clear()
        labels: list[str] = []
        for bars in groups:
            labels += [b.label for b in bars if b.label not in labels]
        if not labels or all(distribution_empty(g) for g in groups):
            self.stack.setCurrentWidget(self.empty)
            return
        self.stack.setCurrentWidget(self.plot)
        n = max(1, len(groups))
        width = 0.8 / n
        for i, (name, bars) in enumerate(zip(names, groups, strict=True)):
            by_label = {b.label: b.percent for b in bars}
            xs = [j - 0.4 + width * (i + 0.5) for j in range(len(labels))]
            item = pg.BarGraphItem(x=xs, height=[by_label.get(label, 0.0) for label in labels], width=width * 0.9,
                                   brush=PALETTE[i % len(PALETTE)], pen=None, name=name)
            self.plot.addItem(item)
            self.legend.addItem(item, name)
        _ticks(self.plot, labels)
        self.plot.setXRange(-0.6, len(labels) - 0.4, padding=0)
        self.plot.setYRange(0, 105, padding=0)

    @property
    def is_empty(self) -> bool:
        return self.stack.currentWidget() is self.empty
