"""A layout that places widgets left to right and wraps to a new line when the width runs out (Qt's Flow
Layout example), so a condition row stays whole at 1024 px instead of squeezing its inputs on top of each
other. Each widget keeps its size hint: nothing is cut to make a line fit.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget, QWidgetItem


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = 6, line_spacing: int = 4) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._line_spacing = line_spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt API
        self._items.append(item)

    def insert_widget(self, index: int, widget: QWidget) -> None:
        self.addChildWidget(widget)
        self._items.insert(index, QWidgetItem(widget))
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt API
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt API
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt API
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt API
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        # Preferred: everything on one line.
        visible = [i for i in self._items if not i.isEmpty()]
        width = sum(i.sizeHint().width() for i in visible) + self._spacing * max(len(visible) - 1, 0)
        height = max((i.sizeHint().height() for i in visible), default=0)
        m = self.contentsMargins()
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt API
        # At the least, the widest single widget must fit on a line of its own.
        size = QSize()
        for item in self._items:
            if not item.isEmpty():
                size = size.expandedTo(item.sizeHint())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def _arrange(self, rect: QRect, move: bool) -> int:
        m = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        x, y, line_height = area.x(), area.y(), 0
        line: list[tuple[QLayoutItem, int, QSize]] = []

        def place_line() -> None:
            for item, left, size in line:
                # Centre each widget on its line, so a button and a taller box share a middle.
                top = y + (line_height - size.height()) // 2
                item.setGeometry(QRect(QPoint(left, top), size))

        for item in self._items:
            if item.isEmpty():
                continue
            size = item.sizeHint().boundedTo(item.maximumSize()).expandedTo(item.minimumSize())
            size.setWidth(min(size.width(), max(area.width(), 1)))
            if line and x + size.width() > area.right() + 1:
                if move:
                    place_line()
                x = area.x()
                y += line_height + self._line_spacing
                line, line_height = [], 0
            line.append((item, x, size))
            x += size.width() + self._spacing
            line_height = max(line_height, size.height())
        if move and line:
            place_line()
        return y + line_height - rect.y() + m.bottom()


class ColumnLayout(QLayout):
    """Items stacked top to bottom, each as tall as it needs at the column's width (a wrapped `FlowLayout`,
    a word-wrapped label). QVBoxLayout sizes a nested layout by its size hint, which for a flow is one line."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 2) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt API
        self._items.append(item)

    def add_layout(self, layout: QLayout) -> None:
        self.addChildLayout(layout)
        self._items.append(layout)
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt API
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt API
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt API
        return Qt.Orientation.Horizontal

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def _height(self, item: QLayoutItem, width: int) -> int:
        if item.hasHeightForWidth():
            return item.heightForWidth(width)
        return item.sizeHint().height()

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        visible = [i for i in self._items if not i.isEmpty()]
        return sum(self._height(i, width) for i in visible) + self._spacing * max(len(visible) - 1, 0)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        visible = [i for i in self._items if not i.isEmpty()]
        width = max((i.sizeHint().width() for i in visible), default=0)
        return QSize(width, self.heightForWidth(width))

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt API
        width = max((i.minimumSize().width() for i in self._items if not i.isEmpty()), default=0)
        return QSize(width, 0)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt API
        super().setGeometry(rect)
        y = rect.y()
        for item in self._items:
            if item.isEmpty():
                continue
            height = self._height(item, rect.width())
            item.setGeometry(QRect(rect.x(), y, rect.width(), height))
            y += height + self._spacing
