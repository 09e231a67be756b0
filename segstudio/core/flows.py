"""Who entered and left, per evaluation, as the growth chart stacks them under the size line; and the chart's
time window, which ends at the last evaluation (never in the future)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from segstudio.core.series import GrowthSeries, _aware, growth_series

DAY = 86_400.0
MIN_SPAN = 7 * DAY  # a short history still shows a readable week, all of it before the last evaluation
MIN_BAR = DAY / 12  # evaluations minutes apart (create, then edit) still get a visible bar each


@dataclass(frozen=True)
class FlowBars:
    xs: list[float]  # POSIX seconds of each evaluation
    entered: list[int]
    left: list[int]
    width: float  # seconds: bars never overlap their neighbours

    @property
    def centers(self) -> list[float]:
        """Each bar ends at its evaluation, so the last one ends where the time axis does."""
        return [x - self.width / 2 for x in self.xs]

    @property
    def empty(self) -> bool:
        return not any(self.entered) and not any(self.left)


def _get(p: Any, key: str) -> Any:
    return p.get(key) if isinstance(p, dict) else getattr(p, key, None)


def flow_bars(points: Iterable[Any], range_key: str = "all", now: datetime | None = None) -> FlowBars:
    """Entered and left of each evaluation drawn on the growth chart (the same points, the same range)."""
    points = list(points)
    series = growth_series(points, range_key, now)
    by_time: dict[float, tuple[int, int]] = {}
    for p in points:
        at = _get(p, "at")
        if at is not None:
            by_time[series_key(at)] = (int(_get(p, "entered") or 0), int(_get(p, "left") or 0))
    entered = [by_time.get(x, (0, 0))[0] for x in series.xs]
    left = [by_time.get(x, (0, 0))[1] for x in series.xs]
    return FlowBars(list(series.xs), entered, left, bar_width(series.xs))


def series_key(at: datetime) -> float:
    return _aware(at).timestamp()


def bar_width(xs: Sequence[float]) -> float:
    gaps = [b - a for a, b in zip(xs, xs[1:], strict=False) if b > a]
    return max(MIN_BAR, min(min(gaps) * 0.6, DAY * 0.6)) if gaps else DAY * 0.6


def time_window(series: Sequence[GrowthSeries]) -> tuple[float, float] | None:
    """[low, high] of the time axis: high is the last evaluation; at least MIN_SPAN wide, all of it in the past."""
    xs = [x for s in series for x in s.xs]
    if not xs:
        return None
    high = max(xs)
    low = min(min(xs) - bar_width(sorted(xs)), high - MIN_SPAN)
    return low, high
