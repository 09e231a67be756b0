"""The Segments page: a QAbstractTableModel over SegmentListController, the filters, paging and actions.

The widgets only translate: typing, picking a date range or a page calls the controller, whose `changed`
event resets the model. Async work runs as tasks on the qasync loop; nothing here waits on the network.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Coroutine
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from segstudio.client import ApiError, ClientError, NetworkError
from segstudio.client.models import Segment
from segstudio.services.access import Access
from segstudio.services.catalog import CatalogCache
from segstudio.services.network import ConnectionStatus
from segstudio.services.segment_list import POLL_SECONDS, DateFilter, SegmentListController, StatusFilter
from segstudio.views.segment_detail import SegmentDetailPanel

log = logging.getLogger(__name__)

SEARCH_DEBOUNCE_MS = 300
READINESS_LABELS = {"pending": "Pending", "not_ready": "Evaluating", "ready": "Ready", "failed": "Failed"}
COLUMNS = ("Name", "Size", "Readiness", "Created by", "Created at")


def format_count(n: int | None) -> str:
    return "—" if n is None else f"{n:,}"


class SegmentTableModel(QAbstractTableModel):
    """Rows are the controller's items; every `changed` is a model reset (a page is at most 100 rows)."""

    SegmentRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, controller: SegmentListController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._items: list[Segment] = list(controller.items)
        controller.changed.connect(self._sync)

    def _sync(self) -> None:
        if self._items == self.controller.items:
            return
        self.beginResetModel()
        self._items = list(self.controller.items)
        self.endResetModel()

    def cleanup(self) -> None:
        self.controller.changed.disconnect(self._sync)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def segment(self, row: int) -> Segment | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        segment = self.segment(index.row())
        if segment is None:
            return None
        column = index.column()
        if role == self.SegmentRole:
            return segment
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return segment.name
            if column == 1:
                return "—" if segment.evaluating else format_count(segment.member_count)
            if column == 2:
                return READINESS_LABELS.get(segment.readiness, segment.readiness)
            if column == 3:
                return segment.created_by_name
            if column == 4:
                local = segment.created_at.astimezone(ZoneInfo(self.controller.tz))
                return local.strftime("%d %b %Y %H:%M")
        if role == Qt.ItemDataRole.ToolTipRole and column == 0 and segment.description:
            return segment.description
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


class SegmentListView(QWidget):
    createRequested = Signal()
    editRequested = Signal(object)
    sendCampaignRequested = Signal(object)

    def __init__(self, controller: SegmentListController, access: Access, connection: ConnectionStatus,
                 catalog: CatalogCache | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.access = access
        self.connection = connection
        self.catalog = catalog
        self.confirm_box: QMessageBox | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

        self.create_button = QPushButton("Create segment")
        self.create_button.setObjectName("createSegment")
        self.create_button.setVisible(access.can_create)
        self.search = QLineEdit()
        self.search.setObjectName("segmentSearch")
        self.search.setPlaceholderText("Search segments by name (3+ characters)")
        self.search.setClearButtonEnabled(True)
        self.date_filter = QComboBox()
        self.date_filter.setObjectName("dateFilter")
        for label, kind in (("All time", DateFilter.ALL), ("Today", DateFilter.TODAY),
                            ("Last 7 days", DateFilter.LAST_7_DAYS), ("Custom range…", DateFilter.CUSTOM)):
            self.date_filter.addItem(label, kind)
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addDays(-30))
        self.date_to = QDateEdit(today)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd MMM yyyy")
            edit.hide()
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.addItem("Active", StatusFilter.ACTIVE)
        self.status_filter.addItem("Archived", StatusFilter.ARCHIVED)
        self.status_filter.setVisible(access.can_view_archived)

        top = QHBoxLayout()
        top.addWidget(self.create_button)
        top.addWidget(self.search, 1)
        top.addWidget(self.date_filter)
        top.addWidget(self.date_from)
        top.addWidget(self.date_to)
        top.addWidget(self.status_filter)

        self.package_message = QLabel(access.package_message or "")
        self.package_message.setObjectName("packageMessage")
        self.package_message.setWordWrap(True)
        self.package_message.setVisible(access.package_message is not None)
        self.limit_message = QLabel()
        self.limit_message.setObjectName("limitMessage")
        self.limit_message.setWordWrap(True)
        self.limit_message.hide()
        self.notice = QLabel()
        self.notice.setObjectName("listNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()

        self.model = SegmentTableModel(controller, self)
        self.table = QTableView()
        self.table.setObjectName("segmentTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        self.empty_label = QLabel()
        self.empty_label.setObjectName("emptyLabel")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_create = QPushButton("Create segment")
        self.empty_create.setObjectName("emptyCreate")
        empty = QWidget()
        empty_layout = QVBoxLayout(empty)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty_label)
        empty_layout.addWidget(self.empty_create, 0, Qt.AlignmentFlag.AlignCenter)
        empty_layout.addStretch(2)
        self.body = QStackedWidget()
        self.body.addWidget(self.table)
        self.body.addWidget(empty)

        self.actions_button = QToolButton()
        self.actions_button.setObjectName("actionsButton")
        self.actions_button.setText("Actions")
        self.actions_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.actions_menu = QMenu(self)
        self.view_action = QAction("View details", self)
        self.edit_action = QAction("Edit", self)
        self.duplicate_action = QAction("Duplicate", self)
        self.campaign_action = QAction("Send campaign", self)
        self.archive_action = QAction("Archive", self)
        self.unarchive_action = QAction("Restore", self)
        self.delete_action = QAction("Delete…", self)
        for action in (self.view_action, self.edit_action, self.duplicate_action, self.campaign_action,
                       self.archive_action, self.unarchive_action):
            self.actions_menu.addAction(action)
        self.actions_menu.addSeparator()
        self.actions_menu.addAction(self.delete_action)
        self.actions_button.setMenu(self.actions_menu)
        self.prev_button = QPushButton("‹ Previous")
        self.prev_button.setObjectName("prevPage")
        self.next_button = QPushButton("Next ›")
        self.next_button.setObjectName("nextPage")
        self.page_label = QLabel()
        self.page_label.setObjectName("pageLabel")
        pager = QHBoxLayout()
        pager.addWidget(self.actions_button)
        pager.addStretch(1)
        pager.addWidget(self.page_label)
        pager.addWidget(self.prev_button)
        pager.addWidget(self.next_button)

        self.detail = SegmentDetailPanel(access, controller.tz)
        self.detail.hide()
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.package_message)
        left_layout.addWidget(self.limit_message)
        left_layout.addWidget(self.notice)
        left_layout.addWidget(self.body, 1)
        left_layout.addLayout(pager)
        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        title = QLabel("Segments")
        title.setObjectName("pageTitle")
        layout.addWidget(title)
        layout.addWidget(self.splitter, 1)

        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(int(POLL_SECONDS * 1000))

        self.search.textChanged.connect(lambda _: self.search_timer.start())
        self.search_timer.timeout.connect(lambda: self.controller.set_search(self.search.text()))
        self.date_filter.currentIndexChanged.connect(self._date_filter_changed)
        self.date_from.dateChanged.connect(self._date_filter_changed)
        self.date_to.dateChanged.connect(self._date_filter_changed)
        self.status_filter.currentIndexChanged.connect(
            lambda _: self.controller.set_status(self.status_filter.currentData()))
        self.prev_button.clicked.connect(lambda: self.controller.set_page(self.controller.query.page - 1))
        self.next_button.clicked.connect(lambda: self.controller.set_page(self.controller.query.page + 1))
        self.create_button.clicked.connect(self.request_create)
        self.empty_create.clicked.connect(self.request_create)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.table.doubleClicked.connect(lambda _: self.view_details())
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.view_action.triggered.connect(self.view_details)
        self.edit_action.triggered.connect(self.edit_selected)
        self.duplicate_action.triggered.connect(self.duplicate_selected)
        self.campaign_action.triggered.connect(self.send_campaign_selected)
        self.archive_action.triggered.connect(self.archive_selected)
        self.unarchive_action.triggered.connect(self.unarchive_selected)
        self.delete_action.triggered.connect(self.delete_selected)
        self.detail.editRequested.connect(self.editRequested)
        self.detail.refreshRequested.connect(self._refresh_segment)
        self.detail.closeRequested.connect(self.detail.hide)
        self.poll_timer.timeout.connect(self._poll)
        controller.changed.connect(self._sync)
        controller.failed.connect(self._load_failed)
        access.changed.connect(self._access_changed)
        self._sync()

    # --- state → widgets ------------------------------------------------------------------------------

    def _sync(self) -> None:
        c = self.controller
        self.limit_message.setText(c.limit_message or "")
        self.limit_message.setVisible(c.limit_message is not None)
        empty = c.loaded and not c.items and c.error is None
        self.body.setCurrentIndex(1 if empty else 0)
        if empty:
            if c.filtered:
                self.empty_label.setText("No segments match your search or filter.")
            elif c.query.status == StatusFilter.ARCHIVED:
                self.empty_label.setText("No archived segments.")
            else:
                self.empty_label.setText("No segments yet. Create one to group customers by their attributes "
                                         "and activities.")
        self.empty_create.setVisible(empty and self.access.can_create and c.query.status == StatusFilter.ACTIVE)
        if c.error is not None and not isinstance(c.error, NetworkError):
            self._show_notice(c.error.message, error=True)
        self.page_label.setText("Loading…" if c.loading else
                                f"Page {c.query.page} of {c.page_count} · {c.total:,} segments")
        self.prev_button.setEnabled(c.query.page > 1 and not c.loading)
        self.next_button.setEnabled(c.query.page < c.page_count and not c.loading)
        if c.needs_polling:
            if not self.poll_timer.isActive():
                self.poll_timer.start()
        else:
            self.poll_timer.stop()
        self._selection_changed()
        shown = self.detail.segment
        if shown is not None:
            fresh = next((s for s in c.items if s.id == shown.id), None)
            if fresh is not None:
                self.detail.show_segment(fresh, self._labels())

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

    def _access_changed(self) -> None:
        """/me was re-read and differs: show what the role allows now, and reload so each row's own
        can_edit/can_archive/can_delete answers are the server's current ones."""
        access = self.access
        self.create_button.setVisible(access.can_create)
        self.package_message.setText(access.package_message or "")
        self.package_message.setVisible(access.package_message is not None)
        self.status_filter.setVisible(access.can_view_archived)
        if not access.can_view_archived and self.controller.query.status == StatusFilter.ARCHIVED:
            self.status_filter.setCurrentIndex(self.status_filter.findData(StatusFilter.ACTIVE))
        else:
            self.controller.reload(quiet=True)
        self._sync()

    def _show_notice(self, text: str, *, error: bool = False) -> None:
        self.notice.setText(text)
        self.notice.setProperty("error", error)
        self.notice.setStyleSheet("color: #b3261e;" if error else "color: #1b5e20;")
        self.notice.setVisible(bool(text))

    def _labels(self) -> dict[str, str]:
        fields = self.catalog.cached if self.catalog is not None else None
        return {f.key: f.label for f in fields or []}

    # --- widgets → controller -------------------------------------------------------------------------

    def _date_filter_changed(self, *_: Any) -> None:
        kind = self.date_filter.currentData()
        custom = kind == DateFilter.CUSTOM
        self.date_from.setVisible(custom)
        self.date_to.setVisible(custom)
        low: date | None = self.date_from.date().toPython() if custom else None  # type: ignore[assignment]
        high: date | None = self.date_to.date().toPython() if custom else None  # type: ignore[assignment]
        self.controller.set_date_filter(kind, low, high)

    def _poll(self) -> None:
        if self.controller.needs_polling and not self.controller.loading:
            self.controller.reload(quiet=True)

    def _load_failed(self, error: ClientError) -> None:
        if isinstance(error, NetworkError):
            self.connection.report(error, retry=self.controller.reload)

    def selected_segment(self) -> Segment | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.segment(rows[0].row()) if rows else None

    def select_segment(self, segment_id: int | str) -> bool:
        for row in range(self.model.rowCount()):
            segment = self.model.segment(row)
            if segment is not None and segment.id == segment_id:
                self.table.selectRow(row)
                return True
        return False

    def _context_menu(self, pos: Any) -> None:
        index = self.table.indexAt(pos)
        if index.isValid():
            self.table.selectRow(index.row())
            self.actions_menu.popup(self.table.viewport().mapToGlobal(pos))

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
        self.detail.show_segment(segment, self._labels())
        self.detail.show()
        if self.catalog is not None and self.catalog.cached is None:
            async def labels() -> None:
                # Labels only beautify the summary; without the catalog the field keys are shown.
                with contextlib.suppress(ClientError):
                    await self.catalog.get()  # type: ignore[union-attr]
                if self.detail.segment is not None:
                    self.detail.show_segment(self.detail.segment, self._labels())
            self._run(labels())

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

    def cleanup(self) -> None:
        self.poll_timer.stop()
        self.search_timer.stop()
        self.controller.cancel()
        self.controller.changed.disconnect(self._sync)
        self.controller.failed.disconnect(self._load_failed)
        self.access.changed.disconnect(self._access_changed)
        self.model.cleanup()
        for task in list(self._tasks):
            task.cancel()
