"""Live preview (debounced, newest wins, empty state) and saving (409, 400, server gone) without losing work."""

from __future__ import annotations

from segstudio.core.backend import BackendError, BackendUnavailable
from segstudio.views.builder import BuilderView
from segstudio.widgets.builder.preview_panel import EMPTY_TEXT
from tests.core.cases import NESTED_JSON, without_ids
from tests.desktop.builder.fake_backend import FakeBackend

FLAT = {"combinator": "and", "rules": [{"field": "source", "operator": "is", "value": "WhatsApp"}]}


def edit_view(make_view, rules=FLAT, **kwargs) -> BuilderView:
    return make_view({"id": 9, "name": "WhatsApp", "description": "", "rules": rules}, **kwargs)


def test_preview_waits_500ms_after_the_last_edit(qtbot, make_view, backend: FakeBackend) -> None:
    view = edit_view(make_view, delay=0.5)
    qtbot.waitUntil(lambda: len(backend.previews) == 1, timeout=3000)
    cid = view.document.tree.conditions()[0].id
    for value in ("Email", "Instagram", "WhatsApp", "Email"):
        view.document.set_value(cid, value)
        qtbot.wait(150)
    assert len(backend.previews) == 1  # still typing: nothing sent
    qtbot.wait(300)
    assert len(backend.previews) == 1  # 300 ms after the last edit: still nothing
    qtbot.waitUntil(lambda: len(backend.previews) == 2, timeout=2000)
    assert backend.previews[-1]["rules"][0]["value"] == "Email"
    qtbot.wait(600)
    assert len(backend.previews) == 2


def test_preview_shows_counts_summary_and_first_customers(qtbot, make_view, backend) -> None:
    view = edit_view(make_view)
    panel = view.preview_panel
    qtbot.waitUntil(lambda: "matched" in panel.counts.text(), timeout=3000)
    assert panel.counts.text() == "Filter results from 5 customers · <b>3 matched</b>"
    assert panel.summary.text() == "Source is WhatsApp"
    assert panel.stack.currentWidget() is panel.table
    names = [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())]
    assert names == ["Budi Santoso", "Agus Wijaya", "Rina Putri"]
    assert panel.table.horizontalHeaderItem(0).text() == "Full name"


def test_no_match_shows_the_empty_state(qtbot, make_view) -> None:
    rules = {"combinator": "and", "rules": [{"field": "source", "operator": "is", "value": "Email"},
                                            {"field": "address.province", "operator": "is", "value": "Jakarta"}]}
    view = edit_view(make_view, rules)
    panel = view.preview_panel
    qtbot.waitUntil(lambda: panel.stack.currentWidget() is panel.empty, timeout=3000)
    assert panel.empty.text() == EMPTY_TEXT
    assert "0 matched" in panel.counts.text()


def test_incomplete_rows_are_left_out_of_the_preview(qtbot, make_view, backend) -> None:
    view = edit_view(make_view)
    qtbot.waitUntil(lambda: len(backend.previews) == 1, timeout=3000)
    view.row(view.document.tree.root.id).add_condition.click()
    assert view.preview_panel.note.text() == "1 incomplete condition is left out of this preview."
    qtbot.wait(300)
    assert len(backend.previews) == 1  # the rules asked did not change, so nothing is re-sent


def test_a_slow_stale_answer_never_replaces_a_newer_one(qtbot, make_view) -> None:
    slow = FakeBackend(delay=0.3)
    view = edit_view(make_view, fake=slow)
    panel = view.preview_panel
    qtbot.waitUntil(lambda: len(slow.previews) == 1, timeout=3000)
    assert panel.busy.isVisibleTo(panel)
    cid = view.document.tree.conditions()[0].id
    view.document.set_value(cid, "Email")
    qtbot.waitUntil(lambda: "matched" in panel.counts.text() and not panel.busy.isVisibleTo(panel), timeout=3000)
    qtbot.wait(400)
    assert "1 matched" in panel.counts.text()
    assert view.preview.cancelled >= 1


def test_save_creates_the_segment(qtbot, make_view, backend) -> None:
    view = make_view()
    view.info.name.setText("WhatsApp fans")
    view.info.description.setPlainText("From the chat channel")
    view.info.continue_button.click()
    cid = view.document.tree.conditions()[0].id
    view.row(cid).field_button.picked.emit("source")
    view.document.set_value(cid, "WhatsApp")
    with qtbot.waitSignal(view.saved, timeout=3000) as signal:
        view.save_button.click()
    [(segment_id, name, description, rules)] = backend.saves
    assert (segment_id, name, description, without_ids(rules)) == (None, "WhatsApp fans", "From the chat channel", FLAT)
    assert rules["id"] == view.document.tree.root.id and rules["rules"][0]["id"] == cid, "ids go on the wire"
    assert signal.args[0]["id"] == 41
    assert not view.has_unsaved_changes()


def test_409_quota_is_shown_and_the_tree_kept(qtbot, nested_view: BuilderView, backend) -> None:
    backend.save_error = BackendError(409, "Segment limit reached. Delete an existing segment to create a new one.")
    nested_view.save_button.click()
    qtbot.waitUntil(lambda: nested_view.banner.isVisible(), timeout=3000)
    assert nested_view.banner.text() == "Segment limit reached. Delete an existing segment to create a new one."
    assert nested_view.document.tree.to_json() == NESTED_JSON
    assert nested_view.save_button.isEnabled()


def test_400_paths_land_on_their_rows(qtbot, nested_view: BuilderView, backend) -> None:
    backend.save_error = BackendError(400, "The rules are not valid.", {
        "rules.rules.1.rules.0.value": "Unknown deal stage", "name": "A segment with this name exists"})
    nested_view.save_button.click()
    deal = nested_view.document.tree.node_at((1, 0)).id
    qtbot.waitUntil(lambda: nested_view.row(deal).error.text() == "Unknown deal stage", timeout=3000)
    assert nested_view.row(deal).editor.line.property("invalid") is True
    assert "The rules are not valid." in nested_view.banner.text()
    assert nested_view.info.name_error.text() == "A segment with this name exists"
    assert not nested_view.save_button.isEnabled()
    assert nested_view.document.tree.to_json() == NESTED_JSON
    # Editing the row clears the server's message for it.
    nested_view.document.set_value(deal, "Lost")
    assert nested_view.row(deal).error.text() == ""


def test_server_gone_or_500_keeps_everything(qtbot, nested_view: BuilderView, backend) -> None:
    backend.save_error = BackendUnavailable("Cannot reach the server at http://127.0.0.1:9.")
    nested_view.save_button.click()
    qtbot.waitUntil(lambda: "nothing was lost" in nested_view.banner.text(), timeout=3000)
    assert nested_view.banner.text().startswith("Cannot reach the server")
    assert nested_view.document.tree.to_json() == NESTED_JSON
    backend.save_error = BackendError(500, "Internal error")
    nested_view.save_button.click()
    qtbot.waitUntil(lambda: "server had a problem" in nested_view.banner.text(), timeout=3000)
    assert nested_view.document.tree.to_json() == NESTED_JSON
    assert nested_view.has_unsaved_changes() is False  # nothing edited since loading
    backend.save_error = None
    with qtbot.waitSignal(nested_view.saved, timeout=3000):
        nested_view.save_button.click()
    assert backend.saves[-1] == (5, "WhatsApp Jakarta", None, NESTED_JSON)


def test_preview_failure_is_shown_in_the_panel(qtbot, make_view) -> None:
    failing = FakeBackend()
    failing.preview_error = BackendUnavailable("Cannot reach the server.")
    view = edit_view(make_view, fake=failing)
    panel = view.preview_panel
    qtbot.waitUntil(lambda: "could not be updated" in panel.message.text(), timeout=3000)
    assert without_ids(view.document.tree.to_json()) == FLAT
