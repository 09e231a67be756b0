"""The "Why?" window for a saved segment and the customer profile window, against the real bundled server:
they never block (plain tool windows), show what the server explained, and say in place why they could not."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from segstudio.client import ApiClient
from segstudio.views.customer_window import ExplainWindow, ProfileWindow
from tests.desktop.conftest import PASSWORD

RULES = {"combinator": "and", "rules": [{"field": "source", "operator": "is", "value": "WhatsApp"}]}


def _lines(tree) -> list[str]:
    return [tree.topLevelItem(i).text(0).strip() for i in range(tree.topLevelItemCount())]


def test_why_and_profile_windows_show_the_servers_answers(qtbot, live_server, run_async) -> None:
    client = ApiClient(live_server.url)
    run_async(client.login(live_server.users["org_admin"], PASSWORD))
    try:
        segment = run_async(client.create_segment("WhatsApp (explain window test)", RULES))
        customer = run_async(client.preview(RULES)).sample[0].id
        why = ExplainWindow(client, segment.id, customer)
        qtbot.addWidget(why)
        why.show()
        assert not why.isModal()
        qtbot.waitUntil(lambda: why.panel.tree.topLevelItemCount() == 2, timeout=10_000)
        assert _lines(why.panel.tree)[0] == "✓ Matches all of these"
        assert _lines(why.panel.tree)[1].startswith("✓ Source: WhatsApp")
        assert why.panel.note.text()  # the committed membership agrees, or says the data changed since
        why.profile_button.click()  # the customer's profile, from the Why? window
        qtbot.waitUntil(lambda: any(isinstance(w, ProfileWindow) and w.isVisible()
                                    for w in QApplication.topLevelWidgets()), timeout=10_000)
        missing = ExplainWindow(client, segment.id, "no-such-customer")
        qtbot.addWidget(missing)
        qtbot.waitUntil(lambda: "not found" in missing.panel.message.text(), timeout=10_000)
        profile = ProfileWindow(client, customer)
        qtbot.addWidget(profile)
        profile.show()
        qtbot.waitUntil(profile.tree.isVisible, timeout=10_000)
        sections = _lines(profile.tree)
        assert sections[:3] == ["Properties", "Custom fields", "Metrics"] and "Latest deals (none)" in sections
        metrics = profile.tree.topLevelItem(2)
        assert metrics.childCount() > 10 and metrics.child(0).toolTip(0)  # each metric with its definition
        gone = ProfileWindow(client, "no-such-customer")
        qtbot.addWidget(gone)
        qtbot.waitUntil(lambda: "not found" in gone.message.text(), timeout=10_000)
    finally:
        run_async(client.aclose())
