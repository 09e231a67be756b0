"""The main window: side navigation, a stacked content area, the network banner and the status bar."""

from __future__ import annotations

import importlib
import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from segstudio.client import ApiClient
from segstudio.client.models import Me, Segment
from segstudio.services.access import Access
from segstudio.services.catalog import CatalogCache
from segstudio.services.network import ConnectionStatus
from segstudio.services.segment_list import SegmentListController
from segstudio.views.banner import NetworkBanner
from segstudio.views.campaign_dialog import SendCampaignDialog
from segstudio.views.customers import CustomersView
from segstudio.views.detail.host import SegmentPages
from segstudio.views.segment_list import SegmentListView

log = logging.getLogger(__name__)

CUSTOMERS, SEGMENTS = "customers", "segments"


class MainWindow(QMainWindow):
    signOutRequested = Signal()
    settingsRequested = Signal()
    closed = Signal()

    def __init__(self, client: ApiClient, me: Me, *, connection: ConnectionStatus, tz: str,
                 server_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Segment Studio — {me.organisation.name}")
        self.resize(1180, 720)
        self.client = client
        self.me = me
        self.access = Access(me)
        self.connection = connection
        self.catalog = CatalogCache(client)
        self.builder: QWidget | None = None
        self._signing_out = False

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(170)
        self.stack = QStackedWidget()
        self.stack.setObjectName("content")
        self.pages: dict[str, QWidget] = {}

        self.customers = CustomersView(client, self.access, connection)
        self._add_page(CUSTOMERS, "Customers", self.customers)
        self.segment_list: SegmentListController | None = None
        self.segments: SegmentListView | None = None
        if self.access.segments_visible:
            if self.access.segmentation_included:
                self.segment_list = SegmentListController(client, tz,
                                                          max_active_segments=self.access.max_active_segments)
                self.segments = SegmentListView(self.segment_list, self.access, connection, self.catalog)
                page: QWidget = self.segments
            else:
                page = self._message_page("Segments", self.access.package_message or "")
            self._add_page(SEGMENTS, "Segments", page)

        self.banner = NetworkBanner(connection)
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        column.addWidget(self.stack, 1)
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.navigation)
        row.addWidget(content, 1)
        self.setCentralWidget(central)

        self.server_status = QLabel(f"Server: {server_label}")
        self.org_status = QLabel(f"Organisation: {me.organisation.name}")
        self.package_status = QLabel(f"Package: {me.package.tier.capitalize()}")
        self.user_status = QLabel(f"{me.user.name} ({me.user.role_name or me.user.role})")
        for name, label in (("serverStatus", self.server_status), ("orgStatus", self.org_status),
                            ("packageStatus", self.package_status), ("userStatus", self.user_status)):
            label.setObjectName(name)
            self.statusBar().addPermanentWidget(label)

        account = self.menuBar().addMenu("&Account")
        self.settings_action = QAction("&Settings…", self)
        self.sign_out_action = QAction("Sign &out", self)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut("Ctrl+Q")
        account.addAction(self.settings_action)
        account.addAction(self.sign_out_action)
        account.addSeparator()
        account.addAction(quit_action)
        self.settings_action.triggered.connect(self.settingsRequested)
        self.sign_out_action.triggered.connect(self._sign_out)
        quit_action.triggered.connect(self.close)

        self.navigation.currentRowChanged.connect(self._navigate)
        self.customers.createRequested.connect(self._create_from_customers)
        self.customers.segmentChosen.connect(self._segment_chosen)
        if self.segments is not None:
            self.segments.createRequested.connect(lambda: self.open_builder(None))
            self.segments.editRequested.connect(self.open_builder)
            self.segments.sendCampaignRequested.connect(self.send_campaign)
        self.segment_pages = SegmentPages(self)  # the segment detail and Compare pages
        self.show_page(SEGMENTS if SEGMENTS in self.pages and self.segments is not None else CUSTOMERS)

    # --- pages ----------------------------------------------------------------------------------------

    def _add_page(self, key: str, label: str, widget: QWidget) -> None:
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.navigation.addItem(item)
        self.pages[key] = widget
        self.stack.addWidget(widget)

    @staticmethod
    def _message_page(title: str, message: str) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 12, 16, 12)
        heading = QLabel(title)
        heading.setObjectName("pageTitle")
        text = QLabel(message)
        text.setObjectName("packageMessage")
        text.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(text)
        layout.addStretch(1)
        return page

    def page_keys(self) -> list[str]:
        return [self.navigation.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.navigation.count())]

    def current_page(self) -> str | None:
        widget = self.stack.currentWidget()
        return next((k for k, w in self.pages.items() if w is widget), None)

    def show_page(self, key: str) -> None:
        keys = self.page_keys()
        if key in keys:
            self.navigation.setCurrentRow(keys.index(key))
            self._navigate(keys.index(key))

    def _navigate(self, row: int) -> None:
        if row < 0:
            return
        key = self.navigation.item(row).data(Qt.ItemDataRole.UserRole)
        if self.builder is not None and self.stack.currentWidget() is self.builder and not self._leave_builder():
            return
        self.stack.setCurrentWidget(self.pages[key])
        if key == SEGMENTS and self.segment_list is not None:
            self.segment_list.reload()
        elif key == CUSTOMERS:
            self.customers.load_recent()

    # --- builder --------------------------------------------------------------------------------------

    def open_builder(self, segment: Segment | None = None) -> QWidget | None:
        """Show the segment builder for a new segment (None) or to edit `segment`; see views/README.md."""
        try:
            module = importlib.import_module("segstudio.views.builder")
            builder_class = module.BuilderView
        except (ImportError, AttributeError) as exc:
            log.warning("the segment builder is not available", extra={"error": repr(exc)})
            return None
        self._close_builder()
        builder = builder_class(client=self.client, catalog=self.catalog, me=self.me, segment=segment, parent=self)
        builder.setObjectName("builder")
        builder.saved.connect(self._builder_saved)
        builder.cancelled.connect(self._builder_cancelled)
        self.builder = builder
        self.stack.addWidget(builder)
        self.stack.setCurrentWidget(builder)
        return builder

    def _leave_builder(self) -> bool:
        builder = self.builder
        unsaved = getattr(builder, "has_unsaved_changes", None)
        if callable(unsaved) and unsaved():
            answer = QMessageBox.question(self, "Discard changes?",
                                          "Leave the segment builder and discard your changes?")
            if answer != QMessageBox.StandardButton.Yes:
                return False
        self._close_builder()
        return True

    def _close_builder(self) -> None:
        if self.builder is None:
            return
        builder, self.builder = self.builder, None
        cleanup = getattr(builder, "cleanup", None)
        if callable(cleanup):
            cleanup()
        self.stack.removeWidget(builder)
        builder.deleteLater()

    def _builder_saved(self, segment: Segment) -> None:
        self._close_builder()
        self.show_page(SEGMENTS)
        if self.segments is not None and self.segment_list is not None:
            task = self.segment_list.reload()
            view = self.segments
            task.add_done_callback(lambda t: t.cancelled() or t.exception() or view.select_segment(segment.id))

    def _builder_cancelled(self) -> None:
        self._close_builder()
        self.show_page(SEGMENTS if self.segments is not None else CUSTOMERS)

    def _create_from_customers(self) -> None:
        if self.segments is not None:
            self.show_page(SEGMENTS)
            self.segments.request_create()

    def _segment_chosen(self, segment: Segment) -> None:
        if self.segments is not None:
            self.segment_pages.open(segment)

    def send_campaign(self, segment: Segment) -> SendCampaignDialog:
        dialog = SendCampaignDialog(self.client, segment, self, catalog=self.catalog)
        dialog.setObjectName("sendCampaign")
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        dialog.load()
        return dialog

    # --- lifecycle ------------------------------------------------------------------------------------

    def _sign_out(self) -> None:
        self._signing_out = True
        self.signOutRequested.emit()

    def cleanup(self) -> None:
        self._close_builder()
        if self.segments is not None:
            self.segments.cleanup()
        self.customers.cleanup()
        self.banner.cleanup()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if self.builder is not None and self.stack.currentWidget() is self.builder and not self._leave_builder():
            event.ignore()
            return
        self.cleanup()
        super().closeEvent(event)
        self.closed.emit()
