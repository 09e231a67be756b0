"""Each builder row shows how many customers it alone matches, from the same debounced preview round trip:
greyed while an edit is pending, flagged when a condition matches nobody, matched to rows by node id."""

from __future__ import annotations

from tests.desktop.builder.fake_backend import FakeBackend

RULES = {"combinator": "and", "rules": [
    {"field": "source", "operator": "is", "value": "WhatsApp"},
    {"combinator": "or", "rules": [
        {"field": "address.province", "operator": "is", "value": "Jakarta"},
        {"field": "address.province", "operator": "is", "value": "Atlantis"}]}]}


def _label(view, node_id):
    return getattr(view.row(node_id), "count_label", None)


def test_rows_show_their_own_counts_grey_while_stale_and_flag_zero(qtbot, make_view, backend: FakeBackend) -> None:
    view = make_view({"id": 3, "name": "x", "description": "", "rules": RULES})
    tree = view.document.tree
    source, group = tree.root.rules
    jakarta, atlantis = group.rules
    qtbot.waitUntil(lambda: _label(view, source.id) is not None and _label(view, source.id).isVisible(),
                    timeout=3000)
    assert len(backend.previews) == 1  # the counts came with the one preview request
    assert _label(view, source.id).text() == "3"
    assert _label(view, group.id).text() == "3"
    assert _label(view, jakarta.id).text() == "3"
    assert _label(view, atlantis.id).text() == "⚠ 0" and _label(view, atlantis.id).property("zero") is True
    assert _label(view, tree.root.id).text() == "2"  # WhatsApp in Jakarta
    view.document.set_value(source.id, "Email")
    assert _label(view, source.id).property("stale") is True  # greyed until the answer comes
    qtbot.waitUntil(lambda: _label(view, source.id).text() == "1", timeout=3000)
    assert _label(view, source.id).property("stale") is False
    assert _label(view, tree.root.id).text() == "⚠ 0"
