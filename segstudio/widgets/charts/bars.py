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
from segstudio.widgets.charts.plot import ChartPlot
from segstudio.widgets.charts.rows_model import RowsModel

# Bars lie horizontally with their names on the left axis: names never overlap or drop out at the plot's
# edge however narrow the chart (issue 14: the age labels overlapped and "Unknown" lost its label).
ROW_HEIGHT = 22
NAME_CHARACTERS = 18


def _plot(value_label: str | None = None) -> ChartPlot:
    plot = ChartPlot()
    plot.showGrid(x=True, alpha=0.2)
    plot.invertY(True)  # the first bar at the top, in the summary list's order
    if value_label:
        plot.setLabel("bottom", value_label)
    return plot


def tick_name(label: str) -> str:
    return label if len(label) <= NAME_CHARACTERS else label[:NAME_CHARACTERS - 1] + "…"


def _layout_rows(plot: ChartPlot, labels: Sequence[str], high: float) -> None:
    """One row per name, tall enough for its text; the plot grows with the rows (the page scrolls)."""
    plot.getAxis("left").setTicks([[(i, tick_name(label)) for i, label in enumerate(labels)]])
    plot.setMinimumHeight(max(150, ROW_HEIGHT * len(labels) + 60))
    plot.setYRange(-0.6, len(labels) - 0.4, padding=0)
    plot.setXRange(0, high, padding=0)


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
        self.stack.setCurrentWidget(self.empty)  # until there are bars: no bare axes
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.stack, 1)

    def set_bars(self, bars: Sequence[Bar]) -> None:
        self.plot.clear()
        self.summary.set_rows([b.summary for b in bars])
        if not bars or distribution_empty(bars):
            self.stack.setCurrentWidget(self.empty)
            return
        self.stack.setCurrentIndex(0)
        self.plot.addItem(pg.BarGraphItem(x0=0, y=list(range(len(bars))), width=[b.count for b in bars],
                                          height=0.6, brush=PALETTE[0], pen=None))
        _layout_rows(self.plot, [b.label for b in bars], max(b.count for b in bars) * 1.1)
        # The chart grows with its rows (a caller's fixed minimum would clip the lower bars).
        self.setMinimumHeight(self.plot.minimumHeight() + self.heading.sizeHint().height() + 6)

    @property
    def is_empty(self) -> bool:
        return self.stack.currentWidget() is self.empty


class GroupedBarChart(QWidget):
    """Percentages of several segments per label, side by side (sizes differ, so shares compare)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = _plot("% of segment")
        self.legend = self.plot.addLegend(offset=(-10, 5))
        self.empty = QLabel("Nothing to compare yet: the chosen segments have no members.")
        self.empty.setObjectName("chartEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.plot)
        self.stack.addWidget(self.empty)
        self.stack.setCurrentWidget(self.empty)  # until something is compared: no bare axes
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
        thickness = 0.8 / n
        for i, (name, bars) in enumerate(zip(names, groups, strict=True)):
            by_label = {b.label: b.percent for b in bars}
            ys = [j - 0.4 + thickness * (i + 0.5) for j in range(len(labels))]
            item = pg.BarGraphItem(x0=0, y=ys, width=[by_label.get(label, 0.0) for label in labels],
                                   height=thickness * 0.9, brush=PALETTE[i % len(PALETTE)], pen=None, name=name)
            self.plot.addItem(item)
            self.legend.addItem(item, name)
        _layout_rows(self.plot, labels, 105)
        self.plot.setMinimumHeight(max(150, int(ROW_HEIGHT * len(labels) * max(1, n / 2)) + 60))
        self.setMinimumHeight(self.plot.minimumHeight())

    @property
    def is_empty(self) -> bool:
        return self.stack.currentWidget() is self.empty
