"""The frame every row of the rule tree shares: a drag handle, the AND/OR connector to its siblings, inputs in
a wrapping `FlowLayout`, and the row's message on its own wrapping line beneath them.

`GroupRow` and `ConditionRow` (`rows.py`) fill the inputs; this frame knows nothing about what they are.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

from segstudio.core.document import BuilderDocument
from segstudio.core.explain import CountBadge
from segstudio.core.rule_tree import RuleTree, TreeEditError
from segstudio.core.validation import Issue
from segstudio.widgets.builder.flow_layout import ColumnLayout, FlowLayout

ROW_HEIGHT = 44


def drag_handle(parent: QWidget) -> QLabel:
    # A label ignores mouse presses, so pressing here reaches the tree view and starts a drag of this row.
    label = QLabel("⠿", parent)
    label.setObjectName("dragHandle")
    label.setToolTip("Drag to move (or Alt+Up / Alt+Down)")
    label.setFixedWidth(14)
    label.setCursor(Qt.CursorShape.OpenHandCursor)
    return label


def wrapping_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    label.hide()
    return label


class RowBase(QFrame):
    """[handle] [connector] | inputs, wrapping | [remove] — with the row's message on its own line below."""

    refused = Signal(str)

    def __init__(self, document: BuilderDocument, node_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.node_id = node_id
        self.setAutoFillBackground(True)
        self.layout_ = QHBoxLayout(self)
        self.layout_.setContentsMargins(4, 6, 8, 6)
        self.layout_.setSpacing(6)
        self.connector = QPushButton(self)
        self.connector.setObjectName("connector")
        self.connector.setFixedWidth(54)
        self.connector.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.connector.clicked.connect(self._toggle_parent)
        self.body = ColumnLayout(spacing=2)
        self.flow = FlowLayout(spacing=6, line_spacing=4)
        self.body.add_layout(self.flow)
        self.error = wrapping_label(self, "rowError")
        self.body.addWidget(self.error)

    def _add_body(self) -> None:
        self.layout_.addLayout(self.body, 1)

    def message_labels(self) -> list[QLabel]:
        return [self.error]

    def show_count(self, badge: CountBadge | None) -> None:
        """How many customers this row alone matches (from the latest preview); greyed while stale, flagged at 0.
        The label goes just before the row's error text, created on first use."""
        label = getattr(self, "count_label", None)
        if label is None:
            label = self.count_label = QLabel(self)
            label.setObjectName("nodeCount")
            self.layout_.insertWidget(max(0, self.layout_.indexOf(self.error)), label)
        if badge is None:
            label.hide()
            return
        label.setText(("⚠ " if badge.zero else "") + badge.text)
        label.setToolTip(badge.tooltip + (" (updating…)" if badge.stale else ""))
        colour = "#999999" if badge.stale else ("#c0392b" if badge.zero else "#2c3e50")
        label.setStyleSheet(f"color: {colour}; font-weight: {'normal' if badge.stale else 'bold'};")
        label.setProperty("stale", badge.stale)
        label.setProperty("zero", badge.zero)
        label.show()

    def _try(self, edit: Any, *args: Any) -> None:
        try:
            edit(*args)
        except TreeEditError as exc:
            self.refused.emit(exc.reason)

    def _toggle_parent(self) -> None:
        parent = self.document.tree.parent_of(self.node_id)
        if parent is not None:
            self._try(self.document.toggle_combinator, parent.id)

    def _sync_connector(self, tree: RuleTree) -> None:
        parent = tree.parent_of(self.node_id)
        if parent is None:
            self.connector.hide()
            return
        index = tree.path_of(self.node_id)[-1]
        if index == 0:
            self.connector.setText("Where")
            self.connector.setEnabled(False)
            self.connector.setProperty("first", True)
            self.connector.setToolTip("")
        else:
            self.connector.setText(parent.combinator.upper())
            self.connector.setEnabled(True)
            self.connector.setProperty("first", False)
            self.connector.setToolTip("Click to switch this group between AND and OR")
        self.connector.style().unpolish(self.connector)
        self.connector.style().polish(self.connector)

    def _show_issues(self, issues: list[Issue]) -> None:
        messages = [i.message for i in issues]
        text = messages[0] if messages else ""
        if len(messages) > 1:
            text += f" (+{len(messages) - 1})"
        self.error.setText(text)
        self.error.setVisible(bool(text))
        self.error.setToolTip("\n".join(messages))
        self.setProperty("invalid", bool(messages))
        self.style().unpolish(self)
        self.style().polish(self)

    def sync(self, tree: RuleTree, issues: list[Issue]) -> None:
        raise NotImplementedError

    def focus_part(self, part: str | None) -> None:
        self.setFocus()

    def focused_part(self) -> str | None:
        return None

    def typing(self) -> bool:
        return False

    def cleanup(self) -> None:
        """Called before the view drops this row."""
