"""The Customers page: the Segments sub-navigation (recent segments) and a customer's segments lookup."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from segstudio.client import ApiClient, ApiError, LatestTask, NetworkError
from segstudio.client.models import CustomerSegments, Segment, SegmentPage
from segstudio.services.access import Access
from segstudio.services.network import ConnectionStatus

RECENT = 10


class CustomersView(QWidget):
    createRequested = Signal()
    segmentChosen = Signal(object)

    def __init__(self, client: ApiClient, access: Access, connection: ConnectionStatus,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.access = access
        self.connection = connection
        self.segments_title = QLabel("Segments")
        self.segments_title.setObjectName("subnavTitle")
        self.segment_list = QListWidget()
        self.segment_list.setObjectName("recentSegments")
        self.segments_empty = QLabel("No segments yet.")
        self.segments_empty.setWordWrap(True)
        self.segments_empty.hide()
        self.create_button = QPushButton("Create segment")
        self.create_button.setVisible(access.can_create)
        side = QVBoxLayout()
        side.addWidget(self.segments_title)
        side.addWidget(self.segment_list, 1)
        side.addWidget(self.segments_empty)
        side.addWidget(self.create_button)
        side_widget = QWidget()
        side_widget.setLayout(side)
        side_widget.setMaximumWidth(260)
        side_widget.setVisible(access.segments_visible and access.segmentation_included)

        title = QLabel("Customers")
        title.setObjectName("pageTitle")
        intro = QLabel("Look up which segments a customer belongs to, by the customer's id.")
        intro.setWordWrap(True)
        self.customer_id = QLineEdit()
        self.customer_id.setObjectName("customerId")
        self.customer_id.setPlaceholderText("Customer id, e.g. C-000123")
        self.lookup_button = QPushButton("Look up")
        row = QHBoxLayout()
        row.addWidget(self.customer_id, 1)
        row.addWidget(self.lookup_button)
        self.result_name = QLabel()
        self.result_name.setObjectName("customerName")
        self.result_segments = QListWidget()
        self.result_segments.setObjectName("customerSegments")
        self.result_message = QLabel()
        self.result_message.setObjectName("customerMessage")
        self.result_message.setWordWrap(True)
        result = QFormLayout()
        result.addRow("Customer", self.result_name)
        result.addRow("Segments", self.result_segments)
        main = QVBoxLayout()
        main.addWidget(title)
        main.addWidget(intro)
        main.addLayout(row)
        main.addWidget(self.result_message)
        main.addLayout(result)
        main.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(side_widget)
        layout.addLayout(main, 1)

        self._recent = LatestTask[SegmentPage](self._recent_loaded, self._failed(self.load_recent))
        self._lookup = LatestTask[CustomerSegments](self._looked_up, self._failed(self.lookup))
        self.create_button.clicked.connect(self.createRequested)
        self.lookup_button.clicked.connect(self.lookup)
        self.customer_id.returnPressed.connect(self.lookup)
        self.segment_list.itemActivated.connect(
            lambda item: self.segmentChosen.emit(item.data(Qt.ItemDataRole.UserRole)))

    def _failed(self, retry: Any) -> Any:
        def failed(error: BaseException) -> None:
            if isinstance(error, NetworkError):
                self.connection.report(error, retry=retry)
            elif isinstance(error, ApiError):
                self.result_message.setText(error.message)
        return failed

    def load_recent(self) -> asyncio.Task[SegmentPage] | None:
        if not (self.access.segments_visible and self.access.segmentation_included):
            return None
        return self._recent.start(self.client.list_segments(status="active", page=1, page_size=RECENT))

    def _recent_loaded(self, page: SegmentPage) -> None:
        self.segment_list.clear()
        for segment in page.items:
            item = QListWidgetItem(segment.name)
            item.setData(Qt.ItemDataRole.UserRole, segment)
            self.segment_list.addItem(item)
        self.segments_empty.setVisible(not page.items)

    def lookup(self) -> asyncio.Task[CustomerSegments] | None:
        customer_id = self.customer_id.text().strip()
        if not customer_id:
            self.result_message.setText("Enter a customer id.")
            return None
        self.result_message.setText("Looking up…")
        return self._lookup.start(self.client.customer_segments(customer_id))

    def _looked_up(self, result: CustomerSegments) -> None:
        self.result_message.setText("" if result.segments else "This customer is in no segment.")
        self.result_name.setText(result.customer_name or result.customer_id)
        self.result_segments.clear()
        for ref in result.segments:
            self.result_segments.addItem(ref.segment_name)

    def refresh(self, _: Segment | None = None) -> None:
        self.load_recent()

    def cleanup(self) -> None:
        self._recent.cancel()
        self._lookup.cancel()
