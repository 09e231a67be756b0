"""Issue 14 item 11: charts show no bare axes before there is data, every bar keeps a readable name that
overlaps no other (the age buckets and "Unknown" included), and the wheel over a chart scrolls the page."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QImage, QPainter, QWheelEvent
from PySide6.QtWidgets import QApplication, QScrollArea, QVBoxLayout, QWidget

from segstudio.core.series import Bar
from segstudio.views.compare import CompareView
from segstudio.widgets.charts import DistributionChart, GroupedBarChart, GrowthChart

pytestmark = pytest.mark.qt

AGES = [Bar("<21", 3, 10.0), Bar("21-30", 9, 30.0), Bar("31-40", 6, 20.0), Bar("41-50", 3, 10.0),
        Bar(">51", 3, 10.0), Bar("Unknown", 6, 20.0)]


def drawn_names(plot) -> list[tuple[str, object]]:
    """The texts pyqtgraph paints on the names axis, with their rectangles, as it would paint them now."""
    axis = plot.getAxis("left")
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        specs = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [(text, rect) for rect, _, text in specs[2]]


def assert_readable(qtbot, plot, labels: list[str]) -> None:
    # The names axis widens to its longest name after its first paint; wait for that settled layout.
    qtbot.waitUntil(lambda: sorted(t for t, _ in drawn_names(plot)) == sorted(labels), timeout=3000)
    texts = drawn_names(plot)
    for i, (_, a) in enumerate(texts):
        for _, b in texts[i + 1:]:
            assert not a.intersects(b), "names do not overlap"


def test_compare_page_shows_no_bare_axes_before_comparing(qtbot):
    view = CompareView(client=None, connection=None, tz="Asia/Jakarta")  # type: ignore[arg-type]
    view.load = lambda: None  # type: ignore[method-assign]  # no server here: only the empty page is drawn
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    assert not view.growth.plot.isVisible() and view.growth.empty.isVisible()
    assert not view.bars.plot.isVisible() and view.bars.empty.isVisible()
    for chart in (GrowthChart(), DistributionChart("Segment age"), GroupedBarChart()):
        qtbot.addWidget(chart)
        assert chart.is_empty


@pytest.mark.parametrize("width", [330, 700])
def test_age_names_are_all_drawn_without_overlap(qtbot, width):
    chart = DistributionChart("Segment age")
    qtbot.addWidget(chart)
    chart.resize(width, 220)
    chart.show()
    chart.set_bars(AGES)
    qtbot.waitExposed(chart)
    qtbot.wait(20)
    assert_readable(qtbot, chart.plot, [b.label for b in AGES])


def test_grouped_names_are_all_drawn_without_overlap(qtbot):
    chart = GroupedBarChart()
    qtbot.addWidget(chart)
    chart.resize(600, 260)
    chart.show()
    chart.set_groups(["A", "B", "C"], [AGES, AGES[:3], AGES[2:]])
    qtbot.waitExposed(chart)
    qtbot.wait(20)
    assert_readable(qtbot, chart.plot, [b.label for b in AGES])


def test_the_wheel_over_a_chart_scrolls_the_page(qtbot):
    page = QWidget()
    column = QVBoxLayout(page)
    charts = [DistributionChart(f"Chart {i}") for i in range(4)]
    for chart in charts:
        chart.setMinimumHeight(260)
        chart.set_bars(AGES)
        column.addWidget(chart)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(page)
    qtbot.addWidget(scroll)
    scroll.resize(500, 400)
    scroll.show()
    qtbot.waitExposed(scroll)
    bar = scroll.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == 0
    target = charts[0].plot.viewport()
    centre = target.rect().center()
    event = QWheelEvent(QPointF(centre), QPointF(target.mapToGlobal(centre)), QPoint(0, 0), QPoint(0, -120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(target, event)
    # Qt hands an ignored wheel event on to the parent (the scroll area) when it comes from the system; a
    # synthetic one is not propagated, so the test checks that the chart let it go.
    assert not event.isAccepted(), "the chart leaves the wheel to the page"
