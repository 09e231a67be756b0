"""pyqtgraph charts: segment size growth over a date axis, and distribution bars with a summary list."""

from segstudio.widgets.charts.bars import DistributionChart, GroupedBarChart
from segstudio.widgets.charts.growth import GrowthChart
from segstudio.widgets.charts.rows_model import RowsModel

__all__ = ["DistributionChart", "GroupedBarChart", "GrowthChart", "RowsModel"]
