"""The Overview tab: segment info, the data summary (matched, reach, last updated, reachability) and the
matched-customers table with paging and the "your access shows customers you own" note."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from segstudio.client.models import Members, Segment, SegmentSummary
from segstudio.core import figures
from segstudio.views.detail.members import MembersModel
from segstudio.widgets.record_table import record_table


def _figure(title: str, name: str) -> tuple[QFrame, QLabel]:
    frame = QFrame()
    frame.setObjectName("figureCard")
    value = QLabel(figures.DASH)
    value.setObjectName(name)
    value.setStyleSheet("font-size: 18px; font-weight: 600;")
    value.setWordWrap(True)  # a long time or count wraps in a narrow window rather than widening it
    caption = QLabel(title)
    caption.setStyleSheet("color: #4b5563;")
    caption.setWordWrap(True)
    column = QVBoxLayout(frame)
    column.addWidget(caption)
    column.addWidget(value)
    return frame, value


class OverviewTab(QWidget):
    pageRequested = Signal(int)

    def __init__(self, tz: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tz = tz
        self.page = 1
        self.page_size = 20
        self.status = QLabel()
        self.status.setObjectName("segmentStatus")
        self.name = QLabel()
        self.name.setObjectName("segmentName")
        self.name.setWordWrap(True)
        self.description = QLabel()
        self.description.setObjectName("segmentDescription")
        self.description.setWordWrap(True)
        self.pattern = QLabel()
        self.pattern.setObjectName("filterPattern")
        self.pattern.setWordWrap(True)
        self.pattern.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        info = QFormLayout()
        info.addRow("Status", self.status)
        info.addRow("Name", self.name)
        info.addRow("Description", self.description)
        info.addRow("Filter pattern", self.pattern)

        matched, self.matched = _figure("Total customers matched", "totalMatched")
        reach, self.reach = _figure("Reach of all customers", "reachPercent")
        updated, self.updated = _figure("Last updated", "lastUpdated")
        self.whatsapp_card, self.whatsapp = _figure("Reachable by WhatsApp", "reachWhatsapp")
        self.email_card, self.email = _figure("Reachable by Email", "reachEmail")
        cards = QGridLayout()
        # Three to a row: five side by side did not fit 1024 px beside the Send campaign panel.
        for i, card in enumerate((matched, reach, updated, self.whatsapp_card, self.email_card)):
            cards.addWidget(card, i // 3, i % 3)

        self.note = QLabel()
        self.note.setObjectName("membersNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("background: #eff6ff; color: #1e3a8a; padding: 6px; border-radius: 4px;")
        self.note.hide()
        self.model = MembersModel(tz, self)
        self.table = record_table(self.model, "membersTable")
        self.empty = QLabel("No customers match this segment yet.")
        self.empty.setObjectName("membersEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.body = QStackedWidget()
        self.body.addWidget(self.table)
        self.body.addWidget(self.empty)
        self.page_label = QLabel()
        self.page_label.setObjectName("membersPage")
        self.prev_button = QPushButton("‹ Previous")
        self.prev_button.setObjectName("membersPrev")
        self.next_button = QPushButton("Next ›")
        self.next_button.setObjectName("membersNext")
        pager = QHBoxLayout()
        pager.addStretch(1)
        pager.addWidget(self.page_label)
        pager.addWidget(self.prev_button)
        pager.addWidget(self.next_button)

        layout = QVBoxLayout(self)
        layout.addLayout(info)
        layout.addLayout(cards)
        heading = QLabel("<b>Matched customers</b>")
        layout.addWidget(heading)
        layout.addWidget(self.note)
        layout.addWidget(self.body, 1)
        layout.addLayout(pager)
        self.prev_button.clicked.connect(lambda: self.pageRequested.emit(self.page - 1))
        self.next_button.clicked.connect(lambda: self.pageRequested.emit(self.page + 1))
        self._total = 0

    def show_segment(self, segment: Segment) -> None:
        archived = segment.status == "archived"
        self.status.setText("Archived" if archived else "Active")
        self.status.setStyleSheet("color: #6b7280; font-weight: 600;" if archived
                                  else "color: #15803d; font-weight: 600;")
        self.name.setText(segment.name)
        self.description.setText(segment.description or "No description")
        if segment.summary:
            self.pattern.setText(segment.summary)
        self.whatsapp_card.setVisible(not archived)
        self.email_card.setVisible(not archived)

    def show_summary(self, summary: SegmentSummary) -> None:
        self.matched.setText(figures.count(summary.total_matched))
        self.reach.setText(f"{figures.percent(summary.reach_percent)} of {figures.count(summary.total_customers)}")
        self.updated.setText(figures.local_time(summary.last_updated, self.tz, seconds=True))
        if summary.filter_summary:
            self.pattern.setText(summary.filter_summary)
        reach = summary.reachability
        self.whatsapp_card.setVisible(reach is not None)
        self.email_card.setVisible(reach is not None)
        if reach is not None:
            self.whatsapp.setText(f"{figures.percent(reach.whatsapp.percent)} ({figures.count(reach.whatsapp.count)})")
            self.email.setText(f"{figures.percent(reach.email.percent)} ({figures.count(reach.email.count)})")

    def show_members(self, members: Members, page: int) -> None:
        self.page = page
        self.model.set_rows(members.items)
        note = figures.members_note(members.total_matched, members.visible)
        self.note.setText(note or "")
        self.note.setVisible(note is not None)
        self._total = members.visible
        empty = members.visible == 0
        self.body.setCurrentWidget(self.empty if empty else self.table)
        if empty:
            self.empty.setText("No customers match this segment yet." if members.total_matched == 0 else
                               "None of the matched customers are yours, so none are listed here.")
        self.page_label.setText(figures.page_label(page, self.page_size, members.visible))
        self.prev_button.setEnabled(page > 1)
        self.next_button.setEnabled(page < figures.page_count(members.visible, self.page_size))

    @property
    def visible_members(self) -> int:
        return self._total
