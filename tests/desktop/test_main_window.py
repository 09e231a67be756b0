"""The main window: navigation and actions follow /me permissions and the package, the network banner
appears on a failed call and Retry reloads, and the builder opens through `open_builder`."""

from __future__ import annotations

import sys
import types

import pytest
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from segstudio.client import ApiClient
from segstudio.client.models import Me
from segstudio.services.network import ConnectionStatus
from segstudio.views.main_window import CUSTOMERS, SEGMENTS, MainWindow
from tests.desktop.fakes import PERMISSIONS_ADMIN, PERMISSIONS_AGENT, FakeServer, me_payload, segment

pytestmark = pytest.mark.qt


def make_window(qtbot, fake: FakeServer) -> MainWindow:
    client = ApiClient("http://fake.test", token="t", transport=fake.transport())
    connection = ConnectionStatus()
    connection.attach(client)
    window = MainWindow(client, Me.model_validate(fake.me), connection=connection, tz="Asia/Jakarta",
                        server_label="http://fake.test")
    qtbot.addWidget(window)
    window.show()
    return window


def test_admin_sees_segments_with_create(qtbot):
    window = make_window(qtbot, FakeServer(segments=[segment(1)]))
    # An Org Admin also gets the Administration pages (tests/desktop/admin/).
    assert window.page_keys()[:2] == [CUSTOMERS, SEGMENTS]
    assert window.current_page() == SEGMENTS
    assert window.segments.create_button.isVisible()
    assert window.package_status.text() == "Package: Ultimate"
    assert window.user_status.text() == "Ana Admin (Org Admin)"
    assert window.org_status.text() == "Organisation: Fake Org"


def test_create_is_hidden_without_segment_add(qtbot):
    window = make_window(qtbot, FakeServer(me=me_payload(PERMISSIONS_AGENT)))
    assert SEGMENTS in window.page_keys()
    assert not window.segments.create_button.isVisible()
    assert not window.customers.create_button.isVisibleTo(window.customers)


def test_segments_are_hidden_when_segment_view_is_disabled(qtbot):
    permissions = dict(PERMISSIONS_ADMIN, customers_segment_view="disabled")
    window = make_window(qtbot, FakeServer(me=me_payload(permissions)))
    assert window.page_keys()[:1] == [CUSTOMERS] and SEGMENTS not in window.page_keys()
    assert window.segments is None
    assert window.current_page() == CUSTOMERS


def test_starter_package_shows_segmentation_is_not_included(qtbot):
    fake = FakeServer(me=me_payload(package="starter"))
    window = make_window(qtbot, fake)
    assert window.segments is None
    window.show_page(SEGMENTS)
    page = window.pages[SEGMENTS]
    message = page.findChild(QWidget, "packageMessage")
    assert message is not None and message.isVisible()
    assert message.text().startswith("Segmentation is not included in your Starter package.")
    assert fake.calls("GET", "/segments") == [], "a Starter org never asks for segments"


def test_a_network_failure_shows_the_banner_and_retry_reloads(qtbot):
    # A Team Lead: an Org Admin's window also counts unread alerts at start, a second call that would succeed.
    me = me_payload()
    me["user"].update(role="team_lead", role_name="Team Lead")
    fake = FakeServer(me=me, segments=[segment(1, name="Back again")], fail_network=1)
    window = make_window(qtbot, fake)
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=5000)
    assert "Cannot reach the server at http://fake.test." in window.banner.label.text()
    assert window.segments.model.rowCount() == 0
    assert window.isEnabled(), "the banner does not block the window"
    window.banner.retry_button.click()
    qtbot.waitUntil(lambda: window.segments.model.rowCount() == 1, timeout=5000)
    assert not window.banner.isVisible()


class FakeBuilder(QWidget):
    saved = Signal(object)
    cancelled = Signal()
    made: list[dict] = []

    def __init__(self, *, client, catalog, me, segment, parent=None) -> None:
        super().__init__(parent)
        FakeBuilder.made.append({"client": client, "catalog": catalog, "me": me, "segment": segment})


def test_open_builder_shows_the_builder_and_a_save_returns_to_the_list(qtbot, monkeypatch):
    module = types.ModuleType("segstudio.views.builder")
    module.BuilderView = FakeBuilder
    monkeypatch.setitem(sys.modules, "segstudio.views.builder", module)
    fake = FakeServer(segments=[segment(1)])
    window = make_window(qtbot, fake)
    FakeBuilder.made.clear()
    with qtbot.waitSignal(window.segments.createRequested, timeout=3000):
        window.segments.create_button.click()
    builder = window.builder
    assert isinstance(builder, FakeBuilder)
    assert window.stack.currentWidget() is builder
    assert FakeBuilder.made[0]["segment"] is None and FakeBuilder.made[0]["client"] is window.client
    assert FakeBuilder.made[0]["catalog"] is window.catalog and FakeBuilder.made[0]["me"] is window.me
    fake.segments.append(segment(2, name="Just saved", readiness="pending"))
    from segstudio.client.models import Segment
    builder.saved.emit(Segment.model_validate(fake.segments[-1]))
    assert window.builder is None and window.current_page() == SEGMENTS
    qtbot.waitUntil(lambda: window.segments.selected_segment() is not None, timeout=3000)
    assert window.segments.selected_segment().name == "Just saved"
    assert window.segments.poll_timer.isActive(), "a pending segment is polled"


def test_open_builder_without_the_builder_package_opens_nothing(qtbot, monkeypatch):
    module = types.ModuleType("segstudio.views.builder")
    monkeypatch.setitem(sys.modules, "segstudio.views.builder", module)
    window = make_window(qtbot, FakeServer())
    assert window.open_builder(None) is None
    assert window.current_page() == SEGMENTS
