"""The segment list: search after 3 characters (debounced), created-date filter in the device timezone,
paging, archive only after confirmation, the limit message, the empty state, and readiness polling."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtWidgets import QMessageBox

from segstudio.client import ApiClient
from segstudio.client.models import Me
from segstudio.services.access import LIMIT_REACHED, Access
from segstudio.services.network import ConnectionStatus
from segstudio.services.segment_list import DateFilter, SegmentListController, SegmentQuery
from segstudio.views.segment_list import SegmentListView
from tests.core.clock import ManualTimers
from tests.desktop.fakes import FakeServer, me_payload, segment

pytestmark = pytest.mark.qt

TZ = "Asia/Jakarta"


# --- the query, without Qt ----------------------------------------------------------------------------

def test_search_under_three_characters_is_not_sent():
    assert SegmentQuery(search="ab").params(TZ)["search"] is None
    assert SegmentQuery(search="  vip ").params(TZ)["search"] == "vip"


@pytest.mark.parametrize(("kind", "expected"), [
    (DateFilter.ALL, (None, None)),
    (DateFilter.TODAY, (date(2026, 3, 10), date(2026, 3, 10))),
    (DateFilter.LAST_7_DAYS, (date(2026, 3, 4), date(2026, 3, 10))),
])
def test_date_filters_are_days_in_the_device_timezone(kind, expected):
    params = SegmentQuery(date_filter=kind).params(TZ, today=date(2026, 3, 10))
    assert (params["created_from"], params["created_to"]) == expected
    assert params["tz"] == (None if kind == DateFilter.ALL else TZ)


def test_a_custom_range_given_backwards_is_put_in_order():
    query = SegmentQuery(date_filter=DateFilter.CUSTOM, custom_from=date(2026, 3, 9), custom_to=date(2026, 3, 1))
    params = query.params(TZ, today=date(2026, 3, 10))
    assert (params["created_from"], params["created_to"]) == (date(2026, 3, 1), date(2026, 3, 9))


# --- the view over a fake server ----------------------------------------------------------------------

def make_view(qtbot, fake: FakeServer, page_size: int = 20, clock: ManualTimers | None = None) -> SegmentListView:
    client = ApiClient("http://fake.test", token="t", transport=fake.transport())
    me = Me.model_validate(fake.me)
    controller = SegmentListController(client, TZ, page_size=page_size,
                                       max_active_segments=me.package.max_active_segments)
    connection = ConnectionStatus()
    connection.attach(client)
    view = (SegmentListView(controller, Access(me), connection, call_later=clock.call_later) if clock
            else SegmentListView(controller, Access(me), connection))
    qtbot.addWidget(view)
    view.resize(1000, 600)
    view.show()
    controller.reload()
    qtbot.waitUntil(lambda: controller.loaded and not controller.loading, timeout=5000)
    return view


def names(view: SegmentListView) -> list[str]:
    return [view.model.segment(r).name for r in range(view.model.rowCount())]


def test_rows_show_name_size_readiness_creator_and_local_creation_time(qtbot):
    created = datetime(2026, 3, 1, 20, 30, tzinfo=UTC)
    fake = FakeServer(segments=[segment(1, name="VIP buyers", created_at=created, members=1234),
                                segment(2, name="New leads", readiness="pending")])
    view = make_view(qtbot, fake)
    model = view.model
    row = names(view).index("VIP buyers")
    cells = [model.index(row, c).data() for c in range(5)]
    assert cells == ["VIP buyers", "1,234", "Ready", "Ana Admin", "02 Mar 2026 03:30"]  # 20:30 UTC is 03:30 WIB
    pending = names(view).index("New leads")
    assert model.index(pending, 1).data() == "—" and model.index(pending, 2).data() == "Pending"


def test_search_waits_for_three_characters_and_debounces(qtbot):
    fake = FakeServer(segments=[segment(1, name="VIP buyers"), segment(2, name="New leads"),
                                segment(3, name="vip churn risk")])
    clock = ManualTimers()
    view = make_view(qtbot, fake, clock=clock)
    before = len(fake.calls("GET", "/segments"))
    view.search.setText("vi")
    clock.advance(0.3)
    assert view.controller.query.search == "vi" and not view.controller.loading, "two characters search nothing"
    view.search.setText("vip")
    clock.advance(0.2)
    view.search.setText("vip ")
    clock.advance(0.2)
    assert view.controller.query.search == "vi", "still typing: nothing asked yet"
    clock.advance(0.1)
    assert view.controller.query.search == "vip "
    qtbot.waitUntil(lambda: sorted(names(view)) == ["VIP buyers", "vip churn risk"], timeout=3000)
    assert len(fake.calls("GET", "/segments")) == before + 1, "typing within the debounce sends one request"
    assert fake.calls("GET", "/segments")[-1].url.params["search"] == "vip"
    view.search.setText("zzz")
    clock.advance(0.3)
    qtbot.waitUntil(lambda: view.body.currentIndex() == 1, timeout=3000)
    assert view.empty_label.text() == "No segments match your search or filter."


def test_created_date_filter_sends_the_device_timezone(qtbot):
    now = datetime.now(ZoneInfo(TZ))
    fake = FakeServer(segments=[segment(1, name="Today", created_at=now.astimezone(UTC)),
                                segment(2, name="Old", created_at=(now - timedelta(days=30)).astimezone(UTC))])
    view = make_view(qtbot, fake)
    view.date_filter.setCurrentIndex(view.date_filter.findData(DateFilter.TODAY))
    qtbot.waitUntil(lambda: names(view) == ["Today"], timeout=3000)
    params = fake.calls("GET", "/segments")[-1].url.params
    assert params["tz"] == TZ
    assert params["created_from"] == params["created_to"] == now.date().isoformat()
    view.date_filter.setCurrentIndex(view.date_filter.findData(DateFilter.CUSTOM))
    assert view.date_from.isVisible() and view.date_to.isVisible()
    view.date_from.setDate((now - timedelta(days=40)).date())
    view.date_to.setDate((now - timedelta(days=20)).date())
    qtbot.waitUntil(lambda: names(view) == ["Old"], timeout=3000)
    view.date_filter.setCurrentIndex(view.date_filter.findData(DateFilter.ALL))
    qtbot.waitUntil(lambda: sorted(names(view)) == ["Old", "Today"], timeout=3000)
    assert "tz" not in fake.calls("GET", "/segments")[-1].url.params


def test_paging_walks_through_every_segment(qtbot):
    fake = FakeServer(segments=[segment(i) for i in range(1, 46)])
    view = make_view(qtbot, fake)
    assert view.model.rowCount() == 20
    assert view.page_label.text() == "Page 1 of 3 · 45 segments"
    assert not view.prev_button.isEnabled() and view.next_button.isEnabled()
    seen = set(names(view))
    view.next_button.click()
    qtbot.waitUntil(lambda: view.page_label.text().startswith("Page 2 of 3"), timeout=3000)
    seen |= set(names(view))
    view.next_button.click()
    qtbot.waitUntil(lambda: view.page_label.text().startswith("Page 3 of 3"), timeout=3000)
    assert view.model.rowCount() == 5 and not view.next_button.isEnabled()
    seen |= set(names(view))
    assert len(seen) == 45
    assert fake.calls("GET", "/segments")[-1].url.params["page"] == "3"


def confirm_box(qtbot, view: SegmentListView) -> QMessageBox:
    view.table.selectRow(0)
    box = view.archive_selected()
    qtbot.waitUntil(lambda: box.isVisible(), timeout=2000)
    return box


def test_archive_asks_first_and_cancel_archives_nothing(qtbot):
    fake = FakeServer(segments=[segment(1, name="Keep me")])
    view = make_view(qtbot, fake)
    box = confirm_box(qtbot, view)
    assert "Keep me" in box.text()
    assert fake.calls("POST", "/segments/1/archive") == []
    box.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.wait(200)
    assert fake.calls("POST", "/segments/1/archive") == []
    assert names(view) == ["Keep me"]


def test_confirmed_archive_removes_the_segment_from_the_active_list(qtbot):
    fake = FakeServer(segments=[segment(1, name="Old promo"), segment(2, name="Stays")])
    view = make_view(qtbot, fake)
    view.table.selectRow(names(view).index("Old promo"))
    box = view.archive_selected()
    archive = next(b for b in box.buttons() if b.text() == "Archive")
    archive.click()
    qtbot.waitUntil(lambda: names(view) == ["Stays"], timeout=3000)
    assert len(fake.calls("POST", "/segments/1/archive")) == 1
    assert view.notice.text() == "“Old promo” archived."


def test_empty_state_offers_create(qtbot):
    view = make_view(qtbot, FakeServer())
    assert view.body.currentIndex() == 1
    assert view.empty_create.isVisible()
    assert view.empty_label.text().startswith("No segments yet.")


def test_at_the_package_limit_create_shows_the_message_in_place(qtbot):
    fake = FakeServer(me=me_payload(package="plus"), segments=[segment(i) for i in range(1, 6)])
    view = make_view(qtbot, fake)
    with qtbot.assertNotEmitted(view.createRequested, wait=300):
        view.create_button.click()
        qtbot.waitUntil(lambda: view.limit_message.isVisible(), timeout=3000)
    assert view.limit_message.text() == LIMIT_REACHED == ("Segment limit reached. Delete an existing segment "
                                                          "to create a new one.")


def test_below_the_limit_create_is_requested(qtbot):
    fake = FakeServer(me=me_payload(package="plus"), segments=[segment(i) for i in range(1, 5)])
    view = make_view(qtbot, fake)
    with qtbot.waitSignal(view.createRequested, timeout=3000):
        view.create_button.click()
    assert not view.limit_message.isVisible()


def test_duplicate_at_the_limit_shows_the_message(qtbot):
    fake = FakeServer(me=me_payload(package="plus"), segments=[segment(i) for i in range(1, 6)])
    view = make_view(qtbot, fake)
    view.table.selectRow(0)
    view.duplicate_selected()
    qtbot.waitUntil(lambda: view.limit_message.isVisible(), timeout=3000)
    assert view.limit_message.text() == LIMIT_REACHED


def test_pending_rows_are_polled_until_ready(qtbot):
    fake = FakeServer(segments=[segment(1, name="Fresh", readiness="pending"), segment(2)], ready_after={1: 3})
    view = make_view(qtbot, fake)
    assert view.poll_timer.isActive()
    view.poll_timer.setInterval(50)
    qtbot.waitUntil(lambda: view.model.index(names(view).index("Fresh"), 2).data() == "Ready", timeout=5000)
    qtbot.waitUntil(lambda: not view.poll_timer.isActive(), timeout=2000)
    polls = len(fake.calls("GET", "/segments"))
    qtbot.wait(300)
    assert len(fake.calls("GET", "/segments")) == polls, "no polling once every row is ready"


def test_view_details_shows_rules_readiness_and_members(qtbot):
    fake = FakeServer(segments=[segment(1, name="WhatsApp fans", members=4321)])
    view = make_view(qtbot, fake)
    view.table.selectRow(0)
    view.view_action.trigger()
    assert view.detail.isVisible()
    assert "WhatsApp fans" in view.detail.name.text()
    assert view.detail.summary.text() == "Source is WhatsApp", "the server's words"
    assert view.detail.readiness.text() == "Ready"
    assert view.detail.members.text() == "4,321"


def test_view_details_says_so_when_the_server_cannot_phrase_the_rules(qtbot):
    from segstudio.views.segment_detail import NO_SUMMARY

    fake = FakeServer(segments=[dict(segment(1), summary=None)])
    view = make_view(qtbot, fake)
    view.table.selectRow(0)
    view.view_action.trigger()
    assert view.detail.summary.text() == NO_SUMMARY


def test_agents_see_no_create_or_archive(qtbot):
    from tests.desktop.fakes import PERMISSIONS_AGENT

    fake = FakeServer(me=me_payload(PERMISSIONS_AGENT), segments=[dict(segment(1), can_edit=False,
                                                                      can_archive=False)])
    view = make_view(qtbot, fake)
    assert not view.create_button.isVisible()
    view.table.selectRow(0)
    assert not view.archive_action.isVisible() and not view.edit_action.isVisible()
    assert not view.duplicate_action.isVisible()
    assert view.view_action.isEnabled()
