"""The compare screen's table: one row per figure, one column per segment (no Qt)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from segstudio.core import figures

MIN_SEGMENTS = 2
MAX_SEGMENTS = 6


@dataclass(frozen=True)
class CompareRow:
    label: str
    cells: list[str]


def _g(obj: Any, key: str) -> Any:
    return obj.get(key) if isinstance(obj, Mapping) else getattr(obj, key)


def growth_change(growth: Sequence[Any]) -> str:
    """Change in size from the first to the latest evaluation: "+12 (since 01 Mar)"."""
    if len(growth) < 2:
        return figures.DASH
    first, last = _g(growth[0], "member_count"), _g(growth[-1], "member_count")
    if first is None or last is None:
        return figures.DASH
    delta = last - first
    return f"{delta:+,}"


def top_label(shares: Sequence[Any]) -> str:
    present = [s for s in shares if _g(s, "count")]
    if not present:
        return figures.DASH
    best = max(present, key=lambda s: _g(s, "count"))
    return f"{_g(best, 'label')} ({figures.percent(_g(best, 'percent'))})"


def rows(segments: Sequence[Any], tz: str | None = None) -> list[CompareRow]:
    def col(fn: Any) -> list[str]:
        return [fn(s) for s in segments]

    def metric(key: str, fmt: Any) -> Any:
        return lambda s: fmt(_g(_g(s, "metrics"), key))

    def dist(key: str) -> Any:
        return lambda s: top_label(_g(_g(s, "distributions"), key))

    return [
        CompareRow("Customers matched", col(lambda s: figures.count(_g(s, "member_count")))),
        CompareRow("Reach", col(lambda s: figures.percent(_g(s, "reach_percent")))),
        CompareRow("Growth (first → latest evaluation)", col(lambda s: growth_change(_g(s, "growth")))),
        CompareRow("Last updated", col(lambda s: figures.local_time(_g(s, "last_updated"), tz))),
        CompareRow("Average total spend", col(metric("avg_total_spend", figures.money))),
        CompareRow("Average deal size", col(metric("avg_deal_size", figures.money))),
        CompareRow("Average CSAT", col(metric("avg_csat", figures.score))),
        CompareRow("With an open deal", col(metric("open_deal_percent", figures.percent))),
        CompareRow("Top source", col(dist("source"))),
        CompareRow("Top province", col(dist("province"))),
        CompareRow("Top age group", col(dist("age"))),
        CompareRow("Top gender", col(dist("gender"))),
    ]


def overlap_lines(overlaps: Sequence[Any], names: Mapping[Any, str], in_all: int, n_segments: int) -> list[str]:
    out = []
    for o in overlaps:
        a, b = _g(o, "segment_ids")
        pa, pb = _g(o, "percent_of_each")
        out.append(f"{names.get(a, a)} ∩ {names.get(b, b)}: {figures.count(_g(o, 'count'))} customers "
                   f"({figures.percent(pa)} of {names.get(a, a)}, {figures.percent(pb)} of {names.get(b, b)})")
    if n_segments > 2:
        out.append(f"In all {n_segments} segments: {figures.count(in_all)} customers")
    return out


def selection_problem(selected: int) -> str | None:
    if selected < MIN_SEGMENTS:
        return f"Pick at least {MIN_SEGMENTS} segments to compare."
    if selected > MAX_SEGMENTS:
        return f"Pick at most {MAX_SEGMENTS} segments to compare."
    return None
