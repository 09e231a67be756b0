"""Tab order that follows what the user sees: the focusable widgets of a layout, in layout order.

Qt's default Tab order is the order widgets were created in, which drifts from the screen when a widget is
created later (a value editor replaced after an operator change lands after the row's Remove button).
"""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLayout, QWidget


def hidden(widget: QWidget) -> bool:
    """Hidden on purpose (a child just added to a shown layout is shown by the layout a moment later)."""
    return widget.isHidden() and widget.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide)


def takes_tab(widget: QWidget) -> bool:
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and widget.isEnabled() and not hidden(widget)


def in_layout_order(widget: QWidget) -> list[QWidget]:
    """The Tab stops inside `widget`, in the order its layouts place them (a stop is a focusable widget;
    containers are entered)."""
    out: list[QWidget] = []

    def visit_layout(layout: QLayout) -> None:
        # By index in the layout, without touching QLayoutItem wrappers (PySide may free what Qt owns).
        owner = layout.parentWidget()
        if owner is None:
            return
        entries: list[tuple[int, QWidget | QLayout]] = []
        for child in owner.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            index = layout.indexOf(child)
            if index >= 0:
                entries.append((index, child))
        for sub in layout.findChildren(QLayout, options=Qt.FindChildOption.FindDirectChildrenOnly):
            index = layout.indexOf(sub)
            if index >= 0:
                entries.append((index, sub))
        for _index, entry in sorted(entries, key=lambda e: e[0]):
            if isinstance(entry, QLayout):
                visit_layout(entry)
            else:
                visit_widget(entry)

    def visit_widget(w: QWidget) -> None:
        if hidden(w):
            return
        proxy = w.focusProxy()
        if takes_tab(w) and (proxy is None or not w.isAncestorOf(proxy)):
            out.append(w)
            return
        if proxy is not None and takes_tab(proxy):
            # A compound widget (an editor passing focus to its input) is one stop.
            out.append(w)
            return
        if w.layout() is not None:
            visit_layout(w.layout())
        else:
            for child in w.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
                visit_widget(child)

    layout = widget.layout()
    if layout is not None:
        visit_layout(layout)
    return out


def can_focus(widget: QWidget) -> bool:
    target = widget.focusProxy() or widget
    return (shiboken6.isValid(widget) and bool(target.focusPolicy() & Qt.FocusPolicy.TabFocus)
            and widget.isVisible() and widget.isEnabled())


class TabWalker(QObject):
    """Tab and Shift+Tab through `stops()` (recomputed at each key press, so rows and editors that come and
    go are always in place). Qt's own chain is the order widgets were created in and, with compound editors
    that hand focus to an inner input, cannot be fully rearranged with setTabOrder; this walks the list the
    layout gives instead. Past the last stop the keyboard leaves `area` for the next control outside it, as
    Qt's chain has it (or wraps when there is none)."""

    def __init__(self, area: QWidget, stops: Callable[[], list[QWidget]]) -> None:
        super().__init__(area)
        self.area = area
        self.stops = stops
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if event.modifiers() & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            return False
        if event.key() not in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            return False
        focus = QApplication.focusWidget()
        if focus is None or watched is not focus or not shiboken6.isValid(self.area) \
                or not self.area.isAncestorOf(focus):
            return False
        forward = event.key() == Qt.Key.Key_Tab and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        return self.move(focus, forward)

    def move(self, focus: QWidget, forward: bool) -> bool:
        stops = [w for w in self.stops() if can_focus(w)]
        here = next((i for i, w in enumerate(stops) if w is focus or w.isAncestorOf(focus)), None)
        if here is None or not stops:
            return False
        there = here + (1 if forward else -1)
        if 0 <= there < len(stops):
            stops[there].setFocus(Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason)
            return True
        outside = self._outside(stops[-1] if forward else stops[0], forward)
        target = outside or stops[0 if forward else -1]
        target.setFocus(Qt.FocusReason.TabFocusReason if forward else Qt.FocusReason.BacktabFocusReason)
        return True

    def _outside(self, start: QWidget, forward: bool) -> QWidget | None:
        w = start
        for _ in range(2000):
            w = w.nextInFocusChain() if forward else w.previousInFocusChain()
            if w is start or w is None:
                return None
            if not self.area.isAncestorOf(w) and w is not self.area and not w.isWindow() and can_focus(w):
                return w
        return None
