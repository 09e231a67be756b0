"""The menu bar and the shortcuts of the main window, driven by key presses: each shortcut's effect, the
same QAction in the menu bar, the page's Actions menu and the row context menus, enabled with the page's
state, and the shortcut overview listing every live shortcut with no key bound twice."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit

from segstudio.views.actions import command_of, key_text
from segstudio.views.builder import BuilderView
from segstudio.views.detail.view import SegmentDetailView
from segstudio.views.main_window import CUSTOMERS, SEGMENTS
from tests.desktop.detail.conftest import WHATSAPP, as_segment

pytestmark = pytest.mark.qt
CTRL = Qt.KeyboardModifier.ControlModifier
NONE = Qt.KeyboardModifier.NoModifier


def key(qtbot, window, k: Qt.Key, modifiers=CTRL) -> None:
    qtbot.keyClick(QApplication.focusWidget() or window, k, modifiers)


def menu_actions(window, name: str) -> list:
    return [a for a in window.menu_actions.menus[name].actions() if not a.isSeparator()]


def list_loaded(window) -> bool:
    return window.segments.model.rowCount() > 0


def test_the_menu_bar_has_five_menus_sharing_the_pages_actions(qtbot, make_window, admin_api):
    admin_api.create_segment("Menu bar", WHATSAPP)
    window = make_window()
    assert [a.text() for a in window.menuBar().actions()] == ["&File", "&Edit", "&View", "&Segment", "&Help"]
    assert window.current_page() == SEGMENTS
    qtbot.waitUntil(lambda: list_loaded(window), timeout=10_000)
    edit = menu_actions(window, "Edit")
    # Nothing selected: the list hides Duplicate in its Actions menu; the menu bar shows it disabled.
    placeholder = next(a for a in edit if command_of(a) == "edit.duplicate")
    assert placeholder is not window.segments.duplicate_action and not placeholder.isEnabled()
    window.segments.table.selectRow(0)
    window.menu_actions.menus["Edit"].aboutToShow.emit()
    edit = menu_actions(window, "Edit")
    # The list's own Duplicate (its Actions menu and row menu) is the menu bar's, with the shortcut.
    assert window.segments.duplicate_action in edit
    assert window.segments.duplicate_action in window.segments.actions_menu.actions()
    assert key_text(window.segments.duplicate_action.shortcuts()) == ["Ctrl+D"]
    copy = next(a for a in edit if command_of(a) == "edit.copy")
    assert not copy.isEnabled() and copy.text().endswith("\tCtrl+C"), "builder-only: shown disabled"
    assert window.segments.duplicate_action.isEnabled()


def test_ctrl_f_ctrl_1_to_5_and_f5_from_the_keyboard(qtbot, make_window):
    window = make_window()
    key(qtbot, window, Qt.Key.Key_F)
    assert QApplication.focusWidget() is window.segments.search
    key(qtbot, window, Qt.Key.Key_2)
    assert window.current_page() == CUSTOMERS
    key(qtbot, window, Qt.Key.Key_F)
    assert QApplication.focusWidget() is window.customers.search
    key(qtbot, window, Qt.Key.Key_3)
    assert window.stack.currentWidget() is window.segment_pages.compare
    key(qtbot, window, Qt.Key.Key_5)
    assert window.current_page() in window.admin.pages
    key(qtbot, window, Qt.Key.Key_4)
    assert window.current_page() in window.admin.pages, "Analysis is not there yet: Ctrl+4 does nothing"
    assert not window.menu_actions.global_actions["view.go_analysis"].isEnabled()
    key(qtbot, window, Qt.Key.Key_1)
    assert window.current_page() == SEGMENTS
    calls = []
    reload = window.segment_list.reload
    window.segment_list.reload = lambda *a, **k: calls.append(1) or reload(*a, **k)
    key(qtbot, window, Qt.Key.Key_F5, NONE)
    assert calls == [1]


def test_an_agent_has_no_new_segment_and_no_administration(qtbot, make_window):
    window = make_window("agent")
    assert not window.menu_actions.global_actions["file.new_segment"].isEnabled()
    assert not window.menu_actions.global_actions["view.go_admin"].isEnabled()
    key(qtbot, window, Qt.Key.Key_N)
    assert window.builder is None


def test_ctrl_n_opens_the_builder_whose_actions_join_the_menus(qtbot, make_window):
    window = make_window()
    window.show_page(CUSTOMERS)
    key(qtbot, window, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: isinstance(window.builder, BuilderView), timeout=10_000)
    builder = window.builder
    assert window.stack.currentWidget() is builder
    assert QApplication.focusWidget() is builder.info.name, "the keyboard is in the new segment's name box"
    qtbot.waitUntil(lambda: builder.tree_view is not None, timeout=10_000)
    file_menu = menu_actions(window, "File")
    assert builder.commands.save in file_menu and builder.commands.export in file_menu
    assert builder.commands.copy in menu_actions(window, "Edit")
    assert builder.rules_page.undo_action in menu_actions(window, "Edit")
    # Alt+Left in the builder's first step has nowhere to go inside the builder.
    assert window.menu_actions.action("view.back") is builder.commands.back


def test_ctrl_d_and_delete_on_the_list(qtbot, make_window, admin_api):
    admin_api.create_segment("Keyboard duplicate", WHATSAPP)
    window = make_window()
    qtbot.waitUntil(lambda: list_loaded(window), timeout=10_000)
    window.segments.table.setFocus()
    window.segments.table.selectRow(0)
    key(qtbot, window, Qt.Key.Key_Delete, NONE)
    box = window.segments.confirm_box
    assert box is not None and box.isVisible() and "Delete" in box.windowTitle()
    box.reject()
    window.segments.table.setFocus()
    key(qtbot, window, Qt.Key.Key_D)
    qtbot.waitUntil(lambda: isinstance(window.builder, BuilderView), timeout=10_000)
    assert window.builder.segment_id is not None and window.builder.info.values()[0].startswith("Copy of")


def test_the_segment_page_refresh_export_and_back_keys(qtbot, make_window, admin_api):
    body = admin_api.create_segment("Keyboard detail", WHATSAPP)
    window = make_window()
    detail = window.segment_pages.open(as_segment(body))
    assert isinstance(detail, SegmentDetailView)
    qtbot.waitUntil(lambda: detail.overview.table.model().rowCount() > 0, timeout=10_000)
    detail.overview.table.setFocus()
    key(qtbot, window, Qt.Key.Key_F5, NONE)
    qtbot.waitUntil(lambda: "Refresh" in detail.notice.text(), timeout=10_000)
    qtbot.waitUntil(lambda: detail.more_button.isEnabled(), timeout=10_000)
    key(qtbot, window, Qt.Key.Key_E)
    assert isinstance(detail.file_dialog, QFileDialog) and detail.file_dialog.isVisible()
    detail.file_dialog.reject()
    # The members table's context menu copies a customer ID.
    table = detail.overview.table
    table.customContextMenuRequested.emit(table.visualRect(table.model().index(0, 0)).center())
    copy_id = window.menu_actions.action("edit.copy_id")
    assert copy_id in table.row_menu.actions() and copy_id.isEnabled()
    table.row_menu.close()
    copy_id.trigger()
    assert QGuiApplication.clipboard().text() == table.model().record(0).id
    table.setFocus()
    key(qtbot, window, Qt.Key.Key_Escape, NONE)
    assert window.segment_pages.detail is None and window.current_page() == SEGMENTS
    detail = window.segment_pages.open(as_segment(body))
    key(qtbot, window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.segment_pages.detail is None and window.current_page() == SEGMENTS


def test_customers_rows_have_a_context_menu(qtbot, make_window):
    window = make_window()
    window.show_page(CUSTOMERS)
    table = window.customers.table
    qtbot.waitUntil(lambda: table.model().rowCount() > 0, timeout=10_000)
    table.customContextMenuRequested.emit(table.visualRect(table.model().index(0, 0)).center())
    menu = table.row_menu
    copy_id = window.menu_actions.action("edit.copy_id")
    assert copy_id in menu.actions() and window.menu_actions.global_actions["file.new_segment"] in menu.actions()
    menu.close()
    copy_id.trigger()
    assert QGuiApplication.clipboard().text() == window.customers.model.customer(0).id


def live_bindings(window) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for action in window.menu_actions.live_actions():
        keys = key_text(action.shortcuts())
        if keys:
            out.setdefault(command_of(action) or action.text(), []).extend(keys)
    return out


def test_the_overview_lists_every_live_shortcut_and_no_key_is_bound_twice(qtbot, make_window, admin_api):
    body = admin_api.create_segment("Overview", WHATSAPP)
    window = make_window()
    key(qtbot, window, Qt.Key.Key_Slash)
    overview = window.menu_actions.overview
    assert overview is not None and overview.isVisible()
    listed = {row.text: row.keys.split(", ") for row in overview.rows}
    overview.reject()
    qtbot.waitUntil(lambda: window.menu_actions.overview is None, timeout=2000)
    from segstudio.core.commands import BY_ID, plain_text

    def open_builder():
        window.open_builder(None)
        qtbot.waitUntil(lambda: window.builder.tree_view is not None, timeout=10_000)

    screens = [lambda: window.show_page(SEGMENTS), lambda: window.show_page(CUSTOMERS),
               lambda: window.show_page("compare"), lambda: window.segment_pages.open(as_segment(body)),
               open_builder]
    checked = 0
    for show in screens:
        show()
        bindings = live_bindings(window)
        all_keys = [k for keys in bindings.values() for k in keys]
        assert len(all_keys) == len(set(all_keys)), f"a key is bound twice on {window.stack.currentWidget()}"
        for command_id, keys in bindings.items():
            assert command_id in BY_ID, f"{command_id} is not in the command table"
            text = plain_text(BY_ID[command_id].text)
            assert set(keys) <= set(listed[text]), f"{text}: {keys} not all in the overview"
            checked += 1
    assert checked > 40
    window._close_builder()


def test_f1_also_opens_the_overview_and_a_second_press_reuses_it(qtbot, make_window):
    window = make_window()
    key(qtbot, window, Qt.Key.Key_F1, NONE)
    first = window.menu_actions.overview
    assert first is not None and first.isVisible()
    assert window.menu_actions.show_overview() is first
    first.reject()


def test_find_selects_what_was_typed(qtbot, make_window):
    window = make_window()
    search: QLineEdit = window.segments.search
    search.setText("abc")
    window.segments.table.setFocus()
    key(qtbot, window, Qt.Key.Key_F)
    assert QApplication.focusWidget() is search and search.selectedText() == "abc"
