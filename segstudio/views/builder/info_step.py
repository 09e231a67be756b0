"""Step 1 of the segment builder: the segment's name and description, checked as the user types."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from segstudio.core.validation import DESCRIPTION_MAX, NAME_MAX, validate_info


class InfoStep(QWidget):
    """Step 1: name (required, at most 60) and description (optional, at most 250)."""

    continued = Signal()
    cancelled = Signal()

    def __init__(self, editing: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("infoStep")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 28, 32, 28)
        card = QFrame(self)
        card.setObjectName("infoCard")
        card.setMaximumWidth(640)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        title = QLabel("Edit segment" if editing else "Create segment", card)
        title.setObjectName("stepTitle")
        layout.addWidget(title)
        hint = QLabel("Step 1 of 2 · Segment info", card)
        hint.setObjectName("stepHint")
        layout.addWidget(hint)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.name = QLineEdit(card)
        self.name.setObjectName("segmentName")
        self.name.setPlaceholderText("e.g. WhatsApp customers in Jakarta")
        self.name_counter = QLabel(card)
        self.name_counter.setObjectName("counter")
        self.name_error = QLabel(card)
        self.name_error.setObjectName("fieldError")
        name_box = QVBoxLayout()
        name_row = QHBoxLayout()
        name_row.addWidget(self.name, 1)
        name_row.addWidget(self.name_counter)
        name_box.addLayout(name_row)
        name_box.addWidget(self.name_error)
        form.addRow("Name *", name_box)
        self.description = QPlainTextEdit(card)
        self.description.setObjectName("segmentDescription")
        self.description.setPlaceholderText("Optional: what this segment is for")
        self.description.setFixedHeight(90)
        self.description.setTabChangesFocus(True)
        self.description_counter = QLabel(card)
        self.description_counter.setObjectName("counter")
        self.description_error = QLabel(card)
        self.description_error.setObjectName("fieldError")
        desc_box = QVBoxLayout()
        desc_box.addWidget(self.description)
        counter_row = QHBoxLayout()
        counter_row.addWidget(self.description_error, 1)
        counter_row.addWidget(self.description_counter)
        desc_box.addLayout(counter_row)
        form.addRow("Description", desc_box)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton("Cancel", card)
        self.continue_button = QPushButton("Continue", card)
        self.continue_button.setObjectName("primary")
        self.continue_button.setDefault(True)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.continue_button)
        layout.addLayout(buttons)
        self.cancel_button.clicked.connect(self.cancelled)
        self.continue_button.clicked.connect(self._continue)
        self.name.returnPressed.connect(self._continue)
        self.name.textChanged.connect(self.refresh)
        self.description.textChanged.connect(self.refresh)
        self.server_problems: dict[str, str] = {}
        self.refresh()

    def values(self) -> tuple[str, str]:
        return self.name.text(), self.description.toPlainText()

    def set_values(self, name: str, description: str) -> None:
        self.name.setText(name)
        self.description.setPlainText(description)

    def problems(self) -> dict[str, str]:
        name, description = self.values()
        problems = validate_info(name, description)
        for key, message in self.server_problems.items():
            problems.setdefault(key, message)
        return problems

    def refresh(self) -> None:
        name, description = self.values()
        if self.server_problems and self.sender() is not None:
            self.server_problems.clear()  # the user is fixing what the server said
        problems = self.problems()
        for counter, text, limit in ((self.name_counter, name, NAME_MAX),
                                     (self.description_counter, description, DESCRIPTION_MAX)):
            counter.setText(f"{len(text)}/{limit}")
            counter.setProperty("over", len(text) > limit)
            counter.style().unpolish(counter)
            counter.style().polish(counter)
        # An empty name is not shouted about before the user has typed anything.
        name_problem = problems.get("name", "") if name or "name" in self.server_problems else ""
        self.name_error.setText(name_problem)
        self.name_error.setVisible(bool(name_problem))
        self.description_error.setText(problems.get("description", ""))
        self.description_error.setVisible("description" in problems)
        self.continue_button.setEnabled(not problems)
        self.continue_button.setToolTip(next(iter(problems.values()), ""))

    def _continue(self) -> None:
        if not self.problems():
            self.continued.emit()
