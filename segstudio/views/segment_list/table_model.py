"""The segments table: a model over SegmentListController's current page."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QWidget

from segstudio.client.models import Segment
from segstudio.core import figures
from segstudio.services.segment_list import SegmentListController
from segstudio.widgets.record_table import RecordTableModel

READINESS_LABELS = {"pending": "Pending", "not_ready": "Evaluating", "ready": "Ready", "failed": "Failed"}
COLUMNS = ("Name", "Size", "Readiness", "Created by", "Created at")


class SegmentTableModel(RecordTableModel[Segment]):
    """Rows are the controller's items; every `changed` that alters them is a model reset."""

    SegmentRole = Qt.ItemDataRole.UserRole + 1
    columns = COLUMNS

    def __init__(self, controller: SegmentListController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._rows = list(controller.items)
        controller.changed.connect(self._sync)

    def _sync(self) -> None:
        if self._rows == self.controller.items:
            return
        self.set_rows(self.controller.items)

    def cleanup(self) -> None:
        self.controller.changed.disconnect(self._sync)

    def segment(self, row: int) -> Segment | None:
        return self.record(row)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        segment = self.segment(index.row())
        if segment is None:
            return None
        column = index.column()
        if role == self.SegmentRole:
            return segment
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return segment.name
            if column == 1:
                return figures.DASH if segment.evaluating else figures.count(segment.member_count)
            if column == 2:
                return READINESS_LABELS.get(segment.readiness, segment.readiness)
            if column == 3:
                return segment.created_by_name
            if column == 4:
                return figures.local_time(segment.created_at, self.controller.tz)
        if role == Qt.ItemDataRole.ToolTipRole and column == 0 and segment.description:
            return segment.description
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
