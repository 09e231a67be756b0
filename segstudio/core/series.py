"""Chart data for the performance and compare screens: growth series over a date axis, bars, summaries."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from segstudio.core.figures import count, local_time, percent

RANGES = (("all", "All time"), ("7d", "Last 7 days"), ("30d", "Last 30 days"))
RANGE_DAYS = {"all": None, "7d": 7, "30d": 30}
DISTRIBUTIONS = (("source", "Segment source"), ("province", "Segment domicile"), ("age", "Segment age"),
                 ("gender", "Segment gender"))


@dataclass(frozen=True)
class GrowthSeries:
    xs: list[float]  # POSIX seconds, what pyqtgraph's DateAxisItem reads
    ys: list[int]
    times: list[datetime]

    @property
    def empty(self) -> bool:
        return not self.xs


def _get(point: Any, key: str) -> Any:
    return point.get(key) if isinstance(point, Mapping) else getattr(point, key)


def _aware(at: datetime | str) -> datetime:
    if isinstance(at, str):
        at = datetime.fromisoformat(at.replace("Z", "+00:00"))
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def growth_series(points: Iterable[Any], range_key: str = "all", now: datetime | None = None) -> GrowthSeries:
    """Points (`at`, `member_count`) in time order, within the range; a point without a count is skipped."""
    days = RANGE_DAYS[range_key]
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days) if days is not None else None
    rows = sorted(((_aware(_get(p, "at")), _get(p, "member_count")) for p in points), key=lambda r: r[0])
    rows = [(at, n) for at, n in rows if n is not None and (cutoff is None or at >= cutoff)]
    return GrowthSeries([at.timestamp() for at, _ in rows], [int(n) for _, n in rows], [at for at, _ in rows])


def nearest_index(xs: Sequence[float], x: float) -> int | None:
    if not xs:
        return None
    return min(range(len(xs)), key=lambda i: abs(xs[i] - x))


def hover_text(series: GrowthSeries, x: float, tz: str | None) -> str | None:
    """The read-out under the pointer: the nearest evaluation's time (organisation's timezone) and size."""
    i = nearest_index(series.xs, x)
    if i is None:
        return None
    return f"{local_time(series.times[i], tz)}: {count(series.ys[i])} customers"


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    percent: float

    @property
    def summary(self) -> tuple[str, str, str]:
        return self.label, count(self.count), percent(self.percent)


def bars(shares: Iterable[Any]) -> list[Bar]:
    return [Bar(str(_get(s, "label")), int(_get(s, "count")), float(_get(s, "percent"))) for s in shares]


def distribution_empty(items: Sequence[Bar]) -> bool:
    return sum(b.count for b in items) == 0


def empty_message(title: str) -> str:
    return f"No data for {title.lower()} yet: the segment has no members."


GROWTH_EMPTY = "No growth history yet. The chart fills in as the segment is evaluated."
