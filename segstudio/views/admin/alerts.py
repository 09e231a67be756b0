"""Alerts: skipped or failed evaluations with their reason and time (organisation timezone), marked read one by
one or all at once. `unreadChanged(int)` feeds the badge on the navigation entry."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QWidget,
)

from segstudio.client.admin import AdminApi, Alert
from segstudio.core.admin_format import alert_kind, local_time, segment_label, unread
from segstudio.services.network import ConnectionStatus
from segstudio.views.admin.common import AdminPage, Column, ListModel


class AlertsPage(AdminPage):
    title_text = "Alerts"
    unreadChanged = Signal(int)

    def __init__(self, api: AdminApi, connection: ConnectionStatus, tz: str, parent: QWidget | None = None) -> None:
        super().__init__(api, connection, tz, parent)
        self.unread_count = 0
        self.model = ListModel([
            Column("Time", lambda a: local_time(a.created_at, self.tz)),
            Column("Kind", lambda a: alert_kind(a.kind)),
            Column("Segment", lambda a: segment_label(a.segment_id, a.segment_name)),
            Column("Reason", lambda a: a.message),
            Column("Status", lambda a: "Unread" if a.read_at is None else f"Read {local_time(a.read_at, self.tz)}"),
        ], strong=lambda a: a.read_at is None, muted=lambda a: a.read_at is not None, parent=self)
        self.table = QTableView()
        self.table.setObjectName("alertsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.unread_only = QCheckBox("Unread only")
        self.unread_only.setObjectName("unreadOnly")
        self.mark_button = QPushButton("Mark read")
        self.mark_button.setObjectName("markRead")
        self.mark_all_button = QPushButton("Mark all read")
        self.mark_all_button.setObjectName("markAllRead")
        self.empty = QLabel("No alerts. Skipped and failed evaluations show here.")
        self.empty.setObjectName("alertsEmpty")
        self.empty.setProperty("role", "hint")
        self.empty.hide()
        bar = QHBoxLayout()
        bar.addWidget(self.unread_only)
        bar.addStretch(1)
        bar.addWidget(self.mark_button)
        bar.addWidget(self.mark_all_button)
        self.layout_.addLayout(bar)
        self.layout_.addWidget(self.empty)
        self.layout_.addWidget(self.table, 1)

        self.unread_only.toggled.connect(lambda _: self.reload())
        self.mark_button.clicked.connect(self.mark_selected)
        self.mark_all_button.clicked.connect(self.mark_all)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._sync())
        self.model.modelReset.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        self.mark_button.setEnabled(any(a.read_at is None for a in self.selected_alerts()))
        self.mark_all_button.setEnabled(any(a.read_at is None for a in self.model.items))
        self.empty.setVisible(self.loaded and not self.model.items)

    def selected_alerts(self) -> list[Alert]:
        rows = sorted(i.row() for i in self.table.selectionModel().selectedRows())
        return [a for a in (self.model.item(r) for r in rows) if a is not None]

    def _set_unread(self, count: int) -> None:
        if count != self.unread_count:
            self.unread_count = count
            self.unreadChanged.emit(count)

    def reload(self) -> asyncio.Task[Any]:
        async def load() -> None:
            only = self.unread_only.isChecked()
            alerts = await self.api.alerts(unread=only)
            self.loaded = True
            self.model.set_items(alerts)
            self._set_unread(len(alerts) if only else unread(a.read_at for a in alerts))

        return self.run(load(), retry=self.reload)

    def refresh_badge(self) -> asyncio.Task[Any]:
        """Count unread alerts without touching the table (the window regained focus)."""
        async def count() -> None:
            self._set_unread(len(await self.api.alerts(unread=True)))

        # A failure here is not worth a notice: the page shows it when the admin opens it.
        return self.run(count(), on_api_error=lambda _: True)

    def mark_selected(self) -> asyncio.Task[Any]:
        return self._mark([a for a in self.selected_alerts() if a.read_at is None])

    def mark_all(self) -> asyncio.Task[Any]:
        return self._mark([a for a in self.model.items if a.read_at is None])

    def _mark(self, alerts: list[Alert]) -> asyncio.Task[Any]:
        async def mark() -> None:
            for alert in alerts:
                await self.api.mark_alert_read(alert.id)
            await self.reload()
            if alerts:
                self.show_notice(f"Marked {len(alerts)} alert{'s' if len(alerts) != 1 else ''} read.")

        return self.run(mark())
