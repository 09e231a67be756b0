"""Hosts the segment detail page and the Compare page in the main window, so the window itself only
creates one `SegmentPages(window)` and calls `open(segment)`.

It reads what the window exposes (client, access, connection, catalog, stack, navigation, pages, segments,
segment_list, open_builder, show_page) and follows `access.changed` when the window rebuilds its pages.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidgetItem

from segstudio.client.models import Segment
from segstudio.views.compare import CompareView
from segstudio.views.detail.view import SegmentDetailView

COMPARE = "compare"
SEGMENTS, CUSTOMERS = "segments", "customers"


class SegmentPages:
    def __init__(self, window: Any) -> None:
        self.window = window
        self.detail: SegmentDetailView | None = None
        self.compare: CompareView | None = None
        self._panel: Any = None
        changed = getattr(window.access, "changed", None)
        if changed is not None:
            changed.connect(self.sync)
        window.closed.connect(self.cleanup)
        # The detail page highlights Segments; a click on the already current entry changes no row, so
        # it is caught here to go back to the list.
        window.navigation.itemClicked.connect(self._navigation_clicked)
        self.sync()

    @property
    def tz(self) -> str | None:
        w = self.window
        return getattr(w, "tz", None) or (w.segment_list.tz if w.segment_list is not None else None)

    def sync(self) -> None:
        """Compare is there while the Segments list is; the list's detail panel opens the full page."""
        w = self.window
        if w.segments is not None and COMPARE not in w.pages:
            self.compare = CompareView(w.client, w.connection, self.tz)
            self.compare.setObjectName("comparePage")
            keys = [w.navigation.item(i).data(Qt.ItemDataRole.UserRole) for i in range(w.navigation.count())]
            row = keys.index(SEGMENTS) + 1 if SEGMENTS in keys else w.navigation.count()
            item = QListWidgetItem("Compare")
            item.setData(Qt.ItemDataRole.UserRole, COMPARE)
            w.navigation.insertItem(row, item)
            w.pages[COMPARE] = self.compare
            w.stack.addWidget(self.compare)
        elif w.segments is None and COMPARE in w.pages:
            for i in range(w.navigation.count()):
                if w.navigation.item(i).data(Qt.ItemDataRole.UserRole) == COMPARE:
                    w.navigation.takeItem(i)
                    break
            page = w.pages.pop(COMPARE)
            w.stack.removeWidget(page)
            page.cleanup()
            page.deleteLater()
            self.compare = None
        panel = getattr(w.segments, "detail", None) if w.segments is not None else None
        if panel is not None and panel is not self._panel and hasattr(panel, "openRequested"):
            panel.openRequested.connect(self.open)
            self._panel = panel

    def open(self, segment: Segment) -> SegmentDetailView:
        w = self.window
        self.close_detail()
        view = SegmentDetailView(w.client, w.access, w.connection, segment, tz=self.tz, catalog=w.catalog)
        view.editRequested.connect(self._edit)
        view.duplicated.connect(self._edit)
        view.deleted.connect(self._deleted)
        view.changed.connect(lambda _: w.segment_list is not None and w.segment_list.reload(quiet=True))
        view.closeRequested.connect(self._back)
        self.detail = view
        w.stack.addWidget(view)
        w.stack.setCurrentWidget(view)
        self._highlight(SEGMENTS)
        view.load()
        return view

    def _navigation_clicked(self, item: QListWidgetItem) -> None:
        w = self.window
        if (self.detail is not None and w.stack.currentWidget() is self.detail
                and item.data(Qt.ItemDataRole.UserRole) == SEGMENTS):
            self._back()

    def _highlight(self, key: str) -> None:
        """The sidebar marks where the detail page belongs (opened from Customers it is still a segment's
        page), without navigating there."""
        navigation = self.window.navigation
        for row in range(navigation.count()):
            if navigation.item(row).data(Qt.ItemDataRole.UserRole) == key:
                navigation.blockSignals(True)
                navigation.setCurrentRow(row)
                navigation.blockSignals(False)
                return

    def _edit(self, segment: Segment) -> None:
        self.close_detail()
        self.window.open_builder(segment)

    def _deleted(self, _: Segment) -> None:
        self._back()
        if self.window.segment_list is not None:
            self.window.segment_list.reload()

    def _back(self) -> None:
        self.close_detail()
        self.window.show_page(SEGMENTS if self.window.segments is not None else CUSTOMERS)

    def close_detail(self) -> None:
        if self.detail is None:
            return
        view, self.detail = self.detail, None
        view.cleanup()
        self.window.stack.removeWidget(view)
        view.deleteLater()

    def cleanup(self) -> None:
        self.close_detail()
        if self.compare is not None:
            self.compare.cleanup()
