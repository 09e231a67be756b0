"""The main window: side navigation, a stacked content area, the network banner and the status bar."""

from __future__ import annotations

import importlib
import logging

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QCloseEvent
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
from segstudio.services.me_refresh import MeWatcher
from segstudio.services.network import ConnectionStatus
from segstudio.services.segment_list import SegmentListController
from segstudio.views.actions import WindowActions
from segstudio.views.admin import HEADING, LABELS, AdminSection, NavigationDelegate
from segstudio.views.admin.section import ALERTS, BadgeRole, HeadingRole
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
    # Seconds a /me stays fresh for focus changes: the window opens with one just read, and flicking
    # between windows should not cost a request each time.
    FOCUS_REREAD_AFTER = 2.0

    def __init__(self, client: ApiClient, me: Me, *, connection: ConnectionStatus, tz: str,
                 server_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Segment Studio — {me.organisation.name}")
        self.resize(1180, 720)
        self.client = client
        self.me = me
        self.tz = tz
        self.access = Access(me)
        self.connection = connection
        self.catalog = CatalogCache(client)
        self.builder: QWidget | None = None
        self._signing_out = False

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(170)
        self.navigation.setItemDelegate(NavigationDelegate(self.navigation))
        self.stack = QStackedWidget()
        self.stack.setObjectName("content")
        self.pages: dict[str, QWidget] = {}

        self.customers = self._build_customers()
        self._customers_facts = self._customer_facts()
        self._add_page(CUSTOMERS, "Customers", self.customers)
        self.segment_list: SegmentListController | None = None
        self.segments: SegmentListView | None = None
        self._sync_segments_page()
        self.admin: AdminSection | None = None

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

        # The menu bar and every shortcut: views/actions.py (the command table is core/commands.py).
        self.menu_actions = WindowActions(self)
        self.settings_action = self.menu_actions.global_actions["file.settings"]
        self.sign_out_action = self.menu_actions.global_actions["file.sign_out"]

        self.navigation.currentRowChanged.connect(self._navigate)
        # /me is read again on focus and after a 403, so role and package changes show without a restart.
        self.me_watcher = MeWatcher(client, self.access)
        self.me_watcher.attach()
        self.me_watcher.expired.connect(self._sign_out)
        self.access.changed.connect(self._access_changed)
        self._sync_admin()
        self.segment_pages = SegmentPages(self)  # the segment detail and Compare pages
        self.show_page(SEGMENTS if SEGMENTS in self.pages and self.segments is not None else CUSTOMERS)

    # --- pages ----------------------------------------------------------------------------------------

    def _add_page(self, key: str, label: str, widget: QWidget, row: int | None = None) -> None:
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.navigation.insertItem(self.navigation.count() if row is None else row, item)
        self.pages[key] = widget
        self.stack.addWidget(widget)

    def _remove_page(self, key: str) -> None:
        row = self._row_of(key)
        if row >= 0:
            self.navigation.takeItem(row)
        widget = self.pages.pop(key, None)
        if widget is not None:
            self.stack.removeWidget(widget)
            cleanup = getattr(widget, "cleanup", None)
            if callable(cleanup):
                cleanup()
            widget.deleteLater()

    def _row_of(self, key: str) -> int:
        return next((i for i in range(self.navigation.count())
                     if self.navigation.item(i).data(Qt.ItemDataRole.UserRole) == key), -1)

    def _build_customers(self) -> CustomersView:
        customers = CustomersView(self.client, self.access, self.connection)
        customers.createRequested.connect(self._create_from_customers)
        customers.segmentChosen.connect(self._segment_chosen)
        return customers

    def _customer_facts(self) -> tuple[bool, ...]:
        return (self.access.can_create, self.access.segments_visible, self.access.segmentation_included)

    def _sync_segments_page(self) -> None:
        """Segments: the list, the package's "not included" message, or no page, as /me now allows."""
        want = (None if not self.access.segments_visible
                else "list" if self.access.segmentation_included else "message")
        have = None if SEGMENTS not in self.pages else "list" if self.segments is not None else "message"
        if want == have:
            return
        if have is not None:
            self.segments = self.segment_list = None
            self._remove_page(SEGMENTS)
        if want == "list":
            self.segment_list = SegmentListController(self.client, self.tz,
                                                      max_active_segments=self.access.max_active_segments)
            self.segments = SegmentListView(self.segment_list, self.access, self.connection)
            self.segments.createRequested.connect(lambda: self.open_builder(None))
            self.segments.editRequested.connect(self.open_builder)
            self.segments.sendCampaignRequested.connect(self.send_campaign)
            self._add_page(SEGMENTS, "Segments", self.segments, row=1)
        elif want == "message":
            self._add_page(SEGMENTS, "Segments", self._message_page("Segments", self.access.package_message or ""),
                           row=1)

    def _sync_admin(self) -> None:
        """The Administration section is there exactly while the user is an Org Admin."""
        if self.access.is_org_admin and self.admin is None:
            self.admin = AdminSection(self.client, self.connection, self.tz, self)
            heading = QListWidgetItem(HEADING)
            heading.setData(HeadingRole, True)
            heading.setFlags(Qt.ItemFlag.NoItemFlags)
            self.navigation.addItem(heading)
            for key, page in self.admin.pages.items():
                self._add_page(key, LABELS[key], page)
            self.admin.badgeChanged.connect(self._set_alerts_badge)
            self.admin.mutated.connect(self.me_watcher.refresh)
            self.admin.refresh_badge()
        elif not self.access.is_org_admin and self.admin is not None:
            admin, self.admin = self.admin, None
            for key in admin.pages:
                self._remove_page(key)
            for row in reversed(range(self.navigation.count())):
                if self.navigation.item(row).data(HeadingRole):
                    self.navigation.takeItem(row)
            admin.deleteLater()

    def _set_alerts_badge(self, text: str) -> None:
        row = self._row_of(ALERTS)
        if row >= 0:
            item = self.navigation.item(row)
            item.setData(BadgeRole, text)
            item.setToolTip(f"{text} unread alert(s)" if text else "")

    def alerts_badge(self) -> str:
        row = self._row_of(ALERTS)
        return (self.navigation.item(row).data(BadgeRole) or "") if row >= 0 else ""

    def _access_changed(self) -> None:
        """A re-read /me differs: show and hide what it allows, keeping the user where they are if possible."""
        me = self.me = self.access.me
        self.user_status.setText(f"{me.user.name} ({me.user.role_name or me.user.role})")
        self.package_status.setText(f"Package: {me.package.tier.capitalize()}")
        self.org_status.setText(f"Organisation: {me.organisation.name}")
        current = self.current_page()
        if self._customer_facts() != self._customers_facts:
            self._customers_facts = self._customer_facts()
            old, self.customers = self.customers, self._build_customers()
            self.pages[CUSTOMERS] = self.customers
            self.stack.insertWidget(self.stack.indexOf(old), self.customers)
            self.stack.removeWidget(old)
            old.cleanup()
            old.deleteLater()
        self._sync_segments_page()
        self._sync_admin()
        if self.builder is not None and self.stack.currentWidget() is self.builder:
            return
        self.show_page(current if current in self.pages else CUSTOMERS)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.WindowActivate and self.me_watcher.stale(self.FOCUS_REREAD_AFTER):
            self.me_watcher.refresh()
            if self.admin is not None:
                self.admin.refresh_badge()
        return super().event(event)

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
        keys = (self.navigation.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.navigation.count()))
        return [k for k in keys if k is not None]

    def current_page(self) -> str | None:
        widget = self.stack.currentWidget()
        return next((k for k, w in self.pages.items() if w is widget), None)

    def show_page(self, key: str) -> None:
        row = self._row_of(key)
        if row >= 0:
            self.navigation.setCurrentRow(row)
            self._navigate(row)

    def _navigate(self, row: int) -> None:
        if row < 0:
            return
        key = self.navigation.item(row).data(Qt.ItemDataRole.UserRole)
        if key is None:
            return
        if self.builder is not None and self.stack.currentWidget() is self.builder and not self._leave_builder():
            return
        self.stack.setCurrentWidget(self.pages[key])
        if key == SEGMENTS and self.segment_list is not None:
            self.segment_list.reload()
        elif key == CUSTOMERS:
            self.customers.load_recent()
        elif self.admin is not None and key in self.admin.pages:
            self.admin.pages[key].activate()

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
            if self.current_page() == SEGMENTS:  # not when the user chose to stay in the builder
                self.segments.request_create()

    def new_segment(self) -> None:
        """File → New segment (Ctrl+N), from any page."""
        if self.segments is not None and self.access.can_create:
            self._create_from_customers()

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
        self.menu_actions.cleanup()
        self.me_watcher.detach()
        self.access.changed.disconnect(self._access_changed)
        if self.admin is not None:
            self.admin.cleanup()
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
