"""Send campaign panel, the customers index with its Segments section, the compare view, and how the main
window opens them — against the real bundled backend."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from segstudio.views.campaign_dialog import SendCampaignDialog, SendCampaignPanel
from segstudio.views.compare import GONE, CompareView
from segstudio.views.customers import CustomersView
from segstudio.views.detail import SegmentDetailView
from segstudio.views.main_window import MainWindow
from tests.core.clock import ManualTimers
from tests.desktop.detail.conftest import EVERYONE, NOBODY, TZ, WHATSAPP, as_segment

pytestmark = pytest.mark.qt


def panel_for(qtbot, client, body) -> SendCampaignPanel:
    panel = SendCampaignPanel(client, as_segment(body))
    qtbot.addWidget(panel)
    panel.show()
    return panel


def test_estimate_per_channel_and_continue_disabled_at_zero(qtbot, admin_api, signed_in, templates):
    body = admin_api.create_segment("Campaign estimate", WHATSAPP)
    client, _, _ = signed_in()
    panel = panel_for(qtbot, client, body)
    panel.choose_channel("whatsapp")  # the test customers have e-mail addresses but no phone numbers
    qtbot.waitUntil(lambda: panel.estimate is not None, timeout=10_000)
    assert panel.estimate_label.text() == "0 of 6 matched customers have filled phone numbers"
    assert not panel.continue_button.isEnabled()
    panel.choose_channel("email")
    qtbot.waitUntil(lambda: panel.estimate is not None and panel.estimate.reachable == 6, timeout=10_000)
    assert panel.estimate_label.text() == "6 of 6 matched customers have filled email"
    assert panel.continue_button.isEnabled()


def test_template_variables_map_to_catalog_properties_and_the_list_is_created(qtbot, admin_api, signed_in,
                                                                              templates):
    body = admin_api.create_segment("Campaign create", WHATSAPP)
    client, _, _ = signed_in()
    panel = panel_for(qtbot, client, body)
    panel.choose_channel("email")
    qtbot.waitUntil(lambda: panel.continue_button.isEnabled() and panel.template.count() > 0 and bool(panel.options),
                    timeout=10_000)
    panel.continue_button.click()
    newsletter = panel.template.findText("Monthly newsletter")
    panel.template.setCurrentIndex(newsletter)
    assert panel.mapping_box.isHidden() and panel.create_button.isEnabled()  # no variables, no mapping section
    panel.template.setCurrentIndex(panel.template.findText("Welcome email"))
    assert not panel.mapping_box.isHidden()
    assert panel.mapping() == {"full_name": "full_name", "email": "email"}
    keys = [panel.variable_boxes["email"].itemData(i) for i in range(panel.variable_boxes["email"].count())]
    assert "id" in keys and "loyalty_current_tier" in keys and not any(k and k.startswith("metric.") for k in keys)
    panel.variable_boxes["email"].setCurrentIndex(0)  # "Choose a property…"
    assert not panel.create_button.isEnabled()
    assert panel.variable_errors["email"].text() == "Choose a customer property for {{email}}."
    panel.variable_boxes["email"].setCurrentIndex(panel.variable_boxes["email"].findData("email"))
    with qtbot.waitSignal(panel.created, timeout=10_000) as signal:
        panel.create_button.click()
    created = signal.args[0]
    assert created.size == 6
    assert panel.message.text().startswith(f"Recipient list {created.id} created with 6 recipients.")


def test_a_segment_still_updating_cannot_start_a_campaign(qtbot, admin_api, signed_in, templates):
    body = admin_api.create_segment("Campaign pending", WHATSAPP)
    client, _, _ = signed_in()
    panel = panel_for(qtbot, client, {**body, "readiness": "not_ready"})
    assert not panel.continue_button.isEnabled()
    assert panel.continue_button.toolTip() == "Segment is still being recalculated, please wait"
    assert not panel.channel_buttons["whatsapp"].isEnabled()


def test_the_dialog_hosts_the_panel_for_the_segment_list(qtbot, admin_api, signed_in, templates):
    body = admin_api.create_segment("Campaign dialog", WHATSAPP)
    client, _, _ = signed_in()
    dialog = SendCampaignDialog(client, as_segment(body))
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.load()
    qtbot.waitUntil(lambda: dialog.panel.estimate is not None, timeout=10_000)
    assert dialog.panel.channel == "whatsapp"
    dialog.panel.close_button.click()
    assert not dialog.isVisible()


def test_customers_index_pages_searches_and_lists_segments_newest_first(qtbot, admin_api, signed_in, connection):
    admin_api.create_segment("Older segment (index)", WHATSAPP, wait=False)
    admin_api.create_segment("Newest segment (index)", EVERYONE, wait=False)
    client, _, access = signed_in()
    clock = ManualTimers()
    view = CustomersView(client, access, connection, tz=TZ, call_later=clock.call_later)
    qtbot.addWidget(view)
    view.show()
    view.load_recent()
    qtbot.waitUntil(lambda: view.model.rowCount() == 12 and view.segment_list.count() >= 2, timeout=10_000)
    assert view.model.index(0, 1).data() == "C012"  # newest first
    assert view.page_label.text() == "1–12 of 12 customers"
    names = [view.segment_list.item(i).text() for i in range(view.segment_list.count())]
    assert names.index("Newest segment (index)") < names.index("Older segment (index)")
    view.search.setText("customer 1")
    clock.advance(0.2)
    view.search.setText("customer 11")
    assert view.search_debounce.scheduled and view.page_label.text() == "1–12 of 12 customers", "debounced"
    clock.advance(0.3)
    assert view.page_label.text() == "Loading…"
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=10_000)
    assert view.model.index(0, 0).data() == "Customer 11"
    view.search.setText("nobody by that name")
    clock.advance(0.3)
    qtbot.waitUntil(lambda: view.body.currentWidget() is view.empty, timeout=10_000)
    assert view.empty.text() == "No customer matches your search."
    with qtbot.waitSignal(view.segmentChosen, timeout=2000) as chosen:
        view.segment_list.itemClicked.emit(view.segment_list.item(names.index("Newest segment (index)")))
    assert chosen.args[0].name == "Newest segment (index)"
    with qtbot.waitSignal(view.createRequested, timeout=2000):
        view.all_filter.click()


def test_picking_a_customer_shows_their_segments(qtbot, admin_api, signed_in, connection):
    admin_api.create_segment("Everyone (lookup)", EVERYONE)
    client, _, access = signed_in()
    view = CustomersView(client, access, connection, tz=TZ)
    qtbot.addWidget(view)
    view.load_recent()
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=10_000)
    view.table.selectRow(0)
    qtbot.waitUntil(lambda: view.result_segments.count() > 0, timeout=10_000)
    assert "Everyone (lookup)" in [view.result_segments.item(i).text() for i in range(view.result_segments.count())]


def test_compare_two_segments_side_by_side_with_their_overlap(qtbot, admin_api, signed_in, connection):
    wa = admin_api.create_segment("Compare WhatsApp", WHATSAPP)
    everyone = admin_api.create_segment("Compare everyone", EVERYONE)
    nobody = admin_api.create_segment("Compare nobody", NOBODY)
    client, _, _ = signed_in()
    view = CompareView(client, connection, TZ)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    qtbot.waitUntil(lambda: view.picker.count() >= 3, timeout=10_000)
    view.select([wa["id"]])
    assert not view.compare_button.isEnabled() and view.message.text() == "Pick at least 2 segments to compare."
    view.select([wa["id"], everyone["id"], nobody["id"]])
    assert view.compare_button.isEnabled()
    view.compare_button.click()
    qtbot.waitUntil(lambda: view.result is not None, timeout=10_000)
    names = [view.figures.headerData(c, Qt.Orientation.Horizontal) for c in range(1, view.figures.columnCount())]
    table = {row[0]: dict(zip(names, row[1:], strict=True)) for row in view.figures.rows()}
    assert table["Customers matched"] == {"Compare WhatsApp": "6", "Compare everyone": "12", "Compare nobody": "0"}
    assert table["Reach"] == {"Compare WhatsApp": "50%", "Compare everyone": "100%", "Compare nobody": "0%"}
    assert table["Top source"]["Compare WhatsApp"] == "WhatsApp (100%)"
    assert table["Top source"]["Compare nobody"] == "—"
    assert table["Average CSAT"]["Compare everyone"] == "—"
    overlap = view.overlap.text().replace("Compare everyone ∩ Compare WhatsApp", "Compare WhatsApp ∩ Compare everyone")
    assert "Compare WhatsApp ∩ Compare everyone: 6 customers" in overlap
    assert "In all 3 segments: 0 customers" in view.overlap.text()
    assert not view.growth.is_empty and len(view.growth.series) == 3
    assert not view.bars.is_empty


def test_a_compared_segment_deleted_meanwhile_gives_a_clear_message(qtbot, admin_api, signed_in, connection):
    a = admin_api.create_segment("Compare keep", WHATSAPP)
    b = admin_api.create_segment("Compare drop", EVERYONE)
    client, _, _ = signed_in()
    view = CompareView(client, connection, TZ)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.picker.count() >= 2, timeout=10_000)
    view.select([a["id"], b["id"]])
    admin_api.call("DELETE", f"/segments/{b['id']}")
    view.compare()
    qtbot.waitUntil(lambda: view.message.text() not in ("", "Comparing…"), timeout=10_000)
    assert view.message.text() == GONE
    qtbot.waitUntil(lambda: b["id"] not in [view.picker.item(i).data(Qt.ItemDataRole.UserRole)
                                            for i in range(view.picker.count())], timeout=10_000)
    assert view.selected_ids() == [a["id"]]


def test_the_main_window_opens_the_detail_from_customers_and_has_a_compare_page(qtbot, admin_api, signed_in,
                                                                               connection):
    body = admin_api.create_segment("Window detail", WHATSAPP)
    client, me, _ = signed_in()
    connection.attach(client)
    window = MainWindow(client, me, connection=connection, tz=TZ, server_label="test")
    qtbot.addWidget(window)
    window.show()
    assert "compare" in window.page_keys()
    window.show_page("compare")
    assert window.stack.currentWidget() is window.segment_pages.compare
    window.customers.segmentChosen.emit(as_segment(body))
    detail = window.segment_pages.detail
    assert isinstance(detail, SegmentDetailView) and window.stack.currentWidget() is detail
    qtbot.waitUntil(lambda: detail.overview.matched.text() == "6", timeout=10_000)
    detail.closeRequested.emit()
    assert window.segment_pages.detail is None and window.current_page() == "segments"
    panel = window.segments.detail
    panel.show_segment(as_segment(body))
    panel.open_button.click()
    assert window.stack.currentWidget() is window.segment_pages.detail
    window.close()
