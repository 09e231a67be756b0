"""The side panel of "View details": name, rules summary, readiness and member count; "Open details" opens
the full segment page (`segstudio.views.detail`)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from segstudio.client.models import Segment
from segstudio.services.access import Access

NO_SUMMARY = ("These rules use a field that was removed or that your package no longer includes; "
              "edit the segment to fix them.")
READINESS_TEXT = {
    "pending": "Pending — waiting for its first evaluation",
    "not_ready": "Evaluating — members are being computed",
    "ready": "Ready",
    "failed": "Evaluation failed — use Refresh to try again",
}


class SegmentDetailPanel(QWidget):
    editRequested = Signal(object)
    openRequested = Signal(object)
    refreshRequested = Signal(object)
    closeRequested = Signal()

    def __init__(self, access: Access, tz: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("segmentDetail")
        self.access = access
        self.tz = tz
        self.segment: Segment | None = None
        self.name = QLabel()
        self.name.setObjectName("detailName")
        self.name.setWordWrap(True)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setObjectName("detailSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.readiness = QLabel()
        self.readiness.setObjectName("detailReadiness")
        self.members = QLabel()
        self.members.setObjectName("detailMembers")
        self.evaluated = QLabel()
        self.created = QLabel()
        self.created.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Rules", self.summary)
        form.addRow("Readiness", self.readiness)
        form.addRow("Members", self.members)
        form.addRow("Last evaluated", self.evaluated)
        form.addRow("Created", self.created)
        self.open_button = QPushButton("Open details")
        self.open_button.setObjectName("openDetails")
        self.edit_button = QPushButton("Edit")
        self.refresh_button = QPushButton("Refresh now")
        close = QPushButton("Close")
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.name)
        layout.addWidget(self.description)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.open_button.clicked.connect(lambda: self.segment and self.openRequested.emit(self.segment))
        self.edit_button.clicked.connect(lambda: self.segment and self.editRequested.emit(self.segment))
        self.refresh_button.clicked.connect(lambda: self.segment and self.refreshRequested.emit(self.segment))
        close.clicked.connect(self.closeRequested)

    def show_segment(self, segment: Segment) -> None:
        self.segment = segment
        zone = ZoneInfo(self.tz) if self.tz else None
        self.name.setText(f"<b>{segment.name}</b>" + (" (archived)" if segment.status == "archived" else ""))
        self.description.setText(segment.description or "")
        self.description.setVisible(bool(segment.description))
        # The server's words (GET /segments phrases every row); none when the rules use a field since removed.
        self.summary.setText(segment.summary or NO_SUMMARY)
        self.readiness.setText(READINESS_TEXT.get(segment.readiness, segment.readiness))
        self.members.setText("—" if segment.evaluating or segment.member_count is None
                             else f"{segment.member_count:,}")
        self.evaluated.setText(segment.last_evaluated_at.astimezone(zone).strftime("%d %b %Y %H:%M")
                               if segment.last_evaluated_at else "Not yet")
        by = f" by {segment.created_by_name}" if segment.created_by_name else ""
        self.created.setText(segment.created_at.astimezone(zone).strftime("%d %b %Y %H:%M") + by)
        editable = segment.status == "active" and self.access.can_edit(segment)
        self.edit_button.setVisible(editable)
        self.refresh_button.setVisible(editable)
