"""Cancel in the builder asks before it discards edits, as leaving by the sidebar does (issue 14, item 9)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from segstudio.views.builder import BuilderView
from segstudio.views.builder.view import DISCARD_TEXT


def _answer(qtbot, view: BuilderView, button_text: str) -> None:
    qtbot.waitUntil(lambda: view.discard_box is not None and view.discard_box.isVisible(), timeout=3000)
    box = view.discard_box
    assert isinstance(box, QMessageBox) and box.text() == DISCARD_TEXT
    button = next(b for b in box.buttons() if b.text() == button_text)
    button.click()


def test_cancel_with_edits_asks_and_keep_editing_keeps_them(qtbot, nested_view: BuilderView) -> None:
    view = nested_view
    cid = view.document.tree.conditions()[0].id
    view.document.set_value(cid, "Email")
    cancelled: list[bool] = []
    view.cancelled.connect(lambda: cancelled.append(True))
    view.rules_page.cancel_button.click()
    _answer(qtbot, view, "Keep editing")
    qtbot.waitUntil(lambda: view.discard_box is None, timeout=3000)
    assert not cancelled, "nothing is discarded without a yes"
    assert view.document.tree.find(cid).value == "Email"


def test_cancel_with_edits_discards_them_once_confirmed(qtbot, nested_view: BuilderView) -> None:
    view = nested_view
    view.document.set_value(view.document.tree.conditions()[0].id, "Email")
    view.rules_page.cancel_button.click()
    with qtbot.waitSignal(view.cancelled, timeout=3000):
        _answer(qtbot, view, "Discard changes")


def test_cancel_without_edits_leaves_at_once(qtbot, nested_view: BuilderView) -> None:
    with qtbot.waitSignal(nested_view.cancelled, timeout=1000):
        nested_view.rules_page.cancel_button.click()
    assert nested_view.discard_box is None


def test_cancel_on_the_info_step_asks_about_a_typed_name(qtbot, make_view) -> None:
    view = make_view()
    view.info.name.setText("Half a segment")
    cancelled: list[bool] = []
    view.cancelled.connect(lambda: cancelled.append(True))
    view.info.cancelled.emit()
    _answer(qtbot, view, "Keep editing")
    assert not cancelled and view.info.name.text() == "Half a segment"
