"""What the Segments page does to the selected segment: the Actions menu, which entries the role and the
segment allow, and each action (view, edit, duplicate, send campaign, archive, restore, delete, refresh).

A collaborator of `SegmentListView`, not a mixin: the page tells it the selection (`select`) and listens to
its signals (a notice to show, details to open, a segment gone from the list, the requests the window
handles). Each action runs as a task on the qasync loop; a failure shows inline or as the network banner.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox, QToolButton, QWidget

from segstudio.client import ApiError, NetworkError
from segstudio.client.models import Segment
from segstudio.services.access import NO_CAMPAIGN_PERMISSION, Access
from segstudio.services.network import ConnectionStatus
from segstudio.services.segment_list import SegmentListController


class SegmentActions(QObject):
    createRequested = Signal()
    editRequested = Signal(object)
    sendCampaignRequested = Signal(object)
    detailsRequested = Signal(object)  # show this segment in the side panel
    removed = Signal(object)  # archived or deleted: it left the list
    noticed = Signal(str, bool)  # text ("" hides), is an error

    def __init__(self, controller: SegmentListController, access: Access, connection: ConnectionStatus,
                 owner: QWidget) -> None:
        super().__init__(owner)
        self.controller = controller
        self.access = access
        self.connection = connection
        self.owner = owner  # the parent of the confirmation boxes
        self.segment: Segment | None = None
        self.confirm_box: QMessageBox | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

        self.button = QToolButton()
        self.button.setObjectName("actionsButton")
        self.button.setText("Actions")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(owner)
        self.view_action = QAction("View details", owner)
        self.edit_action = QAction("Edit", owner)
        self.duplicate_action = QAction("Duplicate", owner)
        self.campaign_action = QAction("Send campaign", owner)
        self.archive_action = QAction("Archive", owner)
        self.unarchive_action = QAction("Restore", owner)
        self.delete_action = QAction("Delete…", owner)
        for action in (self.view_action, self.edit_action, self.duplicate_action, self.campaign_action,
                       self.archive_action, self.unarchive_action):
            self.menu.addAction(action)
        self.menu.addSeparator()
        self.menu.addAction(self.delete_action)
        self.button.setMenu(self.menu)

        self.view_action.triggered.connect(self.view_details)
        self.edit_action.triggered.connect(self.edit_selected)
        self.duplicate_action.triggered.connect(self.duplicate_selected)
        self.campaign_action.triggered.connect(self.send_campaign_selected)
        self.archive_action.triggered.connect(self.archive_selected)
        self.unarchive_action.triggered.connect(self.unarchive_selected)
        self.delete_action.triggered.connect(self.delete_selected)
        self.select(None)

    def select(self, segment: Segment | None) -> None:
        """The page's selection changed: offer what the role and this segment allow."""
        self.segment = segment
        archived = segment is not None and segment.status == "archived"
        self.button.setEnabled(segment is not None)
        self.view_action.setEnabled(segment is not None)
        self.edit_action.setVisible(segment is not None and not archived and self.access.can_edit(segment))
        self.duplicate_action.setVisible(segment is not None and self.access.can_duplicate(segment))
        self.campaign_action.setVisible(segment is not None and not archived)
        self.campaign_action.setEnabled(segment is not None and self.access.can_send_campaign(segment))
        if segment is not None and segment.readiness != "ready":
            self.campaign_action.setText("Send campaign (available when the segment is ready)")
        else:
            self.campaign_action.setText("Send campaign")
        self.campaign_action.setToolTip("" if self.access.can_create else NO_CAMPAIGN_PERMISSION)
        self.archive_action.setVisible(segment is not None and not archived and self.access.can_archive(segment))
        self.unarchive_action.setVisible(segment is not None and archived and self.access.can_archive(segment))
        self.delete_action.setVisible(segment is not None and self.access.can_delete(segment))

    def run(self, coro: Coroutine[Any, Any, Any], retry: Any = None) -> asyncio.Task[Any]:
        """Run an action; its failure shows inline (or as the network banner), never as a crash."""
        async def guarded() -> Any:
            try:
                return await coro
            except NetworkError as exc:
                self.connection.report(exc, retry=retry)
            except ApiError as exc:
                if exc.status != 409 or self.controller.limit_message is None:
                    self.noticed.emit(exc.message, True)
            return None

        task = asyncio.ensure_future(guarded())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # --- the actions ------------------------------------------------------------------------------------

    def request_create(self) -> asyncio.Task[Any]:
        async def check() -> None:
            if await self.controller.check_limit():
                self.createRequested.emit()

        self.noticed.emit("", False)
        return self.run(check())

    def view_details(self) -> None:
        if self.segment is not None:
            self.detailsRequested.emit(self.segment)

    def edit_selected(self) -> None:
        if self.segment is not None:
            self.editRequested.emit(self.segment)

    def duplicate_selected(self) -> asyncio.Task[Any] | None:
        segment = self.segment
        if segment is None:
            return None

        async def duplicate() -> None:
            copy = await self.controller.duplicate(segment)
            self.noticed.emit(f"Created “{copy.name}”.", False)
            self.editRequested.emit(copy)

        return self.run(duplicate())

    def send_campaign_selected(self) -> None:
        if self.segment is not None and self.access.can_send_campaign(self.segment):
            self.sendCampaignRequested.emit(self.segment)

    def archive_selected(self) -> QMessageBox | None:
        """Ask first; the archive call runs only when the user confirms."""
        segment = self.segment
        if segment is None:
            return None
        return self._confirm(QMessageBox.Icon.Question, "Archive segment",
                             f"Archive “{segment.name}”? It leaves the active list and is no longer evaluated.",
                             "Archive", QMessageBox.ButtonRole.AcceptRole, "archiveConfirm",
                             lambda: self._archive(segment))

    def _archive(self, segment: Segment) -> None:
        async def archive() -> None:
            await self.controller.archive(segment)
            self.noticed.emit(f"“{segment.name}” archived.", False)
            self.removed.emit(segment)

        self.run(archive())

    def unarchive_selected(self) -> asyncio.Task[Any] | None:
        segment = self.segment
        if segment is None:
            return None

        async def restore() -> None:
            await self.controller.unarchive(segment)
            self.noticed.emit(f"“{segment.name}” restored.", False)

        return self.run(restore())

    def delete_selected(self) -> QMessageBox | None:
        """Ask first; deleting removes the segment and its membership for good and frees a place in the quota."""
        segment = self.segment
        if segment is None or not self.access.can_delete(segment):
            return None
        return self._confirm(QMessageBox.Icon.Warning, "Delete segment",
                             f"Delete “{segment.name}”? Its members and history are removed and it cannot be "
                             "restored. Campaign recipient lists already created from it are kept.",
                             "Delete", QMessageBox.ButtonRole.DestructiveRole, "deleteConfirm",
                             lambda: self._delete(segment))

    def _delete(self, segment: Segment) -> None:
        async def delete() -> None:
            await self.controller.delete(segment)
            self.noticed.emit(f"“{segment.name}” deleted.", False)
            self.removed.emit(segment)

        self.run(delete())

    def refresh(self, segment: Segment) -> asyncio.Task[Any]:
        async def refresh() -> None:
            await self.controller.client.refresh_segment(segment.id)
            self.noticed.emit(f"Refreshing “{segment.name}”…", False)
            self.controller.reload(quiet=True)

        return self.run(refresh())

    def _confirm(self, icon: QMessageBox.Icon, title: str, text: str, verb: str, role: QMessageBox.ButtonRole,
                 name: str, confirmed: Callable[[], None]) -> QMessageBox:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Cancel, self.owner)
        ok = box.addButton(verb, role)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setObjectName(name)

        def finished(_: int) -> None:
            self.confirm_box = None  # forgotten before Qt deletes it
            if box.clickedButton() is ok:
                confirmed()
            box.deleteLater()

        box.finished.connect(finished)
        self.confirm_box = box
        box.open()
        return box

    def cleanup(self) -> None:
        for task in list(self._tasks):
            task.cancel()
