"""Each screen's actions for the menu bar, its shortcuts and its row context menus.

Where a screen already has a QAction for a command (the segment list's Actions menu, the segment page's More
actions menu) that very action is adopted: it gets the command's shortcut and appears in the menu bar, so the
toolbar, the context menu and the menu bar share one action with one enabled state. What a screen lacked
(find, refresh, back, copy a customer's ID) is added here. The builder brings its own (`views/builder/
commands.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QMenu, QWidget

from segstudio.views.actions import adopt, make_action

ATTRIBUTE = "_screen_actions"


class ScreenActions:
    """The actions one page contributes, keyed by command id, and how to bring their state up to date."""

    def __init__(self, page: QWidget) -> None:
        self.page = page
        self.actions: dict[str, QAction] = {}
        # Read-only tables: Tab leaves them and the arrows move inside (Qt's default walks every cell with Tab,
        # a trap on a 20-row page).
        for view in page.findChildren(QAbstractItemView):
            view.setTabKeyNavigation(False)

    def add(self, command_id: str, slot: Callable[[], Any], *, text: str | None = None,
            escape: bool = False) -> QAction:
        action = make_action(command_id, self.page, slot, text=text, escape=escape)
        self.actions[command_id] = action
        return action

    def adopt(self, command_id: str, action: QAction, *, escape: bool = False) -> QAction:
        adopt(action, command_id, escape=escape)
        self.page.addAction(action)
        self.actions[command_id] = action
        return action

    def refresh(self) -> None:
        """Subclasses enable what the page's state allows now."""


def install_row_menu(view: QAbstractItemView, actions: Callable[[], Sequence[QAction | None]],
                     before: Callable[[], None] | None = None) -> None:
    """A context menu on the rows of `view`: a right click selects the row, then shows `actions()` (None is a
    separator). The menu is kept on the view as `row_menu` until the next one, for tests."""
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def popup(pos: QPoint) -> None:
        index = view.indexAt(pos)
        if not index.isValid():
            return
        view.setCurrentIndex(index)
        view.selectionModel().select(index, view.selectionModel().SelectionFlag.ClearAndSelect
                                     | view.selectionModel().SelectionFlag.Rows)
        if before is not None:
            before()
        old = getattr(view, "row_menu", None)
        if old is not None and shiboken6.isValid(old):
            old.deleteLater()
        menu = QMenu(view)
        menu.setObjectName("rowMenu")
        for action in actions():
            if action is None:
                menu.addSeparator()
            elif action.isVisible():
                menu.addAction(action)
        view.row_menu = menu  # type: ignore[attr-defined]
        menu.popup(view.viewport().mapToGlobal(pos))

    view.customContextMenuRequested.connect(popup)


def copy_text(text: str) -> None:
    QGuiApplication.clipboard().setText(text)


# --- the screens ---------------------------------------------------------------------------------------------

class SegmentListActions(ScreenActions):
    def __init__(self, view: Any) -> None:
        super().__init__(view)
        self.view = view
        self.add("edit.find", self.find)
        self.add("view.refresh", lambda: view.controller.reload())
        for command_id, name in (("segment.view", "view_action"), ("segment.edit", "edit_action"),
                                 ("edit.duplicate", "duplicate_action"), ("segment.send_campaign", "campaign_action"),
                                 ("segment.archive", "archive_action"), ("segment.restore", "unarchive_action"),
                                 ("edit.delete", "delete_action")):
            action = getattr(view, name, None)
            if isinstance(action, QAction):
                self.adopt(command_id, action)
        # The row context menu is the page's Actions menu, which holds these same actions.

    def find(self) -> None:
        self.view.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.view.search.selectAll()


class CustomersActions(ScreenActions):
    def __init__(self, view: Any, window: Any) -> None:
        super().__init__(view)
        self.view = view
        self.add("edit.find", self.find)
        self.add("view.refresh", lambda: view.load_recent())
        self.copy_id = self.add("edit.copy_id", self.copy_customer_id)
        install_row_menu(view.table,
                         lambda: [self.copy_id, None, window.menu_actions.global_actions["file.new_segment"]],
                         self.refresh)
        view.table.selectionModel().selectionChanged.connect(lambda *_: self.refresh())

    def selected(self) -> Any:
        rows = self.view.table.selectionModel().selectedRows()
        return self.view.model.customer(rows[0].row()) if rows else None

    def find(self) -> None:
        self.view.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.view.search.selectAll()

    def copy_customer_id(self) -> None:
        customer = self.selected()
        if customer is not None:
            copy_text(str(customer.id))

    def refresh(self) -> None:
        self.copy_id.setEnabled(self.selected() is not None)


class DetailActions(ScreenActions):
    def __init__(self, view: Any) -> None:
        super().__init__(view)
        self.view = view
        self.back = self.add("view.back", self.go_back, text="&Back to Segments", escape=True)
        self.refresh_action = self.add("view.refresh", self.refresh_segment, text="&Refresh segment")
        self.campaign = self.add("segment.send_campaign", view.open_campaign)
        self.copy_id = self.add("edit.copy_id", self.copy_member_id)
        for command_id, name in (("file.export", "export_csv_action"), ("segment.edit", "edit_action"),
                                 ("edit.duplicate", "duplicate_action"), ("segment.archive", "archive_action"),
                                 ("segment.restore", "unarchive_action"), ("edit.delete", "delete_action")):
            action = getattr(view, name, None)
            if isinstance(action, QAction):
                self.adopt(command_id, action)
        table = view.overview.table
        install_row_menu(table, lambda: [self.copy_id], self.refresh)
        table.selectionModel().selectionChanged.connect(lambda *_: self.refresh())

    def go_back(self) -> None:
        # With the campaign panel open, Esc closes it first (it is what the user is in).
        campaign = self.view.campaign
        if campaign is not None and campaign.isVisible():
            self.view.close_campaign()
            return
        self.view.closeRequested.emit()

    def refresh_segment(self) -> None:
        if self.view.refresh_button.isEnabled():
            self.view.refresh_now()

    def selected_member(self) -> Any:
        table = self.view.overview.table
        rows = table.selectionModel().selectedRows()
        model = table.model()
        return model.record(rows[0].row()) if rows else None

    def copy_member_id(self) -> None:
        member = self.selected_member()
        if member is not None:
            copy_text(str(member.id))

    def refresh(self) -> None:
        view = self.view
        self.refresh_action.setEnabled(view.refresh_button.isEnabled())
        self.campaign.setEnabled(view.send_button.isEnabled() and view.send_button.isVisible())
        self.copy_id.setEnabled(self.selected_member() is not None)
        export = self.actions.get("file.export")
        if export is not None:
            export.setEnabled(view.more_button.isEnabled())


class CompareActions(ScreenActions):
    def __init__(self, view: Any, window: Any) -> None:
        super().__init__(view)
        self.add("view.back", lambda: window.show_page("segments"), text="&Back to Segments", escape=True)
        self.add("view.refresh", view.load, text="&Reload segments")


def actions_for(widget: QWidget | None, window: Any) -> ScreenActions | None:
    """The actions of the page `widget` (built once per page and kept on it)."""
    if widget is None or not shiboken6.isValid(widget):
        return None
    builder_commands = getattr(widget, "commands", None)
    if builder_commands is not None and hasattr(builder_commands, "actions"):
        return builder_commands  # type: ignore[no-any-return]
    cached = getattr(widget, ATTRIBUTE, None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    from segstudio.views.compare import CompareView
    from segstudio.views.customers import CustomersView
    from segstudio.views.detail.view import SegmentDetailView
    from segstudio.views.segment_list import SegmentListView

    built: ScreenActions
    if isinstance(widget, SegmentListView):
        built = SegmentListActions(widget)
    elif isinstance(widget, CustomersView):
        built = CustomersActions(widget, window)
    elif isinstance(widget, SegmentDetailView):
        built = DetailActions(widget)
    elif isinstance(widget, CompareView):
        built = CompareActions(widget, window)
    else:
        built = ScreenActions(widget)
    setattr(widget, ATTRIBUTE, built)
    return built
