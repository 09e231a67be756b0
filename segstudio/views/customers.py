"""The Customers page: a paged, searchable customers index; the Segments section (newest first) whose
entries open the segment's details and members; "All filter" opens the segment builder; picking a
customer shows the segments they belong to."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from segstudio.client import ApiClient, ApiError, LatestTask, NetworkError
from segstudio.client.models import CustomerListItem, CustomerPage, CustomerSegments, Segment, SegmentPage
from segstudio.core import figures
from segstudio.core.preview_scheduler import CallLater, Debouncer, asyncio_call_later
from segstudio.services.access import Access
from segstudio.services.network import ConnectionStatus
from segstudio.widgets.record_table import RecordTableModel, record_table

RECENT = 30
PAGE_SIZE = 25
SEARCH_DEBOUNCE = 0.3  # seconds
COLUMNS = ("Name", "Customer ID", "Phone", "Email", "Source", "Last activity")


class CustomersModel(RecordTableModel[CustomerListItem]):
    columns = COLUMNS

    def __init__(self, tz: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tz = tz

    def customer(self, row: int) -> CustomerListItem | None:
        return self.record(row)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        c = self.customer(index.row())
        if c is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        values = (c.full_name or figures.DASH, c.id, c.phone or figures.DASH, c.email or figures.DASH,
                  c.source or figures.DASH, figures.local_time(c.last_activity_at, self.tz))
        return values[index.column()]


class CustomersView(QWidget):
    createRequested = Signal()
    segmentChosen = Signal(object)

    def __init__(self, client: ApiClient, access: Access, connection: ConnectionStatus,
                 parent: QWidget | None = None, tz: str | None = None, *,
                 call_later: CallLater = asyncio_call_later) -> None:
        super().__init__(parent)
        self.client = client
        self.access = access
        self.connection = connection
        self.page = 1
        self.total = 0
        self.segments_title = QLabel("Segments")
        self.segments_title.setObjectName("subnavTitle")
        self.all_filter = QPushButton("All filter")
        self.all_filter.setObjectName("allFilter")
        self.all_filter.setToolTip("Open the segment builder to filter customers by any field")
        self.all_filter.setVisible(access.can_create)
        self.segment_list = QListWidget()
        self.segment_list.setObjectName("recentSegments")
        self.segments_empty = QLabel("No segments yet. Create one to group customers by their attributes.")
        self.segments_empty.setObjectName("segmentsEmpty")
        self.segments_empty.setWordWrap(True)
        self.segments_empty.hide()
        self.create_button = QPushButton("Create segment")
        self.create_button.setObjectName("customersCreateSegment")
        self.create_button.setVisible(access.can_create)
        side = QVBoxLayout()
        head = QHBoxLayout()
        head.addWidget(self.segments_title, 1)
        head.addWidget(self.all_filter)
        side.addLayout(head)
        side.addWidget(self.segment_list, 1)
        side.addWidget(self.segments_empty)
        side.addWidget(self.create_button)
        self.side = QWidget()
        self.side.setLayout(side)
        self.side.setMaximumWidth(260)
        self.side.setVisible(access.segments_visible and access.segmentation_included)

        title = QLabel("Customers")
        title.setObjectName("pageTitle")
        self.search = QLineEdit()
        self.search.setObjectName("customerSearch")
        self.search.setPlaceholderText("Search by name, id, email or phone (3+ characters)")
        self.search.setClearButtonEnabled(True)
        self.model = CustomersModel(tz, self)
        self.table = record_table(self.model, "customersTable", single_selection=True)
        self.empty = QLabel("No customers yet. Customers appear here once they are ingested.")
        self.empty.setObjectName("customersEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.body = QStackedWidget()
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty)
        self.page_label = QLabel()
        self.page_label.setObjectName("customersPage")
        self.prev_button = QPushButton("‹ Previous")
        self.next_button = QPushButton("Next ›")
        self.next_button.setObjectName("customersNext")
        pager = QHBoxLayout()
        pager.addStretch(1)
        pager.addWidget(self.page_label)
        pager.addWidget(self.prev_button)
        pager.addWidget(self.next_button)
        self.result_message = QLabel("Pick a customer to see the segments they belong to.")
        self.result_message.setObjectName("customerMessage")
        self.result_message.setWordWrap(True)
        self.result_segments = QListWidget()
        self.result_segments.setObjectName("customerSegments")
        self.result_segments.setMaximumHeight(110)
        main = QVBoxLayout()
        main.addWidget(title)
        main.addWidget(self.search)
        main.addWidget(self.body, 1)
        main.addLayout(pager)
        main.addWidget(self.result_message)
        main.addWidget(self.result_segments)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.side)
        layout.addLayout(main, 1)

        # The same injectable debounce as the builder's preview: tests advance a manual clock.
        self.search_debounce = Debouncer(lambda: self.load_customers(1), delay=SEARCH_DEBOUNCE, call_later=call_later)
        self._recent = LatestTask[SegmentPage](self._recent_loaded, self._failed(self.load_recent))
        self._customers = LatestTask[CustomerPage](self._customers_loaded, self._failed(self.load_customers))
        self._lookup = LatestTask[CustomerSegments](self._looked_up, self._failed(None))
        self.create_button.clicked.connect(self.createRequested)
        self.all_filter.clicked.connect(self.createRequested)
        self.segment_list.itemClicked.connect(self._segment_clicked)
        self.segment_list.itemActivated.connect(self._segment_clicked)
        self.search.textChanged.connect(lambda _: self.search_debounce.trigger())
        self.prev_button.clicked.connect(lambda: self.load_customers(self.page - 1))
        self.next_button.clicked.connect(lambda: self.load_customers(self.page + 1))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._customer_selected())

    def _failed(self, retry: Any) -> Any:
        def failed(error: BaseException) -> None:
            if isinstance(error, NetworkError):
                self.connection.report(error, retry=retry)
            elif isinstance(error, ApiError):
                self.result_message.setText(error.message)
        return failed

    # --- segments section ----------------------------------------------------------------------------

    def load_recent(self) -> asyncio.Task[SegmentPage] | None:
        """Load the Segments section and the customers table (the page's entry point)."""
        self.load_customers(self.page)
        if not (self.access.segments_visible and self.access.segmentation_included):
            return None
        # The server lists segments newest first.
        return self._recent.start(self.client.list_segments(status="active", page=1, page_size=RECENT))

    def _recent_loaded(self, page: SegmentPage) -> None:
        self.segment_list.clear()
        for segment in page.items:
            item = QListWidgetItem(segment.name)
            item.setData(Qt.ItemDataRole.UserRole, segment)
            item.setToolTip(f"{figures.count(segment.member_count)} customers")
            self.segment_list.addItem(item)
        self.segments_empty.setVisible(not page.items)
        self.segment_list.setVisible(bool(page.items))

    def _segment_clicked(self, item: QListWidgetItem) -> None:
        segment: Segment = item.data(Qt.ItemDataRole.UserRole)
        self.segmentChosen.emit(segment)

    # --- customers table -----------------------------------------------------------------------------

    def load_customers(self, page: int = 1) -> asyncio.Task[CustomerPage]:
        page = max(1, min(page, figures.page_count(self.total, PAGE_SIZE))) if self.total else max(1, page)
        self.page_label.setText("Loading…")
        return self._customers.start(self.client.list_customers(search=self.search.text().strip() or None,
                                                                page=page, page_size=PAGE_SIZE))

    def _customers_loaded(self, result: CustomerPage) -> None:
        self.page, self.total = result.page, result.total
        self.model.set_rows(result.items)
        searching = len(self.search.text().strip()) >= 3
        self.empty.setText("No customer matches your search." if searching else
                           "No customers yet. Customers appear here once they are ingested.")
        self.body.setCurrentWidget(self.table if result.items else self.empty)
        self.page_label.setText(figures.page_label(result.page, PAGE_SIZE, result.total))
        self.prev_button.setEnabled(result.page > 1)
        self.next_button.setEnabled(result.page < figures.page_count(result.total, PAGE_SIZE))

    def _customer_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        customer = self.model.customer(rows[0].row()) if rows else None
        if customer is None or not (self.access.segments_visible and self.access.segmentation_included):
            return
        self.result_message.setText(f"Segments of {customer.full_name or customer.id}: looking up…")
        self._lookup.start(self.client.customer_segments(customer.id))

    def _looked_up(self, result: CustomerSegments) -> None:
        name = result.customer_name or result.customer_id
        self.result_message.setText(f"Segments of {name}:" if result.segments else f"{name} is in no segment.")
        self.result_segments.clear()
        for ref in result.segments:
            self.result_segments.addItem(ref.segment_name)

    def refresh(self, _: Segment | None = None) -> None:
        self.load_recent()

    def cleanup(self) -> None:
        self.search_debounce.cancel()
        self._recent.cancel()
        self._customers.cancel()
        self._lookup.cancel()
