"""Segment size over time: a line per series on a date axis, a read-out of the point under the pointer,
and an empty state in place of the plot when there is nothing to draw."""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from segstudio.core.flows import FlowBars, time_window
from segstudio.core.series import GROWTH_EMPTY, GrowthSeries, hover_text
from segstudio.widgets.charts.plot import ChartPlot

PALETTE = ("#2563eb", "#f97316", "#16a34a", "#db2777", "#7c3aed", "#0891b2")
ENTERED_COLOR = "#86efac"
LEFT_COLOR = "#fca5a5"


class GrowthChart(QWidget):
    def __init__(self, tz: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tz = tz
        self.series: list[tuple[str, GrowthSeries]] = []
        self.flows: FlowBars | None = None
        self._drawn = False
        self.plot = ChartPlot(axisItems={"bottom": pg.DateAxisItem(orientation="bottom")}, min_height=200)
        self.plot.setObjectName("growthPlot")
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.plot.setLabel("left", "Customers")
        self.legend = self.plot.addLegend(offset=(10, 10))
        self.readout = QLabel(" ")
        self.readout.setObjectName("growthReadout")
        self.empty = QLabel(GROWTH_EMPTY)
        self.empty.setObjectName("growthEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.plot)
        self.stack.addWidget(self.empty)
        # Empty until a series is drawn: a bare date axis over 0..1 read "00.100 … 00.900" (issue 14).
        self.stack.setCurrentWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.readout)
        self.plot.scene().sigMouseMoved.connect(self._moved)

    def set_series(self, series: Sequence[tuple[str, GrowthSeries]], flows: FlowBars | None = None) -> None:
        """Lines of segment size; `flows` stacks who entered (below) and left (above it) under the first line."""
        self.series = [(name, s) for name, s in series]
        self.flows = flows if flows is not None and not flows.empty else None
        self.plot.clear()
        self.legend.clear()
        self.legend.setVisible(len(self.series) > 1 or self.flows is not None)
        drawn = False
        if self.flows is not None:
            f = self.flows
            self.plot.addItem(pg.BarGraphItem(x=f.centers, height=f.entered, width=f.width, brush=ENTERED_COLOR,
                                              pen=None, name="Entered"))
            self.plot.addItem(pg.BarGraphItem(x=f.centers, y0=f.entered, height=f.left, width=f.width,
                                              brush=LEFT_COLOR, pen=None, name="Left"))
        for i, (name, s) in enumerate(self.series):
            if s.empty:
                continue
            color = PALETTE[i % len(PALETTE)]
            self.plot.plot(s.xs, s.ys, name=name, pen=pg.mkPen(color, width=2),
                           symbol="o", symbolSize=6, symbolBrush=color, symbolPen=None)
            drawn = True
        self._drawn = drawn
        self.stack.setCurrentWidget(self.plot if drawn else self.empty)
        self.readout.setText(" ")
        if drawn:
            self._fit()

    def _fit(self) -> None:
        """Sizes start at zero; time ends at the last evaluation (core.flows.time_window), never in the future."""
        ys = [y for _, s in self.series for y in s.ys]
        if self.flows is not None:
            ys += [a + b for a, b in zip(self.flows.entered, self.flows.left, strict=True)]
        window = time_window([s for _, s in self.series])
        assert window is not None  # only called when a series was drawn
        self.plot.setXRange(*window, padding=0)
        self.plot.setYRange(0, max(max(ys), 1) * 1.15, padding=0)

    @property
    def is_empty(self) -> bool:
        """True until a series with at least one point is drawn."""
        return not self._drawn

    def readout_at(self, x: float) -> str:
        parts = []
        for name, s in self.series:
            text = hover_text(s, x, self.tz)
            if text:
                parts.append(f"{name} — {text}" if len(self.series) > 1 else text)
        return " · ".join(parts)

    def _moved(self, position: QPointF) -> None:
        if self.is_empty or not self.plot.sceneBoundingRect().contains(position):
            return
        x = self.plot.getPlotItem().vb.mapSceneToView(position).x()
        self.readout.setText(self.readout_at(x) or " ")

    def cleanup(self) -> None:
        self.plot.scene().sigMouseMoved.disconnect(self._moved)
