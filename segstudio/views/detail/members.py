"""The matched-customers table: a model over one page of members (name, source, last activity, added by)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from segstudio.client.models import CustomerRow
from segstudio.core import figures

COLUMNS = ("Customer name", "Source", "Last activity", "Added by")


class MembersModel(QAbstractTableModel):
    def __init__(self, tz: str | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tz = tz
        self._rows: list[CustomerRow] = []

    def set_rows(self, rows: Sequence[CustomerRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def member(self, row: int) -> CustomerRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

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
