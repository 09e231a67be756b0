"""The Performance tab: segment size growth (All time / Last 7 days / Last 30 days) and four distributions."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from segstudio.client.models import SegmentPerformance
from segstudio.core import figures
from segstudio.core.flows import flow_bars
from segstudio.core.series import DISTRIBUTIONS, RANGES, bars, growth_series
from segstudio.widgets.charts import DistributionChart, GrowthChart

TWO_COLUMNS_FROM = 1100  # px of tab width: two charts side by side from here


class PerformanceTab(QWidget):
    rangeChanged = Signal(str)

    def __init__(self, tz: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tz = tz
        self.range = QComboBox()
        self.range.setObjectName("growthRange")
        for key, label in RANGES:
            self.range.addItem(label, key)
        self.updated = QLabel()
        self.updated.setObjectName("performanceUpdated")
        self.growth = GrowthChart(tz)
        self.growth.setMinimumHeight(240)
        self.charts: dict[str, DistributionChart] = {key: DistributionChart(title) for key, title in DISTRIBUTIONS}
        top = QHBoxLayout()
        top.addWidget(QLabel("<b>Segment size growth</b>"))
        top.addStretch(1)
        top.addWidget(self.updated)
        top.addWidget(self.range)
        grid = self.grid = QGridLayout()
        self._columns = 0
        for chart in self.charts.values():
            chart.setMinimumHeight(210)
        self._arrange(2)
        content = QWidget()
        column = QVBoxLayout(content)
        column.addLayout(top)
        column.addWidget(self.growth)
        column.addLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.range.currentIndexChanged.connect(lambda _: self.rangeChanged.emit(self.range.currentData()))

    def _arrange(self, columns: int) -> None:
        """Two charts to a row on a wide screen, one on a narrow one (the bars keep a readable width)."""
        if columns == self._columns:
            return
        self._columns = columns
        for i, chart in enumerate(self.charts.values()):
            self.grid.removeWidget(chart)
            self.grid.addWidget(chart, i // columns, i % columns)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        self._arrange(2 if event.size().width() >= TWO_COLUMNS_FROM else 1)
        super().resizeEvent(event)

    @property
    def range_key(self) -> str:
        return str(self.range.currentData())

    def show_performance(self, perf: SegmentPerformance) -> None:
        # The server already limits the history to the range; filtering again keeps the chart honest when
        # an answer for an older range arrives late.
        range_key = perf.range or self.range_key
        self.growth.set_series([("Customers", growth_series(perf.growth, range_key))],
                               flows=flow_bars(perf.growth, range_key))
        self.updated.setText(f"Last updated {figures.local_time(perf.last_updated, self.tz)}")
        for key, chart in self.charts.items():
            chart.set_bars(bars(getattr(perf, key)))

    def cleanup(self) -> None:
        self.growth.cleanup()
