"""The segment list's Delete action: asked first, shown only with customers_segment_manage for that segment
(all, or owned and created by this user), and deleting frees a place so the limit message goes."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from segstudio.services.access import Access
from segstudio.services.network import ConnectionStatus
from segstudio.services.segment_list import SegmentListController
from segstudio.views.segment_list import SegmentListView
from tests.desktop.admin.conftest import TZ

pytestmark = pytest.mark.qt

RULES = {"combinator": "and", "rules": [{"field": "source", "operator": "is", "value": "WhatsApp"}]}


@pytest.fixture
def segments(admin_org):
    """Two segments: one created by the Org Admin, one by the Team Lead."""
    made = {}
    for role in ("org_admin", "team_lead"):
        r = admin_org.api("POST", "/segments", role=role, json={"name": f"By {role}", "rules": RULES})
        assert r.status_code == 201, r.text
        made[role] = r.json()
    yield made
    for segment in made.values():
        admin_org.api("DELETE", f"/segments/{segment['id']}")


@pytest.fixture
def list_view(qtbot, run_async, sign_in):
    def make(who: str) -> SegmentListView:
        client = sign_in(who)
        me = run_async(client.me())
        controller = SegmentListController(client, TZ)
        view = SegmentListView(controller, Access(me), ConnectionStatus())
        qtbot.addWidget(view)
        view.resize(1000, 600)
        view.show()
        controller.reload()
        qtbot.waitUntil(lambda: controller.loaded and not controller.loading, timeout=10_000)
        return view
    return make


def test_delete_shows_only_where_the_role_may_manage_the_segment(list_view, segments):
    lead = list_view("team_lead")
    assert lead.select_segment(segments["team_lead"]["id"])
    assert lead.actions.delete_action.isVisible(), "a Team Lead manages the segments they created"
    assert lead.select_segment(segments["org_admin"]["id"])
    assert not lead.actions.delete_action.isVisible(), "and not someone else's"
    assert lead.actions.delete_selected() is None
    agent = list_view("agent")
    for segment in segments.values():
        assert agent.select_segment(segment["id"])
        assert not agent.actions.delete_action.isVisible()
    admin = list_view("org_admin")
    assert admin.select_segment(segments["team_lead"]["id"]) and admin.actions.delete_action.isVisible()


def test_delete_asks_first_and_then_removes_the_segment(qtbot, list_view, segments, admin_org):
    view = list_view("team_lead")
    own = segments["team_lead"]
    assert view.select_segment(own["id"])
    box = view.actions.delete_selected()
    assert box is not None and box.objectName() == "deleteConfirm" and "cannot be restored" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    qtbot.wait(200)
    assert admin_org.api("GET", f"/segments/{own['id']}").status_code == 200, "Cancel deletes nothing"

    view.controller.limit_message = "Segment limit reached. Delete an existing segment to create a new one."
    assert view.select_segment(own["id"])
    box = view.actions.delete_selected()
    next(b for b in box.buttons() if b.text() == "Delete").click()
    qtbot.waitUntil(lambda: all(view.model.segment(r).id != own["id"] for r in range(view.model.rowCount())),
                    timeout=10_000)
    assert view.notice.text() == f"“{own['name']}” deleted."
    assert view.controller.limit_message is None
    assert admin_org.api("GET", f"/segments/{own['id']}").status_code == 404
