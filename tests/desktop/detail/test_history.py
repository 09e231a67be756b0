"""The detail page's History tab against the real bundled backend (issue 17 item 1): revisions listed newest
first, the difference between two of them, a confirmed Restore (re-evaluated), and a restore the server
refuses because the rules no longer fit the organisation's limits, shown inline with nothing changed."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from segstudio.services.catalog import CatalogCache
from segstudio.views.detail import SegmentDetailView
from tests.desktop.detail.conftest import TZ, WHATSAPP, as_segment

pytestmark = pytest.mark.qt

EMAIL = {"combinator": "and", "rules": [{"field": "source", "operator": "is", "value": "Email"}]}
THREE = {"combinator": "and", "rules": [{"field": "source", "operator": "is", "value": v}
                                        for v in ("WhatsApp", "Email", "Instagram")]}


def open_history(qtbot, client, access, connection, body, rows: int) -> SegmentDetailView:
    view = SegmentDetailView(client, access, connection, as_segment(body), tz=TZ, catalog=CatalogCache(client))
    qtbot.addWidget(view)
    view.resize(1200, 760)
    view.show()
    view.load()
    view.tabs.setCurrentWidget(view.history)
    qtbot.waitUntil(lambda: view.history.model.rowCount() == rows, timeout=10_000)
    return view


def restore_row(qtbot, view: SegmentDetailView, row: int) -> None:
    view.history.table.selectRow(row)
    assert view.history.restore_button.isEnabled()
    view.history.restore_button.click()
    box = view.history.confirm_box
    assert isinstance(box, QMessageBox) and "becomes a new revision" in box.text()
    next(b for b in box.buttons() if b.text() == "Restore").click()


def test_history_lists_revisions_shows_the_difference_and_restores(qtbot, admin_api, signed_in, connection):
    body = admin_api.create_segment("History (restore)", WHATSAPP)
    assert admin_api.call("PUT", f"/segments/{body['id']}", json={"rules": EMAIL}).status_code == 200
    client, _, access = signed_in()
    view = open_history(qtbot, client, access, connection, body, rows=2)
    h = view.history
    assert [h.model.index(r, 0).data() for r in range(2)] == ["#2", "#1"]
    assert h.model.index(0, 3).data() == "Source is Email"
    qtbot.waitUntil(lambda: h.diff.count() == 1 and "Source" in h.diff.item(0).text(), timeout=10_000)
    assert h.diff.item(0).text() == "~ Changed: Source is WhatsApp → Source is Email"
    h.table.selectRow(0)
    assert not h.restore_button.isEnabled()  # the newest is the current revision
    restore_row(qtbot, view, 1)
    qtbot.waitUntil(lambda: h.model.rowCount() == 3, timeout=10_000)
    assert h.model.index(0, 0).data() == "#3 (restored #1)"
    assert view.segment.rules.model_dump(exclude_none=True)["rules"][0]["value"] == "WhatsApp"
    assert "restored" in view.notice.text()
    assert admin_api.wait_ready(body["id"])["rules"]["rules"][0]["value"] == "WhatsApp"


def test_restore_is_hidden_for_someone_who_may_not_edit(qtbot, admin_api, signed_in, connection):
    body = admin_api.create_segment("History (agent)", WHATSAPP, wait=False)
    client, _, access = signed_in("agent")
    view = open_history(qtbot, client, access, connection, body, rows=1)
    assert not view.history.restore_button.isVisible()


def test_a_restore_the_server_refuses_is_shown_inline_and_changes_nothing(qtbot, admin_api, signed_in,
                                                                            connection):
    body = admin_api.create_segment("History (limit)", THREE, wait=False)
    assert admin_api.call("PUT", f"/segments/{body['id']}", json={"rules": EMAIL}).status_code == 200
    client, _, access = signed_in()
    view = open_history(qtbot, client, access, connection, body, rows=2)
    limits = admin_api.call("GET", "/admin/settings").json()["max_conditions_per_group"]
    assert admin_api.call("PUT", "/admin/settings", json={"max_conditions_per_group": 2}).status_code == 200
    try:
        restore_row(qtbot, view, 1)
        qtbot.waitUntil(lambda: view.notice.isVisible() and "Revision 1 cannot be restored" in view.notice.text(),
                        timeout=10_000)
    finally:
        admin_api.call("PUT", "/admin/settings", json={"max_conditions_per_group": limits})
    assert view.history.model.rowCount() == 2
    assert admin_api.call("GET", f"/segments/{body['id']}").json()["rules"] == EMAIL
