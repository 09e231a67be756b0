"""The builder's live "Why?": a customer id (typed, or a preview row double-clicked) is explained node by node
and explained again as the rules change; a failed explain says why in place."""

from __future__ import annotations

from segstudio.core.backend import BackendUnavailable
from tests.desktop.builder.fake_backend import FakeBackend

RULES = {"combinator": "and", "rules": [
    {"field": "source", "operator": "is", "value": "WhatsApp"},
    {"field": "address.province", "operator": "is", "value": "Jakarta"}]}


def _texts(panel) -> list[str]:
    return [panel.tree.topLevelItem(i).text(0).strip() for i in range(panel.tree.topLevelItemCount())]


def test_a_typed_customer_is_explained_and_explained_again_after_an_edit(qtbot, make_view,
                                                                         backend: FakeBackend) -> None:
    view = make_view({"id": 3, "name": "x", "description": "", "rules": RULES})
    panel = view.explain_panel
    panel.customer_box.setText("C002")  # Siti Rahma: Email, Bandung
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() == 3, timeout=3000)
    assert panel.title.text() == "<b>Customer C002 does not match</b>"
    assert _texts(panel) == ["✗ Matches all of these", "✗ Source: Email", "✗ Province: Bandung"]
    source = view.document.tree.root.rules[0]
    view.document.set_value(source.id, "Email")
    qtbot.waitUntil(lambda: "✓ Source: Email" in _texts(panel), timeout=3000)
    assert backend.explains[-1][1] == "C002"
    assert backend.explains[-1][0]["rules"][0]["value"] == "Email"


def test_double_clicking_a_preview_customer_explains_them(qtbot, make_view, backend: FakeBackend) -> None:
    view = make_view({"id": 3, "name": "x", "description": "", "rules": RULES})
    table = view.preview_panel.table
    qtbot.waitUntil(lambda: table.rowCount() == 2, timeout=3000)
    table.cellDoubleClicked.emit(1, 0)
    assert view.explain_panel.customer_box.text() == "C003"
    qtbot.waitUntil(lambda: view.explain_panel.tree.topLevelItemCount() == 3, timeout=3000)
    assert _texts(view.explain_panel)[0] == "✓ Matches all of these"


def test_an_unknown_customer_or_a_failure_is_said_in_place(qtbot, make_view, backend: FakeBackend) -> None:
    view = make_view({"id": 3, "name": "x", "description": "", "rules": RULES})
    panel = view.explain_panel
    panel.customer_box.setText("nobody")
    qtbot.waitUntil(lambda: "No customer with the id 'nobody'" in panel.message.text(), timeout=3000)
    backend.explain_error = BackendUnavailable("The server did not answer.")
    panel.customer_box.setText("C001")
    qtbot.waitUntil(lambda: panel.message.text() == "Could not explain: The server did not answer.", timeout=3000)
    assert panel.message.isVisibleTo(panel) and not panel.tree.isVisibleTo(panel)
