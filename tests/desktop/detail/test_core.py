"""The Qt-free logic behind the detail screens: figures, readiness, chart series, variable mapping, export
files and the compare table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from segstudio.core import compare_rows, figures, series
from segstudio.core import variable_mapping as vm
from segstudio.core.export_file import AtomicFile, ExportError, ExportProgress, default_name, with_suffix
from segstudio.core.readiness import NOT_READY_TOOLTIP, Phase, ReadinessMachine


def test_numbers_percentages_and_local_times_read_naturally():
    assert figures.count(1050) == "1,050" and figures.count(None) == "—"
    assert figures.percent(50.0) == "50%" and figures.percent(66.7) == "66.7%"
    assert figures.money(1234.5) == "IDR 1,234" and figures.money(None) == "—"
    assert figures.score(3.5) == "3.5" and figures.score(4.0) == "4"
    at = datetime(2026, 3, 18, 7, 35, 20, tzinfo=UTC)
    assert figures.local_time(at, "Asia/Jakarta", seconds=True) == "18 Mar 2026 14:35:20 WIB"
    assert figures.page_label(2, 20, 45) == "21–40 of 45 customers"


def test_every_time_is_in_the_organisations_zone_and_says_which():
    """Issue 14 item 12: no bare machine-time clock; naive server times are UTC."""
    at = datetime(2026, 3, 18, 7, 35, 20, tzinfo=UTC)
    assert figures.local_time(at.replace(tzinfo=None), "Asia/Jakarta") == "18 Mar 2026 14:35 WIB"
    assert figures.local_time(at, "Asia/Dubai") == "18 Mar 2026 11:35 UTC+04"
    assert figures.local_time(at, "UTC") == "18 Mar 2026 07:35 UTC"
    assert figures.local_time(None, "UTC", dash="Not yet") == "Not yet"


def test_the_access_note_appears_only_when_the_user_sees_fewer_than_all_members():
    assert figures.members_note(1000, 500) == ("Showing 500 of 1,000 matched — your access shows customers you own")
    assert figures.members_note(1000, 1000) is None


def test_refresh_too_soon_uses_the_servers_sentence_or_retry_after():
    server = "Segment was recently refreshed. Try again in 12 minutes."
    assert figures.refresh_too_soon(server, 700) == server
    assert figures.refresh_too_soon(None, 61) == "Segment was recently refreshed. Try again in 2 minutes."
    assert figures.refresh_too_soon("Too many", 30) == "Segment was recently refreshed. Try again in 1 minute."


def test_readiness_polls_while_updating_and_gates_send_campaign():
    machine = ReadinessMachine()
    state = machine.update("pending")
    assert state.phase == Phase.UPDATING and state.poll and not state.send_enabled
    assert state.send_tooltip == NOT_READY_TOOLTIP and "Updating…" in (state.banner or "")
    assert machine.update("not_ready").poll
    ready = machine.update("ready")
    assert ready.send_enabled and not ready.poll and ready.banner is None
    failed = machine.update("failed", failure_reason="the database went away")
    assert failed.retry_visible and not failed.poll and "the database went away" in (failed.banner or "")
    assert not machine.update("ready", "archived").send_enabled
    gone = machine.gone()
    assert not gone.actions_enabled and not gone.poll
    assert machine.update("ready").phase == Phase.GONE  # a late answer does not bring a deleted segment back


def test_growth_series_keeps_the_range_in_time_order():
    now = datetime(2026, 3, 20, tzinfo=UTC)
    points = [{"at": now - timedelta(days=d), "member_count": 100 - d} for d in (40, 1, 10, 5)]
    all_time = series.growth_series(points, "all", now)
    assert all_time.ys == [60, 90, 95, 99]
    assert all_time.xs == sorted(all_time.xs)
    assert series.growth_series(points, "7d", now).ys == [95, 99]
    assert series.growth_series(points, "30d", now).ys == [90, 95, 99]
    assert series.growth_series([], "all", now).empty


def test_hover_read_out_names_the_nearest_point_in_the_device_timezone():
    s = series.growth_series([{"at": datetime(2026, 3, 1, 1, 0, tzinfo=UTC), "member_count": 1234},
                              {"at": datetime(2026, 3, 2, 1, 0, tzinfo=UTC), "member_count": 1300}])
    assert series.hover_text(s, s.xs[0] + 60, "Asia/Jakarta") == "01 Mar 2026 08:00 WIB: 1,234 customers"
    assert series.hover_text(series.GrowthSeries([], [], []), 0, None) is None


def test_bars_and_their_summary_rows():
    bars = series.bars([{"label": "WhatsApp", "count": 850, "percent": 81.0},
                        {"label": "Other", "count": 200, "percent": 19.0}])
    assert [b.summary for b in bars] == [("WhatsApp", "850", "81%"), ("Other", "200", "19%")]
    assert series.distribution_empty(series.bars([{"label": "Male", "count": 0, "percent": 0.0}]))


CATALOG = [
    {"key": "customer_id", "label": "Customer ID", "association": None},
    {"key": "full_name", "label": "Full name", "association": None},
    {"key": "email", "label": "Email", "association": None},
    {"key": "loyalty_current_tier", "label": "Current tier", "association": None},
    {"key": "deal.stage", "label": "Deal stage", "association": "deals"},
    {"key": "metric.avg_csat", "label": "Avg CSAT score", "association": None},
    {"key": "custom.discount_code", "label": "Discount code", "association": None},
]


def test_the_property_list_comes_from_the_catalog_defaults_then_custom_fields():
    options = vm.property_options(CATALOG)
    assert [(o.key, o.group) for o in options] == [
        ("id", vm.DEFAULT_GROUP), ("full_name", vm.DEFAULT_GROUP), ("email", vm.DEFAULT_GROUP),
        ("loyalty_current_tier", vm.DEFAULT_GROUP), ("custom.discount_code", vm.CUSTOM_GROUP)]


def test_variables_get_a_suggestion_and_every_one_must_be_mapped():
    options = vm.property_options(CATALOG)
    mapping = vm.initial_mapping(["first_name", "tier", "discount_code", "discount"], options)
    assert mapping == {"first_name": "full_name", "tier": "loyalty_current_tier",
                       "discount_code": "custom.discount_code", "discount": None}
    problems = vm.problems(["first_name", "discount"], mapping, options)
    assert list(problems) == ["discount"]
    assert vm.problems([], {}, options) == {}
    assert "not a customer property" in vm.problems(["x"], {"x": "nope"}, options)["x"]
    assert vm.wire_mapping(["first_name"], mapping) == {"first_name": "full_name"}
    assert vm.server_problems({"variables.x": "Unknown", "channel": "bad"}) == {"x": "Unknown"}


def test_an_export_lands_whole_or_not_at_all(tmp_path):
    target = tmp_path / "members.csv"
    done = AtomicFile(target)
    done.open()
    done.write(b"a,b\n1,2\n")
    assert not target.exists() and done.temp_path is not None and done.temp_path.exists()
    assert done.commit() == target and target.read_bytes() == b"a,b\n1,2\n"
    aborted = AtomicFile(tmp_path / "cancelled.csv")
    aborted.open()
    aborted.write(b"partial")
    aborted.abort()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["members.csv"]


def test_an_export_to_a_folder_it_cannot_write_says_so(tmp_path, monkeypatch):
    def refuse(*_, **__):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("segstudio.core.export_file.tempfile.mkstemp", refuse)
    with pytest.raises(ExportError, match="permission to save files"):
        AtomicFile(tmp_path / "x.csv").open()
    with pytest.raises(ExportError, match="does not exist"):
        AtomicFile(tmp_path / "missing" / "x.csv").open()


def test_export_progress_counts_csv_rows_against_the_visible_members():
    progress = ExportProgress("csv", expected_rows=4)
    progress.feed(b"\xef\xbb\xbfid,name\nC1,a\n")
    assert progress.determinate and progress.percent == 25
    progress.feed(b"C2,b\nC3,c\nC4,d\n")
    assert progress.percent == 99 and progress.label.startswith("4 of 4 customers")
    assert not ExportProgress("xlsx", 4).determinate
    assert with_suffix("/tmp/out", "xlsx").name == "out.xlsx" and with_suffix("/tmp/a.CSV", "csv").name == "a.CSV"
    assert default_name("VIP / buyers", "csv") == "VIP _ buyers members.csv"


def test_the_compare_table_has_one_row_per_figure_and_one_column_per_segment():
    segments = [
        {"member_count": 1050, "reach_percent": 52.5, "last_updated": None,
         "growth": [{"member_count": 1000}, {"member_count": 1050}],
         "metrics": {"avg_total_spend": 150000.0, "avg_deal_size": None, "avg_csat": 4.25,
                     "open_deal_percent": 10.0},
         "distributions": {"source": [{"label": "WhatsApp", "count": 800, "percent": 76.2}], "province": [],
                           "age": [], "gender": []}},
        {"member_count": 0, "reach_percent": 0.0, "last_updated": None, "growth": [],
         "metrics": {"avg_total_spend": None, "avg_deal_size": None, "avg_csat": None, "open_deal_percent": 0.0},
         "distributions": {"source": [], "province": [], "age": [], "gender": []}},
    ]
    table = {r.label: r.cells for r in compare_rows.rows(segments)}
    assert table["Customers matched"] == ["1,050", "0"]
    assert table["Growth (first → latest evaluation)"] == ["+50", "—"]
    assert table["Average total spend"] == ["IDR 150,000", "—"]
    assert table["Average CSAT"] == ["4.25", "—"]
    assert table["With an open deal"] == ["10%", "0%"]
    assert table["Top source"] == ["WhatsApp (76.2%)", "—"]
    lines = compare_rows.overlap_lines([{"segment_ids": [1, 2], "count": 5, "percent_of_each": [0.5, 50.0]}],
                                       {1: "A", 2: "B"}, 5, 2)
    assert lines == ["A ∩ B: 5 customers (0.5% of A, 50% of B)"]
    assert compare_rows.selection_problem(1) and compare_rows.selection_problem(7)
    assert compare_rows.selection_problem(3) is None


def test_the_realtime_indicator_says_whether_members_are_up_to_date():
    """SEG-S13 AC-1: updated less than a day ago, evaluating now, or stale."""
    from segstudio.core.freshness import freshness

    now = datetime(2026, 3, 18, 12, 0, tzinfo=UTC)
    assert freshness("ready", "active", now - timedelta(hours=3), now).text == "● Realtime"
    assert freshness("ready", "active", now - timedelta(hours=3), now).tooltip.startswith("Updated 3 h ago")
    assert freshness("not_ready", "active", now - timedelta(hours=3), now).text == "Evaluating now"
    assert freshness("ready", "active", now - timedelta(days=2, hours=1), now).text == "Stale: updated 2 days ago"
    assert freshness("failed", "active", now - timedelta(hours=1), now).tone == "stale"
    assert freshness("ready", "archived", now, now).tone == "muted"
    assert freshness("pending", "active", None, now).text == "Evaluating now"
