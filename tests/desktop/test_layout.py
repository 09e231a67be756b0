"""Issue 14 "done when": every screen at 1024×700 and 1920×1080 against the real bundled backend — the list
(and its side panel), the builder with a nested tree of each editor kind, the detail tabs, Send campaign,
Compare, Customers and each Administration page. It fails when the window is larger than the screen (or
needs to be) or a visible label, button, line edit or combo box shows clipped or elided text
(tests/desktop/layout_check.py measures)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QSize

from backend.campaigns.service import ensure_demo_templates
from backend.db import Database
from segstudio.client import ApiClient
from segstudio.client.models import Segment
from segstudio.core.catalog import ValueKind
from segstudio.views.admin.section import LABELS as ADMIN_PAGES
from segstudio.views.builder.client_backend import ClientBackend
from segstudio.views.main_window import CUSTOMERS, SEGMENTS, MainWindow
from segstudio.views.style import apply as apply_style
from tests.desktop.conftest import PASSWORD, LiveServer
from tests.desktop.detail.conftest import EVERYONE, WHATSAPP, Api
from tests.desktop.layout_check import clipped_texts, oversize

pytestmark = pytest.mark.qt

SIZES = {"1024x700": QSize(1024, 700), "1920x1080": QSize(1920, 1080)}


@pytest.fixture(scope="module")
def layout_data(live_server: LiveServer) -> dict[str, Any]:
    api = Api(live_server, live_server.users["org_admin"])
    db = Database(live_server.process.database_url)
    try:
        with db.session() as session:
            ensure_demo_templates(session, live_server.org_id)
    finally:
        db.dispose()
    made = [api.create_segment(name, rules) for name, rules in (
        ("Layout: WhatsApp customers from the last campaign wave", WHATSAPP), ("Layout: everyone", EVERYONE))]
    return {"segments": made}


def nested_rules(catalog: Any) -> dict[str, Any]:
    """A tree with one row of each editor kind the catalog offers (and an association row), nested."""
    wanted = [ValueKind.TEXT, ValueKind.CHOICE, ValueKind.MULTI, ValueKind.NUMBER, ValueKind.NUMBER_RANGE,
              ValueKind.DATE, ValueKind.DATE_RANGE, ValueKind.DAYS, ValueKind.BOOLEAN]
    values = {ValueKind.TEXT: "Jakarta", ValueKind.CHOICE: "WhatsApp", ValueKind.MULTI: ["VIP", "Gold"],
              ValueKind.NUMBER: 1000000, ValueKind.NUMBER_RANGE: [1000, 5000000], ValueKind.DATE: "2026-01-15",
              ValueKind.DATE_RANGE: ["2026-01-01", "2026-03-31"], ValueKind.DAYS: 30, ValueKind.BOOLEAN: True}
    rows: list[dict[str, Any]] = []
    for kind in wanted:
        found = next(((f, op) for f in catalog.fields if f.available and f.association is None
                      for op in f.operators if f.value_kind(op) is kind), None)
        if found is not None:
            rows.append({"field": found[0].key, "operator": found[1], "value": values[kind]})
    association = next(((f, op) for f in catalog.fields if f.available and f.association is not None
                        for op in f.operators if f.value_kind(op) is ValueKind.CHOICE), None)
    if association is not None:
        rows.append({"field": association[0].key, "operator": association[1], "value": "Won", "match": "any"})
    return {"combinator": "and", "rules": [
        *rows[:2],
        {"combinator": "or", "rules": rows[2:5]},
        {"combinator": "and", "rules": rows[5:8]},
        *rows[8:],
    ]}


class Walk:
    """The main window of a signed-in Org Admin, and how to bring up each screen."""

    def __init__(self, qtbot, run_async, live_server: LiveServer, data: dict[str, Any], size: QSize) -> None:
        self.qtbot = qtbot
        self.run_async = run_async
        self.client = ApiClient(live_server.url)
        run_async(self.client.login(live_server.users["org_admin"], PASSWORD))
        self.me = run_async(self.client.me())
        self.data = data
        self.window = MainWindow(self.client, self.me, connection=_connection(self.client), tz=self.me.organisation
                                 .timezone, server_label=f"{live_server.url} (on this computer)")
        qtbot.addWidget(self.window)
        self.window.show()
        qtbot.waitExposed(self.window)
        # The screen holds the frame too: the window gets what is left of the screen inside it.
        frame = self.window.frameGeometry().size() - self.window.size()
        self.window.resize(size - frame)
        qtbot.wait(50)

    def segment(self, i: int = 0) -> Segment:
        return Segment.model_validate(self.data["segments"][i])

    def settle(self, ms: int = 150) -> None:
        self.qtbot.wait(ms)

    # --- screens ---------------------------------------------------------------------------------------

    def segments(self) -> None:
        self.window.show_page(SEGMENTS)
        view = self.window.segments
        self.qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=10_000)

    def segment_panel(self) -> None:
        self.segments()
        view = self.window.segments
        view.select_segment(self.data["segments"][0]["id"])
        view.view_details()
        self.qtbot.waitUntil(lambda: view.detail.isVisible(), timeout=5000)

    def builder(self) -> None:
        catalog = self.run_async(ClientBackend(self.client, None, self.me).catalog())
        segment = self.segment().model_copy(update={"rules": nested_rules(catalog)})
        builder = self.window.open_builder(segment)
        self.qtbot.waitUntil(lambda: builder.tree_view is not None, timeout=10_000)
        builder.go_to_rules()

    def detail(self, tab: str) -> None:
        view = self.window.segment_pages.open(self.segment())
        self.qtbot.waitUntil(lambda: view.overview.model.rowCount() > 0, timeout=10_000)
        self.qtbot.waitUntil(lambda: not view.performance.growth.is_empty, timeout=10_000)
        view.tabs.setCurrentWidget(getattr(view, tab))

    def send_campaign(self) -> None:
        self.detail("overview")
        view = self.window.segment_pages.detail
        panel = view.open_campaign()
        panel.choose_channel("email")
        self.qtbot.waitUntil(lambda: panel.continue_button.isEnabled() and panel.template.count() > 0,
                             timeout=10_000)
        panel.continue_button.click()
        panel.template.setCurrentIndex(max(0, panel.template.findText("Welcome email")))
        self.qtbot.waitUntil(lambda: bool(panel.options), timeout=10_000)

    def compare(self) -> None:
        self.window.show_page("compare")
        view = self.window.segment_pages.compare
        self.qtbot.waitUntil(lambda: view.picker.count() >= 2, timeout=10_000)
        view.select([s["id"] for s in self.data["segments"]])
        task = view.compare()
        self.qtbot.waitUntil(task.done, timeout=10_000)

    def customers(self) -> None:
        self.window.show_page(CUSTOMERS)
        view = self.window.customers
        self.qtbot.waitUntil(lambda: view.model.rowCount() > 0 and view.segment_list.count() > 0, timeout=10_000)
        view.table.selectRow(0)
        self.qtbot.waitUntil(lambda: view.result_message.text().startswith("Segments of")
                             or "in no segment" in view.result_message.text(), timeout=10_000)

    def admin(self, key: str) -> None:
        self.window.show_page(key)
        page = self.window.admin.pages[key]
        self.qtbot.waitUntil(lambda: getattr(page, "loaded", True) and not getattr(page, "busy", False),
                             timeout=10_000)


def _connection(client: ApiClient) -> Any:
    from segstudio.services.network import ConnectionStatus

    status = ConnectionStatus()
    status.attach(client)
    return status


SCREENS: dict[str, Callable[[Walk], None]] = {
    "segment-list": Walk.segments,
    "segment-panel": Walk.segment_panel,
    "builder": Walk.builder,
    "detail-overview": lambda w: w.detail("overview"),
    "detail-performance": lambda w: w.detail("performance"),
    "send-campaign": Walk.send_campaign,
    "compare": Walk.compare,
    "customers": Walk.customers,
    **{f"admin-{label.lower().replace(' ', '-')}": (lambda page: lambda w: w.admin(page))(key)
       for key, label in ADMIN_PAGES.items()},
}


def _params() -> list[Any]:
    return [pytest.param(size, screen, id=f"{size}-{screen}") for size in SIZES for screen in SCREENS]


@pytest.fixture
def app_style(qapp):
    """The app's own style (Fusion and its stylesheet), as users see it; the test session's style after."""
    style, sheet = qapp.style().name(), qapp.styleSheet()
    apply_style(qapp)
    yield
    qapp.setStyleSheet(sheet)
    qapp.setStyle(style)


@pytest.mark.parametrize(("size", "screen"), _params())
def test_every_screen_fits_and_shows_its_text_whole(qtbot, app_style, run_async, live_server, layout_data, size,
                                                     screen):
    walk = Walk(qtbot, run_async, live_server, layout_data, SIZES[size])
    try:
        SCREENS[screen](walk)
        walk.settle()
        problems = oversize(walk.window, SIZES[size]) + clipped_texts(walk.window)
        assert not problems, f"{screen} at {size}:\n" + "\n".join(problems)
    finally:
        walk.window.close()
        run_async(walk.client.aclose())
