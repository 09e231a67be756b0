"""The app re-reads /me when the main window regains focus or a request comes back 403, and shows or hides
what changed without a restart: Create, the Administration section, and signing out a deactivated user."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from segstudio.client import ApiError
from segstudio.core.admin_roles import SEGMENT_ADD
from segstudio.services.network import ConnectionStatus
from segstudio.views.admin import ROLES
from segstudio.views.main_window import CUSTOMERS, SEGMENTS, MainWindow
from tests.desktop.admin.conftest import TZ

pytestmark = pytest.mark.qt

RULES = {"combinator": "and", "rules": [{"field": "source", "operator": "is", "value": "WhatsApp"}]}


@pytest.fixture
def window_for(qtbot, run_async, sign_in):
    windows: list[MainWindow] = []

    def make(who: str) -> MainWindow:
        client = sign_in(who)
        connection = ConnectionStatus()
        connection.attach(client)
        window = MainWindow(client, run_async(client.me()), connection=connection, tz=TZ,
                            server_label=client.base_url)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.segment_list is None or window.segment_list.loaded, timeout=10_000)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()


def regain_focus(window: MainWindow) -> None:
    QApplication.sendEvent(window, QEvent(QEvent.Type.WindowActivate))


@pytest.fixture
def lead_add(admin_org):
    """Set the Team Lead role's customers_segment_add; put back to "all" afterwards."""
    lead_role = admin_org.role_id("team_lead")

    def set_level(level: str) -> None:
        r = admin_org.api("PUT", f"/admin/roles/{lead_role}", json={"permissions": {SEGMENT_ADD: level}})
        assert r.status_code == 200, r.text

    yield set_level
    set_level("all")


def test_removing_create_from_team_leads_hides_the_leads_create_button_on_the_next_focus(
        qtbot, monkeypatch, window_for, lead_add):
    monkeypatch.setattr(MainWindow, "FOCUS_REREAD_AFTER", 0.0)
    window = window_for("team_lead")
    assert window.segments.create_button.isVisible()
    assert window.customers.create_button.isVisibleTo(window.customers)

    lead_add("disabled")
    assert window.segments.create_button.isVisible(), "nothing changes before the window regains focus"
    regain_focus(window)
    qtbot.waitUntil(lambda: not window.segments.create_button.isVisible(), timeout=10_000)
    assert not window.customers.create_button.isVisibleTo(window.customers)
    assert window.me.permissions[SEGMENT_ADD] == "disabled" and window.current_page() == SEGMENTS

    lead_add("all")
    regain_focus(window)
    qtbot.waitUntil(lambda: window.segments.create_button.isVisible(), timeout=10_000)


def test_focus_changes_within_seconds_of_the_last_read_cost_no_request(qtbot, monkeypatch, window_for):
    monkeypatch.setattr(MainWindow, "FOCUS_REREAD_AFTER", 60.0)
    window = window_for("team_lead")
    reads = window.me_watcher.reads
    regain_focus(window)
    regain_focus(window)
    qtbot.wait(300)
    assert window.me_watcher.reads == reads


def test_a_403_re_reads_me_without_a_focus_change(qtbot, monkeypatch, run_async, window_for, lead_add):
    monkeypatch.setattr(MainWindow, "FOCUS_REREAD_AFTER", 3600.0)
    window = window_for("team_lead")
    assert window.segments.create_button.isVisible()
    lead_add("disabled")
    with pytest.raises(ApiError) as refused:
        run_async(window.client.create_segment("Not allowed any more", RULES))
    assert refused.value.status == 403
    qtbot.waitUntil(lambda: not window.segments.create_button.isVisible(), timeout=10_000)


def test_promotion_and_demotion_show_and_hide_the_administration_section(qtbot, monkeypatch, admin_org,
                                                                         window_for):
    monkeypatch.setattr(MainWindow, "FOCUS_REREAD_AFTER", 0.0)
    window = window_for("agent")
    assert ROLES not in window.page_keys()
    agent = admin_org.user_id(admin_org.users["agent"])
    admin_org.api("PUT", f"/admin/users/{agent}", json={"role_id": admin_org.role_id("org_admin")})
    try:
        regain_focus(window)
        qtbot.waitUntil(lambda: ROLES in window.page_keys(), timeout=10_000)
        assert window.user_status.text().endswith("(Org Admin)")
        window.show_page(ROLES)
        qtbot.waitUntil(lambda: window.admin.roles.loaded, timeout=10_000)
    finally:
        admin_org.api("PUT", f"/admin/users/{agent}", json={"role_id": admin_org.role_id("agent")})
    regain_focus(window)
    qtbot.waitUntil(lambda: ROLES not in window.page_keys(), timeout=10_000)
    assert window.admin is None
    assert window.current_page() == CUSTOMERS, "the page the user was on went away"


def test_a_deactivated_user_is_signed_out_on_the_next_focus(qtbot, monkeypatch, admin_org, window_for):
    monkeypatch.setattr(MainWindow, "FOCUS_REREAD_AFTER", 0.0)
    window = window_for("agent")
    agent = admin_org.user_id(admin_org.users["agent"])
    admin_org.api("PUT", f"/admin/users/{agent}", json={"active": False})
    try:
        with qtbot.waitSignal(window.signOutRequested, timeout=10_000):
            regain_focus(window)
    finally:
        admin_org.api("PUT", f"/admin/users/{agent}", json={"active": True})
