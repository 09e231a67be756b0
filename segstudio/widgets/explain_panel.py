"""The "Why?" panel: each node of the rule tree marked matched or not, with the customer's value beside it.

Display only: it shows lines (`segstudio.core.explain.ExplainLine`) and messages, and emits the customer id
typed into its box (when it has one); the builder's `LiveExplain` and the `ExplainWindow` fetch and decide.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from segstudio.core.explain import ExplainLine

MATCHED, NOT_MATCHED = "✓", "✗"
GREEN, RED = QColor("#1e8449"), QColor("#c0392b")


class ExplainPanel(QFrame):
    customerChanged = Signal(str)  # noqa: N815 - the id typed into the box (stripped; "" when cleared)

    def __init__(self, with_input: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("explainPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        top = QHBoxLayout()
        self.title = QLabel("<b>Why?</b>", self)
        top.addWidget(self.title)
        self.customer_box = QLineEdit(self)
        self.customer_box.setObjectName("explainCustomer")
        self.customer_box.setPlaceholderText("Customer id")
        self.customer_box.setToolTip("See why this customer matches or not, updated as you edit the rules")
        self.customer_box.setClearButtonEnabled(True)
        self.customer_box.textChanged.connect(lambda text: self.customerChanged.emit(text.strip()))
        self.customer_box.setVisible(with_input)
        top.addWidget(self.customer_box, 1)
        self.busy = QLabel("", self)
        top.addWidget(self.busy)
        layout.addLayout(top)
        self.note = QLabel(self)
        self.note.setObjectName("explainNote")
        self.note.setWordWrap(True)
        self.note.hide()
        layout.addWidget(self.note)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("explainTree")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Rule", "Customer's value"])
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)
        layout.addWidget(self.tree, 1)
        self.message = QLabel(self)
        self.message.setObjectName("explainMessage")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.message)
        self.show_message("Type a customer id, or double-click a customer in the preview."
                          if with_input else "Loading…")

    def set_customer(self, customer_id: str) -> None:
        """Put an id in the box (a double-click on a customer row); the box then asks as if typed."""
        self.customer_box.setText(customer_id)

    def set_busy(self, busy: bool) -> None:
        self.busy.setText("Updating…" if busy else "")

    def show_message(self, text: str) -> None:
        self.tree.clear()
        self.tree.hide()
        self.note.hide()
        self.message.setStyleSheet("")
        self.message.setText(text)
        self.message.show()

    def show_error(self, text: str) -> None:
        self.show_message(text)
        self.message.setStyleSheet("color: #c0392b;")

    def show_lines(self, title: str, lines: list[ExplainLine], note: str = "") -> None:
        self.title.setText(f"<b>{title}</b>")
        self.message.hide()
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.tree.clear()
        for line in lines:
            mark = MATCHED if line.matched else NOT_MATCHED
            item = QTreeWidgetItem([f"{'    ' * line.depth}{mark} {line.text}", line.detail])
            item.setForeground(0, QBrush(GREEN if line.matched else RED))
            item.setToolTip(0, ("Matched" if line.matched else "Not matched") + (f": {line.detail}"
                                                                                 if line.detail else ""))
            item.setToolTip(1, line.detail)
            item.setData(0, Qt.ItemDataRole.UserRole, line.node_id)
            self.tree.addTopLevelItem(item)
        self.tree.resizeColumnToContents(0)
        self.tree.show()
