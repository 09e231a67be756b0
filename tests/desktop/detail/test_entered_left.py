"""Entered and left on the detail page against the real bundled backend (issue 17 item 2): counts per
evaluation, names on demand and paged, owned-only scoping, and the growth chart's stacked bars and time axis."""

from __future__ import annotations

import pytest

from segstudio.views.detail import SegmentDetailView
from tests.desktop.detail.conftest import EVERYONE, TZ, WHATSAPP, as_segment

pytestmark = pytest.mark.qt


def open_view(qtbot, client, access, connection, body) -> SegmentDetailView:
    view = SegmentDetailView(client, access, connection, as_segment(body), tz=TZ)
    qtbot.addWidget(view)
    view.resize(1200, 760)
    view.show()
    view.changes_presenter.page_size = 4
    view.load()
    return view


def test_each_evaluation_shows_who_entered_and_left_with_names_paged(qtbot, admin_api, signed_in, connection):
    body = admin_api.create_segment("Entered (names)", WHATSAPP)
    client, _, access = signed_in()
    view = open_view(qtbot, client, access, connection, body)
    c = view.changes
    view.tabs.setCurrentWidget(c)
    qtbot.waitUntil(lambda: c.model.rowCount() >= 1, timeout=10_000)
    assert [c.model.index(0, col).data() for col in (2, 3, 4)] == ["6", "6", "0"]
    c.table.selectRow(0)
    qtbot.waitUntil(lambda: c.names.count() == 4, timeout=10_000)
    assert c.page_label.text() == "1–4 of 6" and c.next_button.isEnabled()
    c.next_button.click()
    qtbot.waitUntil(lambda: c.names.count() == 2 and c.page == 2, timeout=10_000)
    c.which.setCurrentIndex(1)  # who left
    qtbot.waitUntil(lambda: c.hint.text() == "Nobody left.", timeout=10_000)
    assert c.names.count() == 0


def test_an_owned_only_viewer_sees_counts_but_only_their_customers(qtbot, admin_api, signed_in, connection):
    body = admin_api.create_segment("Entered (agent)", EVERYONE)
    client, _, access = signed_in("agent")
    view = open_view(qtbot, client, access, connection, body)
    c = view.changes
    qtbot.waitUntil(lambda: c.model.rowCount() >= 1, timeout=10_000)
    assert c.model.index(0, 3).data() == "12"
    c.table.selectRow(0)
    qtbot.waitUntil(lambda: c.hint.text() != "Choose an evaluation to see who entered and left.", timeout=10_000)
    assert c.names.count() == 0 and c.hint.text() == "Showing 0 of 12 — your access shows customers you own"


def test_growth_chart_stacks_entered_and_left_and_ends_at_the_last_evaluation(qtbot, admin_api, signed_in,
                                                                             connection):
    body = admin_api.create_segment("Entered (chart)", WHATSAPP)
    client, _, access = signed_in()
    view = open_view(qtbot, client, access, connection, body)
    p = view.performance
    view.tabs.setCurrentWidget(p)
    qtbot.waitUntil(lambda: not p.growth.is_empty, timeout=10_000)
    assert p.growth.flows is not None and p.growth.flows.entered[-1] == 6 and p.growth.flows.left[-1] == 0
    last = p.growth.series[0][1].xs[-1]
    low, high = p.growth.plot.getPlotItem().vb.viewRange()[0]
    assert high == pytest.approx(last, abs=1) and low < last - 6 * 86_400
