"""The Segments page's top row: Create, the name search (debounced), the created-at range and Active/Archived.

Each filter only forwards to SegmentListController; the controller's `changed` redraws the page.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QObject
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLineEdit, QPushButton

from segstudio.core.preview_scheduler import CallLater, Debouncer, asyncio_call_later
from segstudio.services.access import Access
from segstudio.services.segment_list import DateFilter, SegmentListController, StatusFilter

SEARCH_DEBOUNCE = 0.3  # seconds


class SegmentListFilters(QObject):
    """Owns the row's widgets and lays them out in `row`; the page adds the row to its own layout."""

    def __init__(self, controller: SegmentListController, access: Access, parent: QObject | None = None, *,
                 call_later: CallLater = asyncio_call_later) -> None:
        super().__init__(parent)
        self.controller = controller
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

        self.row = QHBoxLayout()
        self.row.addWidget(self.create_button)
        self.row.addWidget(self.search, 1)
        self.row.addWidget(self.date_filter)
        self.row.addWidget(self.date_from)
        self.row.addWidget(self.date_to)
        self.row.addWidget(self.status_filter)

        # The same injectable debounce as the builder's preview: tests advance a manual clock.
        self.search_debounce = Debouncer(lambda: self.controller.set_search(self.search.text()),
                                         delay=SEARCH_DEBOUNCE, call_later=call_later)
        self.search.textChanged.connect(lambda _: self.search_debounce.trigger())
        self.date_filter.currentIndexChanged.connect(self._date_filter_changed)
        self.date_from.dateChanged.connect(self._date_filter_changed)
        self.date_to.dateChanged.connect(self._date_filter_changed)
        self.status_filter.currentIndexChanged.connect(
            lambda _: self.controller.set_status(self.status_filter.currentData()))

    def _date_filter_changed(self, *_: Any) -> None:
        kind = self.date_filter.currentData()
        custom = kind == DateFilter.CUSTOM
        self.date_from.setVisible(custom)
        self.date_to.setVisible(custom)
        low: date | None = self.date_from.date().toPython() if custom else None  # type: ignore[assignment]
        high: date | None = self.date_to.date().toPython() if custom else None  # type: ignore[assignment]
        self.controller.set_date_filter(kind, low, high)

    def apply_access(self, access: Access) -> bool:
        """Show Create and Archived as the role now allows. A hidden Archived view falls back to Active,
        which reloads the list; returns whether it did."""
        self.create_button.setVisible(access.can_create)
        self.status_filter.setVisible(access.can_view_archived)
        if not access.can_view_archived and self.controller.query.status == StatusFilter.ARCHIVED:
            self.status_filter.setCurrentIndex(self.status_filter.findData(StatusFilter.ACTIVE))
            return True
        return False

    def stop(self) -> None:
        self.search_debounce.cancel()
