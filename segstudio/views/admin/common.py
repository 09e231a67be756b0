"""Pieces every administration page shares: the page frame with its notice line and guarded tasks, a list
table model, inline error labels, form dialogs and the confirmation box (opened with `open()`, never
`exec()`, since the pages run under qasync)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from segstudio.client import ApiError, NetworkError
from segstudio.client.admin import AdminApi
from segstudio.services.network import ConnectionStatus

log = logging.getLogger(__name__)

T = TypeVar("T")

ADMIN_STYLESHEET = """
QLabel[role="fieldError"] { color: #b3261e; font-size: 12px; }
QLabel#adminNotice[error="true"] { background: #fee2e2; color: #991b1b; border: 1px solid #fca5a5;
                                   border-radius: 4px; padding: 8px; }
QLabel#adminNotice[error="false"] { background: #ecfdf5; color: #065f46; border: 1px solid #a7f3d0;
                                    border-radius: 4px; padding: 8px; }
QLabel[role="hint"] { color: #6b7280; }
QLabel[role="readOnly"] { font-weight: 600; }
QPushButton[primary="true"] { background: #2563eb; color: white; border: none; border-radius: 4px;
                              padding: 6px 14px; font-weight: 600; }
QPushButton[primary="true"]:disabled { background: #93c5fd; }
QPushButton[danger="true"] { color: #b3261e; }
QTableView { gridline-color: #e5e7eb; selection-background-color: #dbeafe; selection-color: #111827; }
QLabel#tokenWarning { background: #fef3c7; color: #92400e; border: 1px solid #f59e0b; border-radius: 4px;
                      padding: 8px; }
"""


class ErrorLabel(QLabel):
    """A message under one input; hidden while empty."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}Error")
        self.setProperty("role", "fieldError")
        self.setWordWrap(True)
        self.hide()

    def set_message(self, message: str | None) -> None:
        self.setText(message or "")
        self.setVisible(bool(message))


def field_block(widget: QWidget, error: ErrorLabel, hint: str | None = None) -> QWidget:
    """An input with its error (and an optional hint) stacked under it, as one form row."""
    block = QWidget()
    column = QVBoxLayout(block)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    # Wrapped hint and error lines under it must never squeeze the input itself.
    widget.setMinimumHeight(widget.sizeHint().height())
    column.addWidget(widget)
    # One-line hint and error: QFormLayout does not give a nested word-wrapped label the height it needs,
    # and the lines would overlap the input.
    if hint:
        note = QLabel(hint)
        note.setProperty("role", "hint")
        column.addWidget(note)
    error.setWordWrap(False)
    column.addWidget(error)
    return block


class AdminPage(QWidget):
    """Title, a notice line (errors in red, results in green), and async work that never crashes the page.

    `mutated()` fires after the page changed something on the server, so the shell can re-read /me (an
    administrator may have changed their own role or the org's limits).
    """

    mutated = Signal()
    title_text = ""

    def __init__(self, api: AdminApi, connection: ConnectionStatus, tz: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.connection = connection
        self.tz = tz
        self.loaded = False
        self._tasks: set[asyncio.Task[Any]] = set()
        self.setStyleSheet(ADMIN_STYLESHEET)
        self.title = QLabel(self.title_text)
        self.title.setObjectName("pageTitle")
        self.notice = QLabel()
        self.notice.setObjectName("adminNotice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(16, 12, 16, 12)
        self.layout_.addWidget(self.title)
        self.layout_.addWidget(self.notice)

    @property
    def busy(self) -> bool:
        return any(not t.done() for t in self._tasks)

    def show_notice(self, text: str, *, error: bool = False) -> None:
        self.notice.setText(text)
        self.notice.setProperty("error", "true" if error else "false")
        self.notice.style().unpolish(self.notice)
        self.notice.style().polish(self.notice)
        self.notice.setVisible(bool(text))

    def run(self, coro: Coroutine[Any, Any, Any], *, retry: Callable[[], Any] | None = None,
            on_api_error: Callable[[ApiError], bool] | None = None) -> asyncio.Task[Any]:
        """Run a call; a NetworkError shows the shared banner, an ApiError the notice unless `on_api_error`
        shows it in place (returns True)."""
        async def guarded() -> Any:
            try:
                return await coro
            except NetworkError as exc:
                self.connection.report(exc, retry=retry)
            except ApiError as exc:
                if on_api_error is None or not on_api_error(exc):
                    self.show_notice(exc.message, error=True)
            return None

        task = asyncio.ensure_future(guarded())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        # Cancelled before it ever ran (the page closed): close the call so it is not reported as never awaited.
        task.add_done_callback(lambda t: t.cancelled() and coro.close())
        return task

    def activate(self) -> asyncio.Task[Any]:
        """The page was navigated to: show the server's current state."""
        return self.reload()

    def reload(self) -> asyncio.Task[Any]:
        raise NotImplementedError

    def cleanup(self) -> None:
        for task in list(self._tasks):
            task.cancel()


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str
    text: Callable[[T], str]
    align_right: bool = False


class ListModel(QAbstractTableModel):
    """Read-only rows of server objects; `muted(item)` greys a row (revoked, deactivated), `strong(item)`
    makes it bold (unread)."""

    ItemRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, columns: Sequence[Column[Any]], *, muted: Callable[[Any], bool] | None = None,
                 strong: Callable[[Any], bool] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.items: list[Any] = []
        self._muted = muted
        self._strong = strong

    def set_items(self, items: Sequence[Any]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def item(self, row: int) -> Any:
        return self.items[row] if 0 <= row < len(self.items) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].header
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.item(index.row())
        if item is None or not 0 <= index.column() < len(self.columns):
            return None
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(item)
        if role == self.ItemRole:
            return item
        if role == Qt.ItemDataRole.ForegroundRole and self._muted is not None and self._muted(item):
            return QBrush(QColor("#9ca3af"))
        if role == Qt.ItemDataRole.FontRole and self._strong is not None and self._strong(item):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column.align_right:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def confirm(parent: QWidget, *, title: str, text: str, action: str, on_confirm: Callable[[], Any],
            name: str) -> QMessageBox:
    """Ask before a destructive action; `on_confirm` runs only when the user picks `action`."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Cancel, parent)
    box.setObjectName(name)
    accept = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)

    def finished(_: int) -> None:
        if box.clickedButton() is accept:
            on_confirm()
        box.deleteLater()

    box.finished.connect(finished)
    box.open()
    return box


class FormDialog(QDialog):
    """A small form whose inputs each carry an error line. `submitted(dict)` fires on the action button;
    the dialog stays open until the page calls `accept()` after the server said yes."""

    submitted = Signal(dict)

    def __init__(self, title: str, action: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.setStyleSheet(ADMIN_STYLESHEET)
        self.errors: dict[str, ErrorLabel] = {}
        self.form = QFormLayout()
        self.general = ErrorLabel("general")
        self.action_button = QPushButton(action)
        self.action_button.setObjectName("dialogAction")
        self.action_button.setDefault(True)
        self.action_button.setProperty("primary", True)
        self.buttons = QDialogButtonBox()
        self.buttons.addButton(self.action_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.general)
        layout.addWidget(self.buttons)
        self.action_button.clicked.connect(self._submit)
        self.buttons.rejected.connect(self.reject)

    def add_field(self, name: str, label: str, widget: QWidget, hint: str | None = None) -> None:
        widget.setObjectName(name)
        error = self.errors[name] = ErrorLabel(name)
        self.form.addRow(label, field_block(widget, error, hint))

    def values(self) -> dict[str, Any]:
        raise NotImplementedError

    def local_errors(self, values: Mapping[str, Any]) -> dict[str, str]:
        return {}

    def _submit(self) -> None:
        values = self.values()
        problems = self.local_errors(values)
        self.show_errors(problems)
        if problems:
            return
        self.set_busy(True)
        self.submitted.emit(values)

    def set_busy(self, busy: bool) -> None:
        self.action_button.setEnabled(not busy)

    def show_errors(self, by_input: Mapping[str, str], general: Sequence[str] = ()) -> None:
        self.set_busy(False)
        for name, label in self.errors.items():
            label.set_message(by_input.get(name))
        self.general.set_message(" ".join(general))
