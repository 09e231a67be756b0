"""Tab on every page of the main window: it reaches every visible control of the page, stops only on
visible ones, and comes back around (no dead end, no trap)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from segstudio.views.main_window import CUSTOMERS, SEGMENTS
from tests.desktop.detail.conftest import WHATSAPP, as_segment

pytestmark = pytest.mark.qt


def tab_stops(page: QWidget) -> list[QWidget]:
    """What Tab should reach on `page`: visible, enabled controls that take Tab focus (compound widgets
    count once, through the widget they pass focus to)."""
    out = []
    for w in page.findChildren(QWidget):
        target = w.focusProxy() or w
        if w.focusProxy() is not None or not w.isVisible() or not w.isEnabled():
            continue
        if target.focusPolicy() & Qt.FocusPolicy.TabFocus and not w.isWindow():
            out.append(w)
    return out


def walk(qtbot, window, start: QWidget, limit: int = 150) -> list[QWidget]:
    start.setFocus(Qt.FocusReason.TabFocusReason)
    seen: list[QWidget] = []
    for _ in range(limit):
        focus = QApplication.focusWidget()
        if seen and focus is seen[0]:
            break
        seen.append(focus)
        qtbot.keyClick(focus, Qt.Key.Key_Tab)
    return seen


@pytest.mark.parametrize("page", [SEGMENTS, CUSTOMERS, "compare", "detail", "admin"])
def test_tab_reaches_every_control_and_comes_back(qtbot, make_window, admin_api, page):
    body = admin_api.create_segment(f"Tab {page}", WHATSAPP)
    window = make_window()
    if page == "detail":
        widget = window.segment_pages.open(as_segment(body))
        qtbot.waitUntil(lambda: widget.overview.table.model().rowCount() > 0, timeout=10_000)
    else:
        window.show_page(next(iter(window.admin.pages)) if page == "admin" else page)
        widget = window.stack.currentWidget()
    qtbot.wait(300)
    seen = walk(qtbot, window, window.navigation)
    assert QApplication.focusWidget() is window.navigation, "Tab came back around to the sidebar"
    assert all(w.isVisible() for w in seen), [w for w in seen if not w.isVisible()]
    missed = [f"{type(w).__name__}:{w.objectName() or getattr(w, 'text', lambda: '')()}"
              for w in tab_stops(widget) if w not in seen and not any(s.isAncestorOf(w) for s in seen)]
    assert missed == []
