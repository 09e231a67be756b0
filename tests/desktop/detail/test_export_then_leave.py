"""Issue 14 item 1: after an export the detail page still leaves (Back, the sidebar, sign-out) — the
window keeps no Python reference to the export dialog Qt deleted."""

from __future__ import annotations

import pytest
import shiboken6

from segstudio.views.main_window import CUSTOMERS, SEGMENTS, MainWindow
from tests.desktop.detail.conftest import TZ, WHATSAPP, as_segment

pytestmark = pytest.mark.qt


def window_on_detail(qtbot, live_server, admin_api, signed_in, connection, name):
    body = admin_api.create_segment(name, WHATSAPP)
    client, me, _ = signed_in()
    window = MainWindow(client, me, connection=connection, tz=TZ, server_label=live_server.url)
    qtbot.addWidget(window)
    window.show()
    view = window.segment_pages.open(as_segment(body))
    qtbot.waitUntil(lambda: view.overview.model.rowCount() > 0, timeout=10_000)
    return window, view


def export_and_close(qtbot, view, tmp_path):
    dialog = view.export_to(tmp_path / "members.csv", "csv")
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=15_000)
    assert dialog.outcome == "saved"
    dialog.close_button.click()
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog), timeout=5000)  # Qt has deleted the dialog


def test_back_sidebar_and_sign_out_after_an_export(qtbot, live_server, admin_api, signed_in, connection,
                                                   tmp_path):
    window, view = window_on_detail(qtbot, live_server, admin_api, signed_in, connection, "Export then leave")
    view.ask_export("csv").reject()
    export_and_close(qtbot, view, tmp_path)
    view.findChild(type(view.send_button), "detailBack").click()
    assert window.current_page() == SEGMENTS and window.segment_pages.detail is None
    assert view.export_dialog is None and view.file_dialog is None

    view = window.segment_pages.open(view.segment)
    (tmp_path / "again").mkdir()
    export_and_close(qtbot, view, tmp_path / "again")
    window.show_page(CUSTOMERS)
    assert window.current_page() == CUSTOMERS
    window.cleanup()  # what signing out does
