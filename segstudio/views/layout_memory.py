"""Window sizes and splitter positions remembered per screen (QSettings), so a 1024×700 laptop and a
2560×1440 monitor each get back what the user last arranged there.

Keys are `layout/<screen WxH>/<name>`; the settings object is the app's QSettings (tests pass one in a
temporary folder).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, QSize
from PySide6.QtWidgets import QSplitter, QWidget

# The smallest window every screen is laid out for (issue 14: it fits a 1024×700 screen with its frame).
MINIMUM = QSize(960, 600)
# A first start uses this much of the screen, never more than the screen.
FIRST_SHARE = 0.85


def screen_key(widget: QWidget) -> str:
    screen = widget.screen()
    size = screen.availableGeometry().size() if screen is not None else QSize(0, 0)
    return f"{size.width()}x{size.height()}"


class LayoutMemory:
    def __init__(self, settings: QSettings | None = None) -> None:
        self.settings = settings if settings is not None else QSettings()

    def _key(self, widget: QWidget, name: str) -> str:
        return f"layout/{screen_key(widget)}/{name}"

    def restore_window(self, window: QWidget, name: str = "mainWindow") -> None:
        """The size last used on this screen; else a share of the screen, at least MINIMUM, at most the screen."""
        window.setMinimumSize(MINIMUM)
        screen = window.screen()
        available = screen.availableGeometry().size() if screen is not None else QSize(1280, 800)
        saved = self.settings.value(self._key(window, name))
        if isinstance(saved, QByteArray) and window.restoreGeometry(saved):
            return
        size = QSize(int(available.width() * FIRST_SHARE), int(available.height() * FIRST_SHARE))
        window.resize(size.expandedTo(MINIMUM).boundedTo(available))

    def save_window(self, window: QWidget, name: str = "mainWindow") -> None:
        self.settings.setValue(self._key(window, name), window.saveGeometry())

    def track_splitter(self, splitter: QSplitter, name: str) -> None:
        """Restore the splitter's sizes for this screen now, and remember them whenever the user drags it."""
        saved = self.settings.value(self._key(splitter, f"splitter/{name}"))
        if isinstance(saved, QByteArray):
            splitter.restoreState(saved)
        splitter.splitterMoved.connect(
            lambda *_: self.settings.setValue(self._key(splitter, f"splitter/{name}"), splitter.saveState()))
