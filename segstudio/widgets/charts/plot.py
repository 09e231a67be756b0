"""The plot every chart draws on: white, fixed (no pan or zoom), and transparent to the mouse wheel.

pyqtgraph's view takes wheel events even with the mouse disabled, so a page with charts stopped scrolling
whenever the pointer was over one (issue 14); the wheel now goes on to the scroll area around the chart.
"""

from __future__ import annotations

from typing import Any

import pyqtgraph as pg
from PySide6.QtGui import QWheelEvent


class ChartPlot(pg.PlotWidget):
    def __init__(self, *args: Any, min_height: int = 150, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setBackground("w")
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.setMinimumHeight(min_height)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt API
        event.ignore()
