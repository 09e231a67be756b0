"""A `QAbstractItemModel` adapter over the builder document's rule tree.

The plain tree changes first; this model only translates (napari's `qt_tree_model.py` idea). The root group
is the one top-level row. A drop is a `document.move(...)`; drag data carries node ids (stable) and paths.
Edits that keep the structure emit `dataChanged` for the nodes that changed; structural edits reset the model
(trees are a dozen rows at most, and the view restores focus and expansion by node id).
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QByteArray, QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal

from segstudio.core.document import BuilderDocument
from segstudio.core.rule_tree import Group, Node, RuleTree, TreeEditError
from segstudio.core.summary import describe_condition

MIME_TYPE = "application/x-segstudio-rule-nodes"
NODE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
IS_GROUP_ROLE = Qt.ItemDataRole.UserRole + 2
ISSUES_ROLE = Qt.ItemDataRole.UserRole + 3

AnyIndex = QModelIndex | QPersistentModelIndex


def structure(tree: RuleTree) -> tuple[Any, ...]:
    def walk(node: Node) -> Any:
        return (node.id, tuple(walk(c) for c in node.rules)) if isinstance(node, Group) else node.id

    return walk(tree.root)


class RuleTreeModel(QAbstractItemModel):
    moveRefused = Signal(str)  # noqa: N815 - Qt signal naming
    structureChanged = Signal()  # noqa: N815
    nodesChanged = Signal(list)  # noqa: N815 - ids whose content changed, structure unchanged

    def __init__(self, document: BuilderDocument, parent: Any = None) -> None:
        super().__init__(parent)
        self.document = document
        self._tree = document.tree
        self._keys: dict[str, int] = {}
        self._ids: dict[int, str] = {}
        self._index_nodes()
        self._unsubscribe = document.subscribe(self._on_document_changed)

    def cleanup(self) -> None:
        self._unsubscribe()

    # --- bookkeeping ---------------------------------------------------------------------------------------

    def _index_nodes(self) -> None:
        self._paths: dict[str, tuple[int, ...]] = {}
        self._nodes: dict[str, Node] = {}
        for path, node in self._tree.walk():
            self._paths[node.id] = path
            self._nodes[node.id] = node
            if node.id not in self._keys:
                key = len(self._keys) + 1
                self._keys[node.id] = key
                self._ids[key] = node.id

    def _on_document_changed(self, old: RuleTree, new: RuleTree) -> None:
        if structure(new) == structure(self._tree):
            changed = [n.id for _, n in new.walk() if self._nodes.get(n.id) != n]
            self._tree = new
            self._index_nodes()
            for node_id in changed or self.ids():
                idx = self.index_of(node_id)
                self.dataChanged.emit(idx, idx)
            self.nodesChanged.emit(changed or self.ids())
            return
        self.beginResetModel()
        self._tree = new
        self._index_nodes()
        self.endResetModel()
        self.structureChanged.emit()

    @property
    def tree(self) -> RuleTree:
        return self._tree

    def ids(self) -> list[str]:
        return list(self._paths)

    def node(self, index: AnyIndex) -> Node | None:
        if not index.isValid():
            return None
        node_id = self._ids.get(index.internalId())
        return None if node_id is None else self._nodes.get(node_id)

    def index_of(self, node_id: str) -> QModelIndex:
        path = self._paths.get(node_id)
        if path is None:
            return QModelIndex()
        row = path[-1] if path else 0
        return self.createIndex(row, 0, self._keys[node_id])

    def index_at_path(self, path: tuple[int, ...]) -> QModelIndex:
        return self.index_of(self._tree.node_at(path).id)

    # --- QAbstractItemModel --------------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.index_of(self._tree.root.id) if row == 0 else QModelIndex()
        node = self.node(parent)
        if not isinstance(node, Group) or row >= len(node.rules):
            return QModelIndex()
        return self.index_of(node.rules[row].id)

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        node = self.node(index)
        if node is None:
            return QModelIndex()
        path = self._paths[node.id]
        if not path:
            return QModelIndex()
        return self.index_of(self._tree.node_at(path[:-1]).id)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        if not parent.isValid():
            return 1
        node = self.node(parent)
        return len(node.rules) if isinstance(node, Group) else 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 1

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        node = self.node(index)
        if node is None:
            return None
        if role == NODE_ID_ROLE:
            return node.id
        if role == IS_GROUP_ROLE:
            return isinstance(node, Group)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if isinstance(node, Group):
                text = f"{'ALL' if node.combinator == 'and' else 'ANY'} of these"
                return f"NOT {text}" if node.negate else text
            return describe_condition(node, self.document.catalog)
        if role in (ISSUES_ROLE, Qt.ItemDataRole.ToolTipRole):
            issues = self.document.issues().get(node.id, [])
            return [i.message for i in issues] if role == ISSUES_ROLE else "\n".join(i.message for i in issues)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        node = self.node(index)
        if node is None:
            return Qt.ItemFlag.ItemIsDropEnabled
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if node.id != self._tree.root.id:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        if isinstance(node, Group):
            flags |= Qt.ItemFlag.ItemIsDropEnabled
        return flags

    # --- drag and drop -------------------------------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [MIME_TYPE]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # noqa: N802
        nodes = [n for n in (self.node(i) for i in indexes) if n is not None]
        payload = {"ids": [n.id for n in nodes], "paths": [list(self._paths[n.id]) for n in nodes]}
        mime = QMimeData()
        mime.setData(MIME_TYPE, QByteArray(json.dumps(payload).encode()))
        return mime

    def _drop_target(self, data: QMimeData, row: int, parent: AnyIndex) -> tuple[str, str, int] | None:
        if not data.hasFormat(MIME_TYPE):
            return None
        try:
            ids = json.loads(bytes(data.data(MIME_TYPE).data()).decode())["ids"]
        except (ValueError, KeyError):
            return None
        if len(ids) != 1 or ids[0] not in self._paths:
            return None
        node_id = ids[0]
        target = self.node(parent)
        if target is None:
            # Dropped beside the root row: the root's first or last place.
            root = self._tree.root
            return node_id, root.id, 0 if row == 0 else len(root.rules)
        if not isinstance(target, Group):
            return None
        return node_id, target.id, len(target.rules) if row < 0 else row

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,  # noqa: N802
                        parent: AnyIndex) -> bool:
        target = self._drop_target(data, row, parent)
        if target is None:
            return False
        try:
            self._tree.move(*target)
        except TreeEditError:
            return False
        return True

    def move_refusal(self, data: QMimeData, row: int, parent: AnyIndex) -> str | None:
        """Why a drop here would be refused (shown while dragging), or None when it is fine."""
        target = self._drop_target(data, row, parent)
        if target is None:
            return None
        try:
            self._tree.move(*target)
        except TreeEditError as exc:
            return exc.reason
        return None

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,  # noqa: N802
                     parent: AnyIndex) -> bool:
        target = self._drop_target(data, row, parent)
        if target is None:
            return False
        try:
            self.document.move(*target)
        except TreeEditError as exc:
            self.moveRefused.emit(exc.reason)
        # Returning True would make the view call removeRows on the dragged rows after the move (napari
        # found the same); the move already happened in the document, so report "nothing left to do".
        return False

    def removeRows(self, row: int, count: int, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: N802, B008
        return False
