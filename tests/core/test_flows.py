"""Entered/left bars and the growth chart's time window (issue 17 item 2), Qt-free."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from segstudio.core.flows import DAY, MIN_BAR, MIN_SPAN, bar_width, flow_bars, time_window
from segstudio.core.series import growth_series

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def point(days_ago: float, size: int, entered: int | None, left: int | None) -> dict:
    return {"at": NOW - timedelta(days=days_ago), "member_count": size, "entered": entered, "left": left}


def test_bars_follow_the_growth_points_in_time_order_within_the_range():
    points = [point(1, 12, 3, 1), point(40, 10, 10, 0), point(2, 10, None, None)]
    bars = flow_bars(points, "30d", NOW)
    assert bars.entered == [0, 3] and bars.left == [0, 1]
    assert bars.xs == growth_series(points, "30d", NOW).xs
    assert bars.width == DAY * 0.6 and not bars.empty
    assert all(c < x for c, x in zip(bars.centers, bars.xs, strict=True))


def test_a_single_evaluation_shows_a_past_week_ending_at_it():
    s = growth_series([point(0, 5, 5, 0)], "all", NOW)
    low, high = time_window([s])
    assert high == NOW.timestamp() and high - low == MIN_SPAN
    assert time_window([growth_series([], "all", NOW)]) is None


def test_a_long_history_ends_at_its_last_evaluation_with_room_for_the_first_bar():
    s = growth_series([point(d, 5, 1, 1) for d in (30, 20, 3)], "all", NOW)
    low, high = time_window([s])
    assert high == (NOW - timedelta(days=3)).timestamp()
    assert low == (NOW - timedelta(days=30)).timestamp() - DAY * 0.6
    assert flow_bars([point(1, 3, 0, 0)], "all", NOW).empty


def test_evaluations_seconds_apart_still_get_a_visible_bar():
    assert bar_width([0.0, 2.0, 3.0]) == MIN_BAR
    assert bar_width([0.0, 3 * DAY]) == DAY * 0.6
