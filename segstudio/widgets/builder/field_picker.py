"""Choosing a field: a button showing the field, and a popup grouped as the catalog groups with type-to-search.

Fields the org's package does not include are listed but locked, with the reason as their tooltip.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QKeyEvent, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QTreeWidgetItemIterator,
    QVBoxLayout,
    QWidget,
)

from segstudio.core.catalog import Catalog, FieldSpec

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
_LOCK: QIcon | None = None


def lock_icon() -> QIcon:
    """A small padlock drawn at run time, so it needs no resource file or emoji font."""
    global _LOCK
    if _LOCK is None:
        pix = QPixmap(16, 16)
        pix.fill(Qt.GlobalColor.transparent)
        p = QPainter(pix)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        colour = QColor("#8a8f98")
        p.setPen(QPen(colour, 1.6))
        arc = QPainterPath()
        arc.moveTo(5, 8)
        arc.lineTo(5, 5.5)
        arc.arcTo(QRectF(5, 2, 6, 7), 180, -180)
        arc.lineTo(11, 8)
        p.drawPath(arc)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QBrush(colour))
        p.drawRoundedRect(QRectF(3.5, 7.5, 9, 7), 1.5, 1.5)
        p.end()
        _LOCK = QIcon(pix)
    return _LOCK


class FieldPopup(QFrame):
    """The list of fields; `picked(key)` when the user chooses an available one."""

    picked = Signal(str)

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("fieldPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.catalog = catalog
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search fields…")
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(12)
        self.tree.setUniformRowHeights(True)
        layout.addWidget(self.tree)
        self.no_match = QLabel(self)
        self.no_match.setObjectName("noMatch")
        self.no_match.setWordWrap(True)
        self.no_match.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.no_match.setContentsMargins(8, 16, 8, 16)
        self.no_match.hide()
        layout.addWidget(self.no_match)
        self._build()
        self.search.textChanged.connect(self.filter)
        self.search.returnPressed.connect(self.pick_first)
        self.search.installEventFilter(self)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._activated)
        self.resize(340, 420)

    def _build(self) -> None:
        bold = QFont(self.font())
        bold.setBold(True)
        for group, fields in self.catalog.groups():
            header = QTreeWidgetItem(self.tree, [group])
            header.setFlags(Qt.ItemFlag.ItemIsEnabled)
            header.setFont(0, bold)
            header.setForeground(0, QBrush(QColor("#5f6368")))
            for spec in fields:
                # Same-named fields show what tells them apart ("Reply rate · Communication — Chat & Call").
                item = QTreeWidgetItem(header, [self.catalog.display_label(spec)])
                item.setData(0, KEY_ROLE, spec.key)
                if spec.available:
                    item.setToolTip(0, spec.description or f"{spec.label} · {spec.type.replace('_', ' ')}")
                else:
                    item.setIcon(0, lock_icon())
                    item.setFlags(Qt.ItemFlag.NoItemFlags)
                    item.setToolTip(0, spec.unavailable_reason())
                    item.setForeground(0, QBrush(QColor("#9aa0a6")))
            header.setExpanded(True)

    def field_items(self) -> list[QTreeWidgetItem]:
        items = []
        it = QTreeWidgetItemIterator(self.tree)
        while it.value():
            item = it.value()
            if item.data(0, KEY_ROLE):
                items.append(item)
            it += 1
        return items

    def visible_keys(self) -> list[str]:
        return [i.data(0, KEY_ROLE) for i in self.field_items() if not i.isHidden()]

    def filter(self, text: str) -> None:
        hits = {spec.key for spec in self.catalog.search(text)}
        for i in range(self.tree.topLevelItemCount()):
            header = self.tree.topLevelItem(i)
            shown = 0
            for j in range(header.childCount()):
                child = header.child(j)
                visible = child.data(0, KEY_ROLE) in hits
                child.setHidden(not visible)
                shown += visible
            header.setHidden(shown == 0)
        self.no_match.setText(f"No field matches “{text.strip()}”. Try another word, or clear the search to "
                              "see every field.")
        self.no_match.setVisible(not hits)
        self.tree.setVisible(bool(hits))
        first = self._first_available()
        if first is not None:
            self.tree.setCurrentItem(first)

    def _first_available(self) -> QTreeWidgetItem | None:
        for item in self.field_items():
            if not item.isHidden() and item.flags() & Qt.ItemFlag.ItemIsEnabled:
                return item
        return None

    def pick_first(self) -> None:
        item = self.tree.currentItem()
        if item is None or not item.data(0, KEY_ROLE) or item.isHidden():
            item = self._first_available()
        if item is not None:
            self._activated(item)

    def _activated(self, item: QTreeWidgetItem) -> None:
        key = item.data(0, KEY_ROLE)
        if key and item.flags() & Qt.ItemFlag.ItemIsEnabled:
            self.hide()
            self.picked.emit(key)

    def eventFilter(self, obj: object, event: object) -> bool:  # noqa: N802 - Qt API
        # Up/Down in the search box walk the list, so the mouse is never needed.
        if (obj is self.search and isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up)):
            self.tree.setFocus()
            self.tree.keyPressEvent(event)
            return True
        return False

    def open_at(self, anchor: QWidget, text: str = "", current: str | None = None) -> None:
        self.search.setText(text)
        self.filter(text)
        if current and not text:
            for item in self.field_items():
                if item.data(0, KEY_ROLE) == current:
                    self.tree.setCurrentItem(item)
                    self.tree.scrollToItem(item)
        self.move(anchor.mapToGlobal(QPoint(0, anchor.height())))
        self.show()
        self.search.setFocus()


class FieldButton(QPushButton):
    """Shows the chosen field; click, Enter, or just start typing to pick another."""

    picked = Signal(str)

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.setObjectName("fieldButton")
        # As wide as the field's name: a name is never cut ("Deal stag"); the row wraps instead.
        self._key: str | None = None
        self._popup: FieldPopup | None = None
        self.clicked.connect(lambda: self.open_popup())
        self.set_field(None)

    @property
    def popup(self) -> FieldPopup:
        if self._popup is None:
            self._popup = FieldPopup(self.catalog, self)
            self._popup.picked.connect(self._on_pick)
        return self._popup

    def _on_pick(self, key: str) -> None:
        self.setFocus()
        self.picked.emit(key)

    def open_popup(self, text: str = "") -> None:
        self.popup.setMinimumWidth(max(self.width(), 300))
        self.popup.open_at(self, text, self._key)

    def set_field(self, key: str | None) -> None:
        self._key = key
        spec: FieldSpec | None = self.catalog.get(key)
        if spec is None:
            self.setText("Choose a field ▾" if key is None else f"{key} ▾")
            self.setToolTip("Choose a field (or start typing its name)")
        else:
            # "&&": a button reads a single "&" as a shortcut marker ("Chat & Call" would show "Chat _Call").
            self.setText(f"{self.catalog.display_label(spec).replace('&', '&&')} ▾")
            self.setToolTip(f"{spec.group} · {spec.label}" + (f"\n{spec.description}" if spec.description else ""))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        text = event.text()
        if text and text.isprintable() and not text.isspace() and not (
                event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)):
            if self._popup is not None and self._popup.isVisible():
                self._popup.search.insert(text)  # keys that raced the popup's focus still count
            else:
                self.open_popup(text)
            return
        super().keyPressEvent(event)
