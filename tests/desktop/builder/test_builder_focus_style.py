"""Visible keyboard focus on the builder's own controls (their look is the builder's stylesheet)."""

from __future__ import annotations

import pytest

from tests.desktop.test_focus_style import app_style, looks_focused  # noqa: F401

pytestmark = pytest.mark.qt


@pytest.mark.usefixtures("app_style")
def test_the_builders_own_buttons_show_the_keyboard_focus(qtbot, nested_view):
    view = nested_view
    tree = view.document.tree
    condition = view.row(tree.node_at((1, 1)).id)
    group = view.row(tree.node_at((1,)).id)
    controls = {"field": condition.field_button, "operator": condition.operator, "connector": condition.connector,
                "remove": condition.remove_button, "all": group.and_button, "add": group.add_condition,
                "save": view.save_button, "back": view.rules_page.back_button}
    anchor = view.row(tree.node_at((0,)).id).field_button
    unchanged = [name for name, w in controls.items() if not looks_focused(qtbot, w, anchor)]
    assert unchanged == []
