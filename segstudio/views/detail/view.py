"""The segment detail page: header with readiness, Refresh now, Send campaign and More actions; the
Overview and Performance tabs; the Send campaign side panel.

Readiness decisions come from `segstudio.core.readiness`; this class only loads, polls and displays.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from segstudio.client import ApiClient, ApiError, ClientError, LatestTask, NetworkError
from segstudio.client.models import Members, Segment, SegmentPerformance, SegmentSummary
from segstudio.core import figures
from segstudio.core.export_file import FORMATS, default_name, with_suffix
from segstudio.core.freshness import freshness
from segstudio.core.readiness import POLL_SECONDS, Phase, ReadinessMachine, ReadinessView
from segstudio.services.access import NO_CAMPAIGN_PERMISSION, Access
from segstudio.services.catalog import CatalogCache
from segstudio.services.network import ConnectionStatus
from segstudio.views.campaign_dialog import SendCampaignPanel
from segstudio.views.customer_window import ExplainWindow
from segstudio.views.detail.changes import ChangesTab
from segstudio.views.detail.changes_presenter import ChangesPresenter
from segstudio.views.detail.export import ExportDialog
from segstudio.views.detail.history import HistoryTab
from segstudio.views.detail.history_presenter import HistoryPresenter
from segstudio.views.detail.overview import OverviewTab
from segstudio.views.detail.performance import PerformanceTab
from segstudio.views.layout_memory import LayoutMemory

FRESHNESS_COLORS = {"fresh": "#15803d", "busy": "#b45309", "stale": "#b91c1c", "muted": "#6b7280"}


class SegmentDetailView(QWidget):
    editRequested = Signal(object)
    duplicated = Signal(object)
    deleted = Signal(object)
    changed = Signal(object)
    closeRequested = Signal()

    def __init__(self, client: ApiClient, access: Access, connection: ConnectionStatus, segment: Segment, *,
                 tz: str | None = None, catalog: CatalogCache | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("segmentDetailPage")
        self.client = client
        self.access = access
        self.connection = connection
        self.catalog = catalog
        self.tz = tz
        self.segment = segment
        self.machine = ReadinessMachine()
        self.state: ReadinessView = self.machine.update(segment.readiness, segment.status)
        self.confirm_box: QMessageBox | None = None
        self.file_dialog: QFileDialog | None = None
        self.export_dialog: ExportDialog | None = None
        self.campaign: SendCampaignPanel | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

        back = QPushButton("‹ Segments")
        back.setObjectName("detailBack")
        back.setFlat(True)
        self.title = QLabel()
        self.title.setObjectName("pageTitle")
        self.title.setWordWrap(True)  # a long segment name wraps; it never widens the window
        # SEG-S13 "Realtime" indicator: whether the members are up to date (core.freshness decides).
        self.freshness = QLabel()
        self.freshness.setObjectName("freshness")
        self.refresh_button = QPushButton("Refresh now")
        self.refresh_button.setObjectName("refreshNow")
        self.send_button = QPushButton("Send campaign")
        self.send_button.setObjectName("sendCampaign")
        self.more_button = QToolButton()
        self.more_button.setObjectName("moreActions")
        self.more_button.setText("More actions")
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self)
        self.edit_action = QAction("Edit segment", self)
        self.duplicate_action = QAction("Duplicate", self)
        self.export_csv_action = QAction("Export as CSV…", self)
        self.export_xlsx_action = QAction("Export as XLSX…", self)
        self.archive_action = QAction("Archive segment", self)
        self.unarchive_action = QAction("Unarchive segment", self)
        self.delete_action = QAction("Delete segment", self)
        for action in (self.edit_action, self.duplicate_action, self.export_csv_action, self.export_xlsx_action,
                       self.archive_action, self.unarchive_action, self.delete_action):
            self.menu.addAction(action)
        self.more_button.setMenu(self.menu)
        # The actions on one row, the name under them: a long name wraps over the page's width.
        header = QVBoxLayout()
        actions = QHBoxLayout()
        actions.addWidget(back)
        actions.addStretch(1)
        actions.addWidget(self.freshness)
        actions.addWidget(self.refresh_button)
        actions.addWidget(self.send_button)
        actions.addWidget(self.more_button)
        header.addLayout(actions)
        header.addWidget(self.title)

        self.banner = QLabel()
        self.banner.setObjectName("readinessBanner")
        self.banner.setWordWrap(True)
        self.retry_button = QPushButton("Retry evaluation")
        self.retry_button.setObjectName("retryEvaluation")
        banner_row = QHBoxLayout()
        banner_row.addWidget(self.banner, 1)
        banner_row.addWidget(self.retry_button)
        self.notice = QLabel()
        self.notice.setObjectName("detailNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()

        self.overview = OverviewTab(tz)
        self.performance = PerformanceTab(tz)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("detailTabs")
        self.tabs.addTab(self.overview, "Overview")
        self.tabs.addTab(self.performance, "Performance")
        self.history = HistoryTab(tz)
        self.tabs.addTab(self.history, "History")
        self.changes = ChangesTab(tz)
        self.tabs.addTab(self.changes, "Entered && left")
        self.splitter = QSplitter()
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addLayout(header)
        layout.addLayout(banner_row)
        layout.addWidget(self.notice)
        layout.addWidget(self.splitter, 1)

        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(int(POLL_SECONDS * 1000))
        self._segment = LatestTask[Segment](self._segment_loaded, self._failed("segment"))
        self._summary = LatestTask[SegmentSummary](self.overview.show_summary, self._failed("summary"))
        self._members = LatestTask[tuple[Members, int]](lambda r: self.overview.show_members(*r),
                                                       self._failed("members"))
        self._performance = LatestTask[SegmentPerformance](self.performance.show_performance,
                                                           self._failed("performance"))
        back.clicked.connect(self.closeRequested)
        self.refresh_button.clicked.connect(self.refresh_now)
        self.retry_button.clicked.connect(self.refresh_now)
        self.send_button.clicked.connect(self.open_campaign)
        self.edit_action.triggered.connect(lambda: self.editRequested.emit(self.segment))
        self.duplicate_action.triggered.connect(self.duplicate)
        self.export_csv_action.triggered.connect(lambda: self.ask_export("csv"))
        self.export_xlsx_action.triggered.connect(lambda: self.ask_export("xlsx"))
        self.archive_action.triggered.connect(lambda: self.confirm("archive"))
        self.unarchive_action.triggered.connect(lambda: self.confirm("unarchive"))
        self.delete_action.triggered.connect(lambda: self.confirm("delete"))
        self.overview.pageRequested.connect(self.load_members)
        # "Why?": double-clicking a member explains them against this segment in a window of its own.
        self.overview.table.doubleClicked.connect(lambda index: self.explain_member(index.row()))
        self.performance.rangeChanged.connect(lambda _: self.load_performance())
        self.poll_timer.timeout.connect(self._poll)
        self.history_presenter = HistoryPresenter(self, self.history)
        self.changes_presenter = ChangesPresenter(self, self.changes)
        self._show(segment)

    def explain_member(self, row: int) -> ExplainWindow | None:
        member = self.overview.model.record(row)
        if member is None:
            return None
        window = ExplainWindow(self.client, self.segment.id, member.id, catalog=self.catalog, parent=self)
        window.show()
        return window

    # --- loading -----------------------------------------------------------------------------------------

    def load(self) -> None:
        """Load everything: the segment, its summary, the first page of members and the performance."""
        self._segment.start(self.client.get_segment(self.segment.id))
        self.load_results()
        self.history_presenter.load()

    def load_results(self) -> None:
        self._summary.start(self.client.segment_summary(self.segment.id))
        self.load_members(self.overview.page)
        self.load_performance()
        self.changes_presenter.load()

    def load_members(self, page: int = 1) -> None:
        page = max(1, page)

        async def members() -> tuple[Members, int]:
            return await self.client.segment_members(self.segment.id, page=page,
                                                     page_size=self.overview.page_size), page

        self._members.start(members())

    def load_performance(self) -> None:
        self._performance.start(self.client.segment_performance(self.segment.id, self.performance.range_key))

    def _poll(self) -> None:
        if not self._segment.running:
            self._segment.start(self.client.get_segment(self.segment.id))

    def _failed(self, what: str) -> Callable[[BaseException], None]:
        def failed(error: BaseException) -> None:
            if isinstance(error, ApiError) and error.not_found:
                self._gone()
            elif isinstance(error, NetworkError):
                self.connection.report(error, retry=self.load)
                self.show_notice(f"{error.message} The {what} could not be loaded; it loads again when the "
                                 "server answers.", error=True)
            elif isinstance(error, ClientError):
                self.show_notice(error.message, error=True)
            else:
                self.show_notice(f"The {what} could not be shown: {error}", error=True)
        return failed

    def _segment_loaded(self, segment: Segment) -> None:
        was_updating = self.state.phase == Phase.UPDATING
        self._show(segment)
        if segment.readiness == "failed":
            self._run(self._load_failure_reason())
        if was_updating and self.state.phase != Phase.UPDATING:
            self.load_results()  # the new membership is committed: show it

    async def _load_failure_reason(self) -> None:
        page = await self.client.segment_evaluations(self.segment.id, page_size=5)
        failed = next((e for e in page.items if e.status == "failed"), None)
        if failed is not None and failed.error:
            self._apply(self.machine.update("failed", self.segment.status, failed.error))

    def _gone(self) -> None:
        self._apply(self.machine.gone())
        self.show_notice(self.state.banner or "", error=True)

    # --- state → widgets ---------------------------------------------------------------------------------

    def _show(self, segment: Segment) -> None:
        self.segment = segment
        archived = segment.status == "archived"
        self.title.setText(segment.name + (" (archived)" if archived else ""))
        self.overview.show_segment(segment)
        if self.campaign is not None:
            self.campaign.set_segment(segment)
        self._apply(self.machine.update(segment.readiness, segment.status, None))

    def _apply(self, state: ReadinessView) -> None:
        self.state = state
        fresh = freshness(self.segment.readiness, self.segment.status, self.segment.last_evaluated_at)
        if state.phase == Phase.UPDATING:
            fresh = freshness("not_ready", self.segment.status, self.segment.last_evaluated_at)
        self.freshness.setText(fresh.text)
        self.freshness.setToolTip(fresh.tooltip)
        self.freshness.setStyleSheet(f"color: {FRESHNESS_COLORS[fresh.tone]}; font-weight: 600;")
        self.banner.setText(state.banner or "")
        self.banner.setVisible(state.banner is not None)
        color = {Phase.UPDATING: "#fef3c7", Phase.FAILED: "#fee2e2", Phase.GONE: "#fee2e2"}.get(state.phase)
        self.banner.setStyleSheet(f"background: {color}; padding: 8px; border-radius: 4px;" if color else "")
        self.retry_button.setVisible(state.retry_visible and self.access.can_edit(self.segment))
        self.send_button.setEnabled(state.send_enabled and self.access.can_send_campaign(self.segment))
        self.send_button.setToolTip(state.send_tooltip if self.access.can_create else NO_CAMPAIGN_PERMISSION)
        segment = self.segment
        archived = segment.status == "archived"
        alive = state.actions_enabled
        self.refresh_button.setEnabled(alive and not archived and state.phase != Phase.UPDATING)
        self.refresh_button.setVisible(self.access.can_edit(segment))
        self.more_button.setEnabled(alive)
        self.edit_action.setVisible(not archived and self.access.can_edit(segment))
        self.history.set_can_restore(not archived and self.access.can_edit(segment))
        self.duplicate_action.setVisible(self.access.can_duplicate(segment))
        self.archive_action.setVisible(not archived and self.access.can_archive(segment))
        self.unarchive_action.setVisible(archived and self.access.can_archive(segment))
        can_delete = getattr(segment, "can_delete", None)
        self.delete_action.setVisible(can_delete if can_delete is not None else self.access.can_edit(segment))
        if state.poll and not self.poll_timer.isActive():
            self.poll_timer.start()
        elif not state.poll:
            self.poll_timer.stop()

    def show_notice(self, text: str, *, error: bool = False) -> None:
        self.notice.setText(text)
        self.notice.setStyleSheet("color: #991b1b;" if error else "color: #1e3a8a;")
        self.notice.setVisible(bool(text))

    # --- actions -----------------------------------------------------------------------------------------

    def _run(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)

        def done(t: asyncio.Task[Any]) -> None:
            self._tasks.discard(t)
            if t.cancelled() or t.exception() is None:
                return
            self._failed("action")(t.exception())

        task.add_done_callback(done)
        return task

    def refresh_now(self) -> asyncio.Task[Any]:
        async def refresh() -> None:
            try:
                await self.client.refresh_segment(self.segment.id)
            except ApiError as exc:
                if exc.status == 429:
                    self.show_notice(figures.refresh_too_soon(exc.message, exc.retry_after), error=True)
                    return
                raise
            self.show_notice("Refresh queued. The members update by themselves when it finishes.")
            self._apply(self.machine.update("pending", self.segment.status))

        return self._run(refresh())

    def duplicate(self) -> asyncio.Task[Any]:
        async def duplicate() -> None:
            copy = await self.client.duplicate_segment(self.segment.id)
            self.duplicated.emit(copy)

        return self._run(duplicate())

    def confirm(self, action: str) -> QMessageBox:
        """Ask first (archive, unarchive, delete); the call runs only when the user confirms."""
        name = self.segment.name
        texts = {
            "archive": ("Archive segment", f"Archive “{name}”? It leaves the active list and is no longer evaluated.",
                        "Archive"),
            "unarchive": ("Unarchive segment", f"Unarchive “{name}”? It is evaluated again and counts towards "
                          "your package's segment limit.", "Unarchive"),
            "delete": ("Delete segment", f"Delete “{name}” permanently? Its members and history are removed. "
                       "This cannot be undone.", "Delete"),
        }
        title, text, verb = texts[action]
        box = QMessageBox(QMessageBox.Icon.Warning if action == "delete" else QMessageBox.Icon.Question, title, text,
                          QMessageBox.StandardButton.Cancel, self)
        ok = box.addButton(verb, QMessageBox.ButtonRole.DestructiveRole if action == "delete"
                           else QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setObjectName(f"{action}Confirm")

        def finished(_: int) -> None:
            self.confirm_box = None
            if box.clickedButton() is ok:
                self._run(self._do(action))
            box.deleteLater()

        box.finished.connect(finished)
        self.confirm_box = box
        box.open()
        return box

    async def _do(self, action: str) -> None:
        if action == "delete":
            gone = await self.client.delete_segment(self.segment.id)
            self.poll_timer.stop()
            self.deleted.emit(gone)
            return
        call = self.client.archive_segment if action == "archive" else self.client.unarchive_segment
        updated = await call(self.segment.id)
        self._show(updated)
        self.show_notice(f"“{updated.name}” {'archived' if action == 'archive' else 'unarchived'}.")
        self.changed.emit(updated)
        self.load_results()

    # --- export ------------------------------------------------------------------------------------------

    def ask_export(self, fmt: str) -> QFileDialog:
        dialog = QFileDialog(self, "Export members", str(Path.home() / default_name(self.segment.name, fmt)),
                             FORMATS[fmt])
        dialog.setObjectName("exportSaveDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(fmt)
        dialog.fileSelected.connect(lambda path: self.export_to(path, fmt))

        def finished(_: int) -> None:
            # Qt deletes the dialog: forget it first, so nothing touches a deleted C++ object later.
            if self.file_dialog is dialog:
                self.file_dialog = None
            dialog.deleteLater()

        dialog.finished.connect(finished)
        self.file_dialog = dialog
        dialog.open()
        return dialog

    def export_to(self, path: str | Path, fmt: str) -> ExportDialog:
        target = with_suffix(path, fmt)
        dialog = ExportDialog(self.client, self.segment.id, target, fmt, self.overview.visible_members, self)
        dialog.finishedExport.connect(lambda saved, message: self.show_notice(
            f"Exported to {saved}." if saved else message, error=saved is None))

        def finished(_: int) -> None:
            # Forget the dialog before Qt deletes it (cleanup on Back or sign-out would touch a deleted
            # object); a download still stopping deletes it when its task has ended.
            if self.export_dialog is dialog:
                self.export_dialog = None
            task = dialog.task
            if task is None or task.done():
                dialog.deleteLater()
            else:
                task.add_done_callback(lambda _: dialog.deleteLater())

        dialog.finished.connect(finished)
        self.export_dialog = dialog
        dialog.open()
        dialog.start()
        return dialog

    # --- campaign ----------------------------------------------------------------------------------------

    def open_campaign(self) -> SendCampaignPanel | None:
        if not self.send_button.isEnabled():
            return None
        if self.campaign is None:
            panel = SendCampaignPanel(self.client, self.segment, self.catalog)
            panel.setMinimumWidth(340)
            panel.closeRequested.connect(self.close_campaign)
            self.splitter.addWidget(panel)
            self.splitter.setStretchFactor(1, 1)
            LayoutMemory().track_splitter(self.splitter, "segmentDetail")
            self.campaign = panel
        self.campaign.show()
        self.campaign.choose_channel("whatsapp")
        return self.campaign

    def close_campaign(self) -> None:
        if self.campaign is not None:
            self.campaign.cleanup()
            self.campaign.hide()

    def cleanup(self) -> None:
        self.poll_timer.stop()
        for latest in (self._segment, self._summary, self._members, self._performance):
            latest.cancel()
        self.history_presenter.cleanup()
        self.changes_presenter.cleanup()
        for task in list(self._tasks):
            task.cancel()
        if self.campaign is not None:
            self.campaign.cleanup()
        if self.export_dialog is not None:
            self.export_dialog.cancel()
        self.performance.cleanup()



