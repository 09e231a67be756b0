"""The Roles page's table: roles × permission keys, with a level combo box in every cell.

The model only translates `LevelMatrix` (segstudio.core.admin_roles), which keeps the edits and knows what is
dirty; the combo boxes (`LevelDelegate`) write through `setData`. The page around it is `roles.py`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from segstudio.client.admin import Role
from segstudio.core.admin_roles import (
    ALLOWED_LEVELS,
    LEVEL_LABELS,
    PERMISSION_KEYS,
    PERMISSION_LABELS,
    LevelMatrix,
    RoleRow,
)

FIXED_COLUMNS = ("Role", "Users")
COMBO_STYLE = """
QComboBox[dirty="true"] { background: #fef9c3; font-weight: 600; }
QComboBox[error="true"] { border: 1px solid #b3261e; }
"""


def role_row(role: Role) -> RoleRow:
    return RoleRow(id=role.id, key=role.key, name=role.name, is_default=role.is_default,
                   user_count=role.user_count, levels=dict(role.permissions))


class RolesModel(QAbstractTableModel):
    """Rows are roles, columns the role name, its user count and one level per permission key."""

    edited = Signal()
    KeyRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, matrix: LevelMatrix, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.matrix = matrix

    def reset(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    @staticmethod
    def key_of(column: int) -> str | None:
        i = column - len(FIXED_COLUMNS)
        return PERMISSION_KEYS[i] if 0 <= i < len(PERMISSION_KEYS) else None

    @staticmethod
    def column_of(key: str) -> int:
        return len(FIXED_COLUMNS) + PERMISSION_KEYS.index(key)

    def role(self, row: int) -> RoleRow | None:
        roles = self.matrix.roles
        return roles[row] if 0 <= row < len(roles) else None

    def row_of(self, role_id: int) -> int:
        return next((i for i, r in enumerate(self.matrix.roles) if r.id == role_id), -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.matrix.roles)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(FIXED_COLUMNS) + len(PERMISSION_KEYS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        key = self.key_of(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return FIXED_COLUMNS[section] if key is None else PERMISSION_LABELS[key]
        if role == Qt.ItemDataRole.ToolTipRole and key is not None:
            return key
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if self.key_of(index.column()) else base

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.role(index.row())
        if row is None:
            return None
        key = self.key_of(index.column())
        if key is None:
            if role == Qt.ItemDataRole.DisplayRole:
                return row.name if index.column() == 0 else str(row.user_count)
            if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0:
                return "Default role" if row.is_default else "Custom role"
            if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        level = self.matrix.level(row.id, key)
        if role == Qt.ItemDataRole.DisplayRole:
            return LEVEL_LABELS.get(level, level)
        if role == Qt.ItemDataRole.EditRole:
            return level
        if role == self.KeyRole:
            return key
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.matrix.errors.get((row.id, key))
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,  # noqa: N802
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        row = self.role(index.row())
        key = self.key_of(index.column())
        if row is None or key is None or role != Qt.ItemDataRole.EditRole:
            return False
        try:
            changed = self.matrix.set_level(row.id, key, str(value))
        except ValueError:
            return False
        self.dataChanged.emit(index, index)
        if changed:
            self.edited.emit()
        return True

    def refresh_cells(self) -> None:
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))


class LevelDelegate(QStyledItemDelegate):
    """A combo box of the levels this key takes; picking one writes it at once (no Enter needed)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        key = index.data(RolesModel.KeyRole)
        combo = QComboBox(parent)
        combo.setObjectName(f"level_{key}")
        combo.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # the table is the Tab stop (OpenLevelOnKey)
        combo.setStyleSheet(COMBO_STYLE)
        for level in ALLOWED_LEVELS[key]:
            combo.addItem(LEVEL_LABELS[level], level)
        combo.currentIndexChanged.connect(lambda _: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        assert isinstance(editor, QComboBox)
        model = index.model()
        assert isinstance(model, RolesModel)
        row = model.role(index.row())
        key = index.data(RolesModel.KeyRole)
        editor.blockSignals(True)
        editor.setCurrentIndex(editor.findData(index.data(Qt.ItemDataRole.EditRole)))
        editor.blockSignals(False)
        error = model.matrix.errors.get((row.id, key)) if row is not None else None
        dirty = row is not None and model.matrix.is_dirty(row.id, key)
        editor.setProperty("dirty", "true" if dirty else "false")
        editor.setProperty("error", "true" if error else "false")
        editor.setToolTip(error or "")
        editor.style().unpolish(editor)
        editor.style().polish(editor)

    def setModelData(self, editor: QWidget, model: Any,  # noqa: N802
                     index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class OpenLevelOnKey(QObject):
    """Enter, Space or F2 on a cell of the roles table opens that cell's level box from the keyboard."""

    KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space, Qt.Key.Key_F2)

    def __init__(self, table: QAbstractItemView) -> None:
        super().__init__(table)
        self.table = table
        table.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and event.key() in self.KEYS:
            editor = self.table.indexWidget(self.table.currentIndex())
            if isinstance(editor, QComboBox):
                editor.setFocus(Qt.FocusReason.OtherFocusReason)
                editor.showPopup()
                return True
        return False
