"""The rule tree on screen: a QTreeView over `RuleTreeModel` with one editor widget per row.

Drag a row by its handle (or any empty part of it) to reorder conditions or move them between groups; a bold
line (between rows) or a frame (into a group) shows where it will land, and a red line with the reason shows
where it may not. Alt+Up / Alt+Down move the current row without the mouse.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QDragMoveEvent, QDropEvent, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QTreeView,
    QWidget,
)

from segstudio.core.explain import NodeCounts
from segstudio.core.rule_tree import Group
from segstudio.widgets.builder.editors import SuggestFn
from segstudio.widgets.builder.model import NODE_ID_ROLE, RuleTreeModel
from segstudio.widgets.builder.rows import ROW_HEIGHT, ConditionRow, GroupRow, RowBase

ACCENT = QColor("#1a73e8")
REFUSED = QColor("#d93025")


class _RowDelegate(QStyledItemDelegate):
    """Rows are painted by their widgets; the delegate gives each row the height its widget needs at the
    width it gets (a wrapped row or a message beneath it makes it taller)."""

    def __init__(self, view: RuleTreeView) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        width = self._view.row_width(index)
        node_id = self._view.rule_model.data(index, NODE_ID_ROLE)
        row = self._view.rows.get(node_id)
        if row is None:
            return QSize(width, ROW_HEIGHT)
        return QSize(width, max(ROW_HEIGHT, row.heightForWidth(width)))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        return


class _DropOverlay(QWidget):
    """Drawn above the row widgets (the view's own indicator would be hidden beneath them)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.line: tuple[QPoint, QPoint] | None = None
        self.box: QRect | None = None
        self.refused = False

    def show_line(self, left: QPoint, right: QPoint, refused: bool) -> None:
        self.line, self.box, self.refused = (left, right), None, refused
        self._refresh()

    def show_box(self, rect: QRect, refused: bool) -> None:
        self.line, self.box, self.refused = None, rect, refused
        self._refresh()

    def clear(self) -> None:
        self.line = self.box = None
        self.hide()

    def _refresh(self) -> None:
        self.setGeometry(self.parentWidget().rect())
        self.show()
        self.raise_()
        self.update()

    def paintEvent(self, event: object) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = REFUSED if self.refused else ACCENT
        if self.line is not None:
            left, right = self.line
            p.setPen(QPen(colour, 3))
            p.drawLine(left, right)
            p.setBrush(colour)
            p.drawEllipse(left, 4, 4)
        elif self.box is not None:
            p.setPen(QPen(colour, 2))
            fill = QColor(colour)
            fill.setAlpha(28)
            p.setBrush(fill)
            p.drawRoundedRect(self.box.adjusted(1, 1, -2, -2), 6, 6)
        p.end()


class RuleTreeView(QTreeView):
    refused = Signal(str)
    rowsRebuilt = Signal()  # noqa: N815
    valueSettled = Signal()  # noqa: N815 - a typed value is complete; the preview may follow

    def __init__(self, model: RuleTreeModel, suggest: SuggestFn | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rule_model = model
        self.suggest = suggest
        self.setObjectName("ruleTree")
        self.rows: dict[str, RowBase] = {}
        self.setModel(model)
        self.setHeaderHidden(True)
        self.setItemDelegate(_RowDelegate(self))
        # Narrower than its widest row, the tree scrolls sideways rather than cutting rows' left edge.
        self.header().setStretchLastSection(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setIndentation(24)
        self.setRootIsDecorated(False)
        self.setExpandsOnDoubleClick(False)
        self.setItemsExpandable(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setAutoScroll(True)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        palette = self.palette()
        # The row widgets show where the keyboard is; the view's own selection band would only be noise.
        palette.setColor(QPalette.ColorRole.Highlight, QColor(0, 0, 0, 0))
        self.setPalette(palette)
        self.overlay = _DropOverlay(self.viewport())
        self.overlay.hide()
        self.counts = NodeCounts()  # the latest preview's per-node counts, shown on rebuilt rows too
        model.structureChanged.connect(self.rebuild_rows)
        model.nodesChanged.connect(self.sync_rows)
        model.moveRefused.connect(self.refused)
        self.rebuild_rows()

    # --- row widgets ---------------------------------------------------------------------------------------

    def current_node_id(self) -> str | None:
        """The row the keyboard is in: the one holding focus, else the selected one."""
        widget = QApplication.focusWidget()
        while widget is not None:
            if isinstance(widget, RowBase) and widget.node_id in self.rows:
                return widget.node_id
            widget = widget.parentWidget()
        node = self.rule_model.node(self.currentIndex())
        return None if node is None else node.id

    def rebuild_rows(self, focus: tuple[str, str | None] | None = None) -> None:
        keep = focus or self._focus_state()
        old_ids = set(self.rows)
        for row in self.rows.values():
            row.cleanup()
        self.rows.clear()
        self.expandAll()
        tree = self.rule_model.tree
        issues = self.rule_model.document.issues()
        for _path, node in tree.walk():
            index = self.rule_model.index_of(node.id)
            row: RowBase
            if isinstance(node, Group):
                row = GroupRow(self.rule_model.document, node.id)
            else:
                row = ConditionRow(self.rule_model.document, node.id, self.suggest)
            row.refused.connect(self.refused)
            if isinstance(row, ConditionRow):
                row.settled.connect(self.valueSettled)
            row.sync(tree, issues.get(node.id, []))
            self.setIndexWidget(index, row)
            self.rows[node.id] = row
            row.show_count(self.counts.badge(node.id))
        self.fit_rows()
        added = [n for _, n in tree.walk() if n.id not in old_ids and not isinstance(n, Group)]
        if old_ids and added:
            # A condition was just added (or a group with one): the keyboard goes to its field picker.
            self.focus_node(added[0].id, "field")
        elif keep is not None and keep[0] in self.rows:
            self.focus_node(*keep)
        self.rowsRebuilt.emit()

    def _focus_state(self) -> tuple[str, str | None] | None:
        node_id = self.current_node_id()
        if node_id is None or node_id not in self.rows:
            return None
        return node_id, self.rows[node_id].focused_part()

    def focus_node(self, node_id: str, part: str | None = None) -> None:
        row = self.rows.get(node_id)
        if row is None:
            return
        index = self.rule_model.index_of(node_id)
        self.setCurrentIndex(index)
        self.scrollTo(index)
        row.focus_part(part)

    def show_counts(self, counts: NodeCounts) -> None:
        self.counts = counts
        for node_id, row in self.rows.items():
            row.show_count(counts.badge(node_id))

    def mark_counts_stale(self) -> None:
        self.counts.mark_stale()
        self.show_counts(self.counts)

    def sync_rows(self, ids: list[str] | None = None) -> None:
        tree = self.rule_model.tree
        issues = self.rule_model.document.issues()
        for node_id, row in self.rows.items():
            # Connectors and Add buttons depend on siblings, so every row re-syncs; it is a dozen rows at most.
            row.sync(tree, issues.get(node_id, []))
        self.fit_rows()

    def typing(self) -> bool:
        """Whether some value is being typed and not complete yet."""
        return any(row.typing() for row in self.rows.values())

    # --- row geometry --------------------------------------------------------------------------------------

    def _depth(self, index: QModelIndex) -> int:
        depth = 0
        while index.parent().isValid():
            index = index.parent()
            depth += 1
        return depth

    def row_width(self, index: QModelIndex) -> int:
        return self.columnWidth(0) - self.indentation() * self._depth(index)

    def fit_rows(self) -> None:
        """Size the column to the viewport, or to the widest row's minimum (then it scrolls sideways), and
        let every row take the height it needs at that width."""
        needed = 0
        for node_id, row in self.rows.items():
            index = self.rule_model.index_of(node_id)
            needed = max(needed, row.minimumSizeHint().width() + self.indentation() * self._depth(index))
        width = max(self.viewport().width(), needed)
        if self.columnWidth(0) != width:
            self.header().resizeSection(0, width)
        heights = {node_id: max(ROW_HEIGHT, row.heightForWidth(self.row_width(self.rule_model.index_of(node_id))))
                   for node_id, row in self.rows.items()}
        if any(row.height() != heights[node_id] for node_id, row in self.rows.items()):
            self.doItemsLayout()
            self.updateEditorGeometries()

    def resizeEvent(self, event: object) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.fit_rows()

    # --- drag and drop -------------------------------------------------------------------------------------

    def _drop_place(self, pos: QPoint) -> tuple[QModelIndex, int]:
        """(parent index, row) the model would receive for a drop at `pos`, as QAbstractItemView decides."""
        index = self.indexAt(pos)
        if not index.isValid():
            return QModelIndex(), -1
        rect = self.visualRect(index)
        margin = max(2, min(rect.height() // 4, 12))
        is_group = bool(self.rule_model.data(index, Qt.ItemDataRole.UserRole + 2))
        if pos.y() - rect.top() < margin or (not is_group and pos.y() < rect.center().y()):
            return index.parent(), index.row()
        if rect.bottom() - pos.y() < margin or not is_group:
            return index.parent(), index.row() + 1
        return index, -1

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        super().dragMoveEvent(event)
        pos = event.position().toPoint()
        parent, row = self._drop_place(pos)
        refusal = self.rule_model.move_refusal(event.mimeData(), row, parent)
        index = self.indexAt(pos)
        if index.isValid():
            rect = self.visualRect(index)
            if row == -1:
                self.overlay.show_box(rect, refusal is not None)
            else:
                y = rect.top() if row == index.row() and parent == index.parent() else rect.bottom() + 1
                left = QPoint(rect.left() + 4, y)
                self.overlay.show_line(left, QPoint(self.viewport().width() - 8, y), refusal is not None)
        if refusal:
            QToolTip.showText(self.viewport().mapToGlobal(pos) + QPoint(16, 16), refusal, self)
            event.ignore()
        else:
            QToolTip.hideText()

    def dragLeaveEvent(self, event: object) -> None:  # noqa: N802
        self.overlay.clear()
        QToolTip.hideText()
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        self.overlay.clear()
        QToolTip.hideText()
        parent, row = self._drop_place(event.position().toPoint())
        # The place comes from our own geometry so that what the line showed is what happens.
        self.rule_model.dropMimeData(event.mimeData(), Qt.DropAction.MoveAction, row, 0, parent)
        event.setDropAction(Qt.DropAction.CopyAction)  # tells the source "do not remove rows"
        event.accept()
        self.stopAutoScroll()
        self.setState(QAbstractItemView.State.NoState)
        self.viewport().update()

    def startDrag(self, supported: Qt.DropAction) -> None:  # noqa: N802
        index = self.currentIndex()
        if not index.isValid() or not (self.rule_model.flags(index) & Qt.ItemFlag.ItemIsDragEnabled):
            return
        super().startDrag(supported)
        self.overlay.clear()
