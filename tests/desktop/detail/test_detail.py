"""Segment detail against the real bundled backend: overview, members and the access note, readiness and its
polling, Refresh now (and 429), More actions with confirmations, a segment deleted meanwhile, a server that
is down, the Performance tab and its empty states, and export to CSV/XLSX with cancel."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QMessageBox

from segstudio.client import ApiClient
from segstudio.core.readiness import NOT_READY_TOOLTIP, Phase
from segstudio.views.detail import SegmentDetailView
from tests.desktop.detail.conftest import EVERYONE, NOBODY, TZ, WHATSAPP, as_segment

pytestmark = pytest.mark.qt


def open_detail(qtbot, client, access, connection, segment, load: bool = True) -> SegmentDetailView:
    view = SegmentDetailView(client, access, connection, segment, tz=TZ)
    qtbot.addWidget(view)
    view.resize(1200, 760)
    view.show()
    if load:
        view.load()
        qtbot.waitUntil(lambda: view.overview.model.rowCount() > 0 or view.overview.body.currentWidget()
                        is view.overview.empty and view.overview.page_label.text() != "", timeout=10_000)
    return view


def click(box: QMessageBox, text: str) -> None:
    next(b for b in box.buttons() if b.text() == text).click()


def test_overview_shows_info_figures_reachability_and_members(qtbot, admin_api, signed_in, connection):
    body = admin_api.create_segment("WhatsApp people (overview)", WHATSAPP)
    client, _, access = signed_in()
    view = open_detail(qtbot, client, access, connection, as_segment(body))
    o = view.overview
    qtbot.waitUntil(lambda: o.matched.text() == "6", timeout=10_000)
    assert o.status.text() == "Active" and o.name.text() == "WhatsApp people (overview)"
    assert o.description.text() == "About WhatsApp people (overview)"
    assert o.pattern.text() == "Source is WhatsApp"
    assert o.reach.text().startswith("50%")
    assert o.updated.text() != "—"
    assert o.whatsapp_card.isVisible() and o.email.text() == "100% (6)"
    assert o.model.rowCount() == 6
    assert [o.model.index(0, c).data() for c in (0, 1)] == ["Customer 1", "WhatsApp"]
    assert not o.note.isVisible()
    assert view.send_button.isEnabled() and view.state.phase == Phase.READY


def test_an_owned_only_viewer_sees_the_showing_n_of_m_note(qtbot, admin_api, signed_in, connection):
    body = admin_api.create_segment("Everyone (agent view)", EVERYONE)
    client, _, access = signed_in("agent")
    view = open_detail(qtbot, client, access, connection, as_segment(body))
    qtbot.waitUntil(lambda: view.overview.note.isVisible(), timeout=10_000)
    assert view.overview.note.text() == "Showing 0 of 12 matched — your access shows customers you own"
    assert view.overview.body.currentWidget() is view.overview.empty
    assert not view.refresh_button.isVisible()  # an Agent may not manage segments


def test_members_are_paged(qtbot, admin_api, signed_in, connection):
    body = admin_api.create_segment("Everyone (paging)", EVERYONE)
    client, _, access = signed_in()
    view = SegmentDetailView(client, access, connection, as_segment(body), tz=TZ)
    qtbot.addWidget(view)
    view.overview.page_size = 5
    view.load()
    o = view.overview
    qtbot.waitUntil(lambda: o.model.rowCount() == 5, timeout=10_000)
    assert o.page_label.text() == "1–5 of 12 customers" and not o.prev_button.isEnabled()
    o.next_button.click()
    qtbot.waitUntil(lambda: o.page == 2 and o.model.index(0, 0).data() == "Customer 6", timeout=10_000)
    o.next_button.click()
    qtbot.waitUntil(lambda: o.model.rowCount() == 2, timeout=10_000)
    assert not o.next_button.isEnabled()


def test_a_pending_segment_shows_updating_disables_send_and_updates_itself(qtbot, admin_api, signed_in, connection):
    body = admin_api.create_segment("Fresh segment", WHATSAPP, wait=False)
    client, _, access = signed_in()
    pending = as_segment({**body, "readiness": "pending"})
    view = open_detail(qtbot, client, access, connection, pending, load=False)
    assert view.banner.isVisible() and view.banner.text().startswith("Updating…")
    assert not view.send_button.isEnabled() and view.send_button.toolTip() == NOT_READY_TOOLTIP
    assert view.poll_timer.isActive()
    view.load()
    qtbot.waitUntil(lambda: view.state.phase == Phase.READY, timeout=20_000)
    qtbot.waitUntil(lambda: view.overview.matched.text() == "6", timeout=10_000)
    assert not view.poll_timer.isActive() and not view.banner.isVisible() and view.send_button.isEnabled()


def test_a_failed_evaluation_shows_the_reason_and_a_retry(qtbot, admin_api, signed_in, connection):
    body = admin_api.create_segment("Failing segment", WHATSAPP)
    client, _, access = signed_in()
    view = open_detail(qtbot, client, access, connection, as_segment(body), load=False)
    view._apply(view.machine.update("failed", "active", "Evaluation took longer than the budget"))
    assert view.banner.text() == "The last evaluation failed: Evaluation took longer than the budget"
    assert view.retry_button.isVisible() and not view.send_button.isEnabled()
    view.retry_button.click()
    qtbot.waitUntil(lambda: "Refresh queued" in view.notice.text(), timeout=10_000)
    assert view.state.phase == Phase.UPDATING


def test_refresh_now_then_again_is_refused_with_the_minutes_to_wait(qtbot, admin_api, signed_in, connection):
    body = admin_api.create_segment("Refresh me", WHATSAPP)
    client, _, access = signed_in()
    view = open_detail(qtbot, client, access, connection, as_segment(body))
    view.refresh_button.click()
    qtbot.waitUntil(lambda: "Refresh queued" in view.notice.text(), timeout=10_000)
    qtbot.waitUntil(lambda: view.state.phase == Phase.READY, timeout=20_000)
    task = view.refresh_now()
    qtbot.waitUntil(task.done, timeout=10_000)
    assert view.notice.text().startswith("Segment was recently refreshed. Try again in ")
    assert view.notice.text().endswith("minutes.")


def test_archive_and_unarchive_ask_first(qtbot, admin_api, signed_in, connection):
    body = admin_api.create_segment("Archive me", WHATSAPP)
    client, _, access = signed_in()
    view = open_detail(qtbot, client, access, connection, as_segment(body))
    assert view.archive_action.isVisible() and not view.unarchive_action.isVisible()
    box = view.confirm("archive")
    click(box, "Cancel")
    assert admin_api.call("GET", f"/segments/{body['id']}").json()["status"] == "active"
    box = view.confirm("archive")
    click(box, "Archive")
    qtbot.waitUntil(lambda: view.segment.status == "archived", timeout=10_000)
    qtbot.waitUntil(lambda: not view.overview.whatsapp_card.isVisibleTo(view.overview), timeout=10_000)
    assert view.overview.status.text() == "Archived" and not view.send_button.isEnabled()
    assert view.unarchive_action.isVisible()
    click(view.confirm("unarchive"), "Unarchive")
    qtbot.waitUntil(lambda: view.segment.status == "active", timeout=10_000)


def test_delete_asks_first_and_reports_the_deleted_segment(qtbot, admin_api, signed_in, connection):
    body = admin_api.create_segment("Delete me", WHATSAPP)
    client, _, access = signed_in()
    view = open_detail(qtbot, client, access, connection, as_segment(body))
    with qtbot.waitSignal(view.deleted, timeout=10_000):
        click(view.confirm("delete"), "Delete")
    assert admin_api.call("GET", f"/segments/{body['id']}").status_code == 404


def test_duplicate_hands_the_copy_to_the_builder(qtbot, admin_api, signed_in, connection):
    body = admin_api.create_segment("Copy me", WHATSAPP)
    client, _, access = signed_in()
    view = open_detail(qtbot, client, access, connection, as_segment(body))
    with qtbot.waitSignal(view.duplicated, timeout=10_000) as signal:
        view.duplicate_action.trigger()
    assert signal.args[0].name.startswith("Copy of")


def test_a_segment_deleted_by_someone_else_says_so_and_stops(qtbot, admin_api, signed_in, connection):
    body = admin_api.create_segment("Gone soon", WHATSAPP)
    client, _, access = signed_in()
    view = open_detail(qtbot, client, access, connection, as_segment(body))
    assert admin_api.call("DELETE", f"/segments/{body['id']}").status_code == 200
    view.load()
    qtbot.waitUntil(lambda: view.state.phase == Phase.GONE, timeout=10_000)
    assert "no longer exists" in view.banner.text()
    assert not view.more_button.isEnabled() and not view.send_button.isEnabled()
    assert not view.refresh_button.isEnabled()


def test_refresh_while_the_server_is_down_shows_a_message(qtbot, admin_api, signed_in, connection, run_async):
    body = admin_api.create_segment("Offline refresh", WHATSAPP)
    _, _, access = signed_in()
    down = ApiClient("http://127.0.0.1:9", token="t", timeout=2)
    connection.attach(down)
    view = open_detail(qtbot, down, access, connection, as_segment(body), load=False)
    task = view.refresh_now()
    qtbot.waitUntil(task.done, timeout=10_000)
    assert "Cannot reach the server" in view.notice.text() and connection.offline
    run_async(down.aclose())


def test_performance_tab_draws_growth_and_distributions(qtbot, admin_api, signed_in, connection):
    body = admin_api.create_segment("Perf", WHATSAPP)
    client, _, access = signed_in()
    view = open_detail(qtbot, client, access, connection, as_segment(body))
    view.tabs.setCurrentWidget(view.performance)
    p = view.performance
    qtbot.waitUntil(lambda: not p.growth.is_empty, timeout=10_000)
    assert p.growth.series[0][1].ys[-1] == 6
    x = p.growth.series[0][1].xs[-1]
    assert p.growth.readout_at(x).endswith(": 6 customers")
    source = p.charts["source"]
    assert not source.is_empty and source.summary.rows() == [["WhatsApp", "6", "100%"]]
    assert p.charts["gender"].summary.rows()[-1] == ["Unknown", "6", "100%"]
    p.range.setCurrentIndex(p.range.findData("7d"))
    qtbot.waitUntil(lambda: not p.growth.is_empty and p.updated.text().startswith("Last updated"), timeout=10_000)


def test_an_empty_segment_shows_empty_states_everywhere(qtbot, admin_api, signed_in, connection):
    body = admin_api.create_segment("Nobody", NOBODY)
    client, _, access = signed_in()
    view = open_detail(qtbot, client, access, connection, as_segment(body))
    o = view.overview
    qtbot.waitUntil(lambda: o.matched.text() == "0", timeout=10_000)
    assert o.body.currentWidget() is o.empty and o.empty.text() == "No customers match this segment yet."
    p = view.performance
    qtbot.waitUntil(lambda: p.charts["source"].summary.rowCount() >= 0 and p.charts["age"].is_empty, timeout=10_000)
    assert all(chart.is_empty for chart in p.charts.values())
    assert p.charts["gender"].empty.text() == "No data for segment gender yet: the segment has no members."


def test_export_csv_and_xlsx_to_a_file(qtbot, admin_api, signed_in, connection, tmp_path):
    body = admin_api.create_segment("Export me", WHATSAPP)
    client, _, access = signed_in()
    view = open_detail(qtbot, client, access, connection, as_segment(body))
    dialog = view.export_to(tmp_path / "members", "csv")
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=15_000)
    assert dialog.outcome == "saved" and dialog.bar.value() == 100
    rows = list(csv.reader(io.StringIO((tmp_path / "members.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0][:2] == ["Customer ID", "Full name"] and len(rows) == 7
    assert "Exported to" in view.notice.text()
    dialog = view.export_to(tmp_path / "members.xlsx", "xlsx")
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=15_000)
    sheet = load_workbook(tmp_path / "members.xlsx").active
    assert sheet.max_row == 7
    assert sorted(p.name for p in tmp_path.iterdir()) == ["members.csv", "members.xlsx"]


def test_a_cancelled_export_leaves_no_file(qtbot, admin_api, signed_in, connection, tmp_path):
    body = admin_api.create_segment("Cancel export", EVERYONE)
    client, _, access = signed_in()
    view = open_detail(qtbot, client, access, connection, as_segment(body))
    dialog = view.export_to(tmp_path / "members.csv", "csv")
    dialog.cancel()
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=10_000)
    assert dialog.outcome == "cancelled" and "No file was saved" in dialog.label.text()
    assert list(tmp_path.iterdir()) == []


def test_an_export_to_a_folder_without_write_access_says_so(qtbot, admin_api, signed_in, connection, tmp_path,
                                                           monkeypatch):
    body = admin_api.create_segment("Locked folder", WHATSAPP)
    client, _, access = signed_in()
    view = open_detail(qtbot, client, access, connection, as_segment(body))
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    if os.geteuid() == 0:  # root writes anywhere: refuse the way the filesystem would for a user
        def refuse(*_, **__):
            raise PermissionError(13, "Permission denied")
        monkeypatch.setattr("segstudio.core.export_file.tempfile.mkstemp", refuse)
    dialog = view.export_to(locked / "members.csv", "csv")
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=10_000)
    assert dialog.outcome == "failed"
    assert "permission to save files" in view.notice.text() and not any(Path(locked).iterdir())
    locked.chmod(0o700)


def test_the_save_dialog_is_opened_not_exec_ed(qtbot, admin_api, signed_in, connection):
    body = admin_api.create_segment("Save dialog", WHATSAPP)
    client, _, access = signed_in()
    view = open_detail(qtbot, client, access, connection, as_segment(body), load=False)
    dialog = view.ask_export("xlsx")
    assert dialog.isVisible() and dialog.defaultSuffix() == "xlsx"
    assert dialog.selectedFiles()[0].endswith("Save dialog members.xlsx")
    dialog.reject()


def test_send_campaign_opens_the_side_panel_beside_the_tabs(qtbot, admin_api, signed_in, connection, templates):
    body = admin_api.create_segment("Side panel", WHATSAPP)
    client, _, access = signed_in()
    view = open_detail(qtbot, client, access, connection, as_segment(body))
    view.send_button.click()
    panel = view.campaign
    assert panel is not None and panel.isVisible() and view.splitter.indexOf(panel) == 1
    panel.choose_channel("email")
    qtbot.waitUntil(lambda: panel.continue_button.isEnabled(), timeout=10_000)
    assert panel.estimate_label.text() == "6 of 6 matched customers are reachable by email"
    panel.close_button.click()
    assert not panel.isVisible()
