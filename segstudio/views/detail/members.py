"""The matched-customers table: a model over one page of members (name, source, last activity, added by)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt

from segstudio.client.models import CustomerRow
from segstudio.core import figures
from segstudio.widgets.record_table import RecordTableModel

COLUMNS = ("Customer name", "Source", "Last activity", "Added by")


class MembersModel(RecordTableModel[CustomerRow]):
    columns = COLUMNS

    def __init__(self, tz: str | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tz = tz

    def member(self, row: int) -> CustomerRow | None:
        return self.record(row)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        member = self.member(index.row())
        if member is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return member.full_name or member.id
            if column == 1:
                return member.source or figures.DASH
            if column == 2:
                return figures.local_time(member.last_activity_at, self.tz)
            if column == 3:
                return member.added_by or figures.DASH
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
            return f"Customer id {member.id}"
        return None
