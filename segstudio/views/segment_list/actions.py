"""What the Segments page does to the selected segment: the Actions menu, which entries the role and the
segment allow, and each action (view, edit, duplicate, send campaign, archive, restore, delete, refresh).

A mixin of `SegmentListView`: the actions need the page's selection, notice line, detail panel and signals.
Each action runs as a task on the qasync loop; a failure shows inline or as the network banner.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox, QToolButton

from segstudio.client import ApiError, NetworkError
from segstudio.client.models import Segment

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QWidget

    from segstudio.services.access import Access
    from segstudio.services.network import ConnectionStatus
    from segstudio.services.segment_list import SegmentListController
    from segstudio.views.segment_detail import SegmentDetailPanel


class SegmentActions:
    controller: SegmentListController
    access: Access
    connection: ConnectionStatus
    detail: SegmentDetailPanel
    confirm_box: QMessageBox | None
    _tasks: set[asyncio.Task[Any]]
    createRequested: SignalInstance  # noqa: N815
    editRequested: SignalInstance  # noqa: N815
    sendCampaignRequested: SignalInstance  # noqa: N815

    if TYPE_CHECKING:
        # Provided by SegmentListView.
        def selected_segment(self) -> Segment | None: ...
        def _show_notice(self, text: str, *, error: bool = False) -> None: ...

    def _build_actions(self) -> None:
        owner: QWidget = self  # type: ignore[assignment]
        self.actions_button = QToolButton()
        self.actions_button.setObjectName("actionsButton")
        self.actions_button.setText("Actions")
        self.actions_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.actions_menu = QMenu(owner)
        self.view_action = QAction("View details", owner)
        self.edit_action = QAction("Edit", owner)
        self.duplicate_action = QAction("Duplicate", owner)
        self.campaign_action = QAction("Send campaign", owner)
        self.archive_action = QAction("Archive", owner)
        self.unarchive_action = QAction("Restore", owner)
        self.delete_action = QAction("Delete…", owner)
        for action in (self.view_action, self.edit_action, self.duplicate_action, self.campaign_action,
                       self.archive_action, self.unarchive_action):
            self.actions_menu.addAction(action)
        self.actions_menu.addSeparator()
        self.actions_menu.addAction(self.delete_action)
        self.actions_button.setMenu(self.actions_menu)

    def _connect_actions(self) -> None:
        self.view_action.triggered.connect(self.view_details)
        self.edit_action.triggered.connect(self.edit_selected)
        self.duplicate_action.triggered.connect(self.duplicate_selected)
        self.campaign_action.triggered.connect(self.send_campaign_selected)
        self.archive_action.triggered.connect(self.archive_selected)
        self.unarchive_action.triggered.connect(self.unarchive_selected)
        self.delete_action.triggered.connect(self.delete_selected)

    def _selection_changed(self) -> None:
        segment = self.selected_segment()
        archived = segment is not None and segment.status == "archived"
        self.actions_button.setEnabled(segment is not None)
        self.view_action.setEnabled(segment is not None)
        self.edit_action.setVisible(segment is not None and not archived and self.access.can_edit(segment))
        self.duplicate_action.setVisible(segment is not None and self.access.can_duplicate(segment))
        self.campaign_action.setVisible(segment is not None and not archived)
        self.campaign_action.setEnabled(segment is not None and self.access.can_send_campaign(segment))
        if segment is not None and segment.readiness != "ready":
            self.campaign_action.setText("Send campaign (available when the segment is ready)")
        else:
            self.campaign_action.setText("Send campaign")
        self.archive_action.setVisible(segment is not None and not archived and self.access.can_archive(segment))
        self.unarchive_action.setVisible(segment is not None and archived and self.access.can_archive(segment))
        self.delete_action.setVisible(segment is not None and self.access.can_delete(segment))

    def _run(self, coro: Coroutine[Any, Any, Any], retry: Any = None) -> asyncio.Task[Any]:
        """Run an action; its failure shows inline (or as the network banner), never as a crash."""
        async def guarded() -> Any:
            try:
                return await coro
            except NetworkError as exc:
                self.connection.report(exc, retry=retry)
            except ApiError as exc:
                if exc.status != 409 or self.controller.limit_message is None:
                    self._show_notice(exc.message, error=True)
            return None

        task = asyncio.ensure_future(guarded())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def request_create(self) -> asyncio.Task[Any]:
        async def check() -> None:
            if await self.controller.check_limit():
                self.createRequested.emit()

        self._show_notice("")
        return self._run(check())

    def view_details(self) -> None:
        segment = self.selected_segment()
        if segment is None:
            return
        self.detail.show_segment(segment)
        self.detail.show()

    def edit_selected(self) -> None:
        segment = self.selected_segment()
        if segment is not None:
            self.editRequested.emit(segment)

    def duplicate_selected(self) -> asyncio.Task[Any] | None:
        segment = self.selected_segment()
        if segment is None:
            return None

        async def duplicate() -> None:
            copy = await self.controller.duplicate(segment)
            self._show_notice(f"Created “{copy.name}”.")
            self.editRequested.emit(copy)

        return self._run(duplicate())

    def send_campaign_selected(self) -> None:
        segment = self.selected_segment()
        if segment is not None and self.access.can_send_campaign(segment):
            self.sendCampaignRequested.emit(segment)

    def archive_selected(self) -> QMessageBox | None:
        """Ask first; the archive call runs only when the user confirms."""
        segment = self.selected_segment()
        if segment is None:
            return None
        box = QMessageBox(QMessageBox.Icon.Question, "Archive segment",
                          f"Archive “{segment.name}”? It leaves the active list and is no longer evaluated.",
                          QMessageBox.StandardButton.Cancel, self)
        archive = box.addButton("Archive", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setObjectName("archiveConfirm")

        def finished(_: int) -> None:
            self.confirm_box = None
            if box.clickedButton() is archive:
                self._archive(segment)
            box.deleteLater()

        box.finished.connect(finished)
        self.confirm_box = box
        box.open()
        return box

    def _archive(self, segment: Segment) -> None:
        async def archive() -> None:
            await self.controller.archive(segment)
            self._show_notice(f"“{segment.name}” archived.")
            if self.detail.segment is not None and self.detail.segment.id == segment.id:
                self.detail.hide()

        self._run(archive())

    def unarchive_selected(self) -> asyncio.Task[Any] | None:
        segment = self.selected_segment()
        if segment is None:
            return None

        async def restore() -> None:
            await self.controller.unarchive(segment)
            self._show_notice(f"“{segment.name}” restored.")

        return self._run(restore())

    def delete_selected(self) -> QMessageBox | None:
        """Ask first; deleting removes the segment and its membership for good and frees a place in the quota."""
        segment = self.selected_segment()
        if segment is None or not self.access.can_delete(segment):
            return None
        box = QMessageBox(QMessageBox.Icon.Warning, "Delete segment",
                          f"Delete “{segment.name}”? Its members and history are removed and it cannot be "
                          "restored. Campaign recipient lists already created from it are kept.",
                          QMessageBox.StandardButton.Cancel, self)
        delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setObjectName("deleteConfirm")

        def finished(_: int) -> None:
            self.confirm_box = None
            if box.clickedButton() is delete:
                self._delete(segment)
            box.deleteLater()

        box.finished.connect(finished)
        self.confirm_box = box
        box.open()
        return box

    def _delete(self, segment: Segment) -> None:
        async def delete() -> None:
            await self.controller.delete(segment)
            self._show_notice(f"“{segment.name}” deleted.")
            if self.detail.segment is not None and self.detail.segment.id == segment.id:
                self.detail.hide()

        self._run(delete())

    def _refresh_segment(self, segment: Segment) -> None:
        async def refresh() -> None:
            await self.controller.client.refresh_segment(segment.id)
            self._show_notice(f"Refreshing “{segment.name}”…")
            self.controller.reload(quiet=True)
        self._run(refresh())
