"""The Segments page: lays out the filters, the table, paging, the row actions and the detail panel.

The widgets only translate: typing, picking a date range or a page calls the controller, whose `changed`
event resets the model. Async work runs as tasks on the qasync loop; nothing here waits on the network.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from segstudio.client import ClientError, NetworkError
from segstudio.client.models import Segment
from segstudio.core.preview_scheduler import CallLater, asyncio_call_later
from segstudio.services.access import Access
from segstudio.services.network import ConnectionStatus
from segstudio.services.segment_list import POLL_SECONDS, SegmentListController, StatusFilter
from segstudio.views.segment_detail import SegmentDetailPanel
from segstudio.views.segment_list.actions import SegmentActions
from segstudio.views.segment_list.filters import SegmentListFilters
from segstudio.views.segment_list.table_model import COLUMNS, SegmentTableModel


class SegmentListView(SegmentActions, QWidget):
    createRequested = Signal()
    editRequested = Signal(object)
    sendCampaignRequested = Signal(object)

    def __init__(self, controller: SegmentListController, access: Access, connection: ConnectionStatus,
                 parent: QWidget | None = None, *, call_later: CallLater = asyncio_call_later) -> None:
        super().__init__(parent)
        self.controller = controller
        self.access = access
        self.connection = connection
        self.confirm_box: QMessageBox | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

        self.filters = SegmentListFilters(controller, access, self, call_later=call_later)
        self.create_button = self.filters.create_button
        self.search = self.filters.search
        self.date_filter = self.filters.date_filter
        self.date_from = self.filters.date_from
        self.date_to = self.filters.date_to
        self.status_filter = self.filters.status_filter

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

        self._build_actions()
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
        left_layout.addLayout(self.filters.row)
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

        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(int(POLL_SECONDS * 1000))

        self.prev_button.clicked.connect(lambda: self.controller.set_page(self.controller.query.page - 1))
        self.next_button.clicked.connect(lambda: self.controller.set_page(self.controller.query.page + 1))
        self.create_button.clicked.connect(self.request_create)
        self.empty_create.clicked.connect(self.request_create)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.table.doubleClicked.connect(lambda _: self.view_details())
        self.table.customContextMenuRequested.connect(self._context_menu)
        self._connect_actions()
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
                self.detail.show_segment(fresh)

    def _access_changed(self) -> None:
        """/me was re-read and differs: show what the role allows now, and reload so each row's own
        can_edit/can_archive/can_delete answers are the server's current ones."""
        access = self.access
        self.package_message.setText(access.package_message or "")
        self.package_message.setVisible(access.package_message is not None)
        if not self.filters.apply_access(access):
            self.controller.reload(quiet=True)
        self._sync()

    def _show_notice(self, text: str, *, error: bool = False) -> None:
        self.notice.setText(text)
        self.notice.setProperty("error", error)
        self.notice.setStyleSheet("color: #b3261e;" if error else "color: #1b5e20;")
        self.notice.setVisible(bool(text))

    # --- widgets → controller -------------------------------------------------------------------------

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

    def cleanup(self) -> None:
        self.poll_timer.stop()
        self.filters.stop()
        self.controller.cancel()
        self.controller.changed.disconnect(self._sync)
        self.controller.failed.disconnect(self._load_failed)
        self.access.changed.disconnect(self._access_changed)
        self.model.cleanup()
        for task in list(self._tasks):
            task.cancel()
