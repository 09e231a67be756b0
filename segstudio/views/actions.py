"""The window's actions: every QAction is built from the command table (`segstudio/core/commands.py`), the
menu bar (File, Edit, View, Segment, Help) shows them, and each screen contributes its own.

Global commands (new segment, go to a page, settings, quit, the shortcut overview) belong to the window.
Everything else belongs to the screen that can do it (the builder's copy and paste, the segment page's
export, the list's duplicate...) and is the very QAction its toolbar, Actions menu or context menu uses;
`segstudio/views/screen_actions.py` gathers them per screen. When the current screen changes, the menus
swap in that screen's actions; a command the screen cannot do shows disabled. A screen's actions live on its
page widget, so their shortcuts fire only while that page is on screen.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMenu, QWidget

from segstudio.core import commands
from segstudio.core.commands import COMMANDS, MENUS, Command

if TYPE_CHECKING:
    from segstudio.views.main_window import MainWindow

COMMAND_PROPERTY = "command"
ANALYSIS = "analysis"
GO_TO = {"view.go_segments": "segments", "view.go_customers": "customers", "view.go_compare": "compare",
         "view.go_analysis": ANALYSIS}


def key_sequences(cmd: Command, *, escape: bool = False) -> list[QKeySequence]:
    """The command's keys on this platform: its standard key's bindings, then its portable keys."""
    seqs: list[QKeySequence] = []
    if cmd.standard:
        seqs.extend(QKeySequence.keyBindings(getattr(QKeySequence.StandardKey, cmd.standard)))
    seqs.extend(QKeySequence(k) for k in cmd.keys)
    if escape:
        seqs.append(QKeySequence(Qt.Key.Key_Escape))
    out: list[QKeySequence] = []
    for seq in seqs:
        if not seq.isEmpty() and _typable(seq) and all(seq != s for s in out):
            out.append(seq)
    return out


_F_KEYS = frozenset(Qt.Key(Qt.Key.Key_F1.value + i) for i in range(12))
_BARE_KEYS = frozenset({Qt.Key.Key_Delete, Qt.Key.Key_Escape, Qt.Key.Key_Insert, *_F_KEYS})
_EXOTIC = frozenset(Qt.Key(Qt.Key.Key_F13.value + i) for i in range(23))


def _typable(seq: QKeySequence) -> bool:
    """Leave out multimedia-keyboard keys (Undo, Open...), the F13-F35 of old Sun keyboards, and unmodified
    keys that mean something while typing (the Windows binding of Back is Backspace): only modified keys,
    F1-F12, Del, Ins and Esc are bound."""
    combo = seq[0]
    if combo.key() in _EXOTIC:
        return False
    return combo.keyboardModifiers() != Qt.KeyboardModifier.NoModifier or combo.key() in _BARE_KEYS


def key_text(seqs: list[QKeySequence]) -> list[str]:
    return [s.toString(QKeySequence.SequenceFormat.NativeText) for s in seqs]


def adopt(action: QAction, command_id: str, *, escape: bool = False,
          context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut) -> QAction:
    """Give an action (new or a screen's own) the command's shortcut and tag it with the command id."""
    cmd = commands.command(command_id)
    action.setShortcuts(key_sequences(cmd, escape=escape))
    action.setShortcutContext(context)
    action.setProperty(COMMAND_PROPERTY, command_id)
    if cmd.tip and not action.toolTip():
        action.setToolTip(cmd.tip)
    return action


def make_action(command_id: str, owner: QWidget, slot: Callable[[], Any] | None = None, *, text: str | None = None,
                escape: bool = False, context: Qt.ShortcutContext = Qt.ShortcutContext.WindowShortcut) -> QAction:
    """A new QAction for `command_id` on `owner` (added to it, so its shortcut is live while `owner` shows)."""
    cmd = commands.command(command_id)
    action = QAction(text or cmd.text, owner)
    adopt(action, command_id, escape=escape, context=context)
    if slot is not None:
        action.triggered.connect(lambda _checked=False: slot())
    owner.addAction(action)
    return action


def command_of(action: QAction) -> str | None:
    value = action.property(COMMAND_PROPERTY)
    return value if isinstance(value, str) else None


class WindowActions(QObject):
    """The menu bar of a MainWindow and its global actions; follows the current screen."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.global_actions: dict[str, QAction] = {}
        self.placeholders: dict[str, QAction] = {}
        self.screen_actions: dict[str, QAction] = {}
        self.screen: Any = None
        self.menus: dict[str, QMenu] = {}
        self.overview: QWidget | None = None
        slots: dict[str, Callable[[], Any]] = {
            "file.new_segment": window.new_segment,
            "file.settings": window.settingsRequested.emit,
            "file.sign_out": window._sign_out,
            "file.quit": window.close,
            "view.go_admin": self.go_admin,
            "help.shortcuts": self.show_overview,
        }
        for command_id, page in GO_TO.items():
            slots[command_id] = lambda page=page: self.go_to(page)
        for cmd in COMMANDS:
            if cmd.is_global:
                self.global_actions[cmd.id] = make_action(cmd.id, window, slots[cmd.id])
            else:
                # Shown while the current screen cannot do it: disabled, with its keys written in the text (a
                # real shortcut on it would only swallow the key).
                keys = key_text(key_sequences(cmd))[:1]  # the menu shows one key, as Qt does for actions
                placeholder = QAction(f"{cmd.text}\t{keys[0]}" if keys else cmd.text, self)
                placeholder.setEnabled(False)
                placeholder.setProperty(COMMAND_PROPERTY, cmd.id)
                self.placeholders[cmd.id] = placeholder
        bar = window.menuBar()
        for name in MENUS:
            menu = bar.addMenu(f"&{name}")
            menu.setObjectName(f"menu{name}")
            menu.aboutToShow.connect(lambda name=name: self._about_to_show(name))
            self.menus[name] = menu
        window.stack.currentChanged.connect(lambda _: self.sync())
        window.access.changed.connect(self.refresh)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        self.sync()

    # --- following the screen -----------------------------------------------------------------------------

    def sync(self) -> None:
        """Put the current screen's actions in the menus (and take the previous screen's out)."""
        from segstudio.views.screen_actions import actions_for

        if not shiboken6.isValid(self.window):
            return
        self.screen = actions_for(self.window.stack.currentWidget(), self.window)
        self.screen_actions = dict(self.screen.actions) if self.screen is not None else {}
        for name in self.menus:
            self._fill(name)
        self.refresh()
        self._focus_into(self.window.stack.currentWidget())

    def _focus_into(self, page: QWidget | None) -> None:
        """The builder, opened from the keyboard (Ctrl+N) or the list, takes the keyboard in its name box when
        the focus is outside it (still in the list or the sidebar)."""
        focus = QApplication.focusWidget()
        if page is None or (focus is not None and page.isAncestorOf(focus)):
            return
        info = getattr(page, "info", None)
        name = getattr(info, "name", None)
        if isinstance(name, QWidget) and name.isVisibleTo(page):
            name.setFocus(Qt.FocusReason.OtherFocusReason)

    def _fill(self, name: str) -> None:
        menu = self.menus[name]
        menu.clear()
        for cmd in COMMANDS:
            if cmd.menu != name:
                continue
            if cmd.separator_before and not menu.isEmpty():
                menu.addSeparator()
            menu.addAction(self.action(cmd.id, shown=True))

    def _about_to_show(self, name: str) -> None:
        self.refresh()
        self._fill(name)

    def action(self, command_id: str, *, shown: bool = False) -> QAction:
        """What the menu shows for a command now: the screen's action, the global one, or the placeholder
        (`shown`: also instead of a screen action its page has hidden, such as Delete with nothing selected,
        so the menu keeps its shape and shows the entry disabled)."""
        found = self.screen_actions.get(command_id)
        if found is not None and shiboken6.isValid(found) and (found.isVisible() or not shown):
            return found
        return self.global_actions.get(command_id) or self.placeholders[command_id]

    def live_actions(self) -> list[QAction]:
        """Every action whose shortcut can fire now (global and the current screen's)."""
        screen = [a for a in self.screen_actions.values() if shiboken6.isValid(a)]
        return [*self.global_actions.values(), *screen]

    def refresh(self) -> None:
        """Enable what the user's permissions and the current screen's state allow."""
        w = self.window
        if not shiboken6.isValid(w):
            return
        self.global_actions["file.new_segment"].setEnabled(w.access.can_create and w.segments is not None)
        for command_id, page in GO_TO.items():
            self.global_actions[command_id].setEnabled(page in w.pages)
        self.global_actions["view.go_admin"].setEnabled(w.admin is not None)
        if self.screen is not None:
            self.screen.refresh()

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is None or not shiboken6.isValid(self.window) or not self.window.isAncestorOf(new):
            return
        if isinstance(new, QAbstractItemView):
            # Tab leaves a table (arrows move in it): Qt's default walks every cell, a trap on a long page.
            # Tables built after their page was set up (loaded on demand) are caught here.
            new.setTabKeyNavigation(False)
        # Copy, paste and duplicate follow the row the keyboard is in.
        if self.screen is not None:
            self.screen.refresh()

    # --- global commands -------------------------------------------------------------------------------------

    def go_to(self, page: str) -> None:
        if page in self.window.pages:
            self.window.show_page(page)

    def go_admin(self) -> None:
        admin = self.window.admin
        if admin is not None and admin.pages:
            self.window.show_page(next(iter(admin.pages)))

    def show_overview(self) -> QWidget:
        from segstudio.views.shortcut_overview import ShortcutOverview

        if self.overview is not None and shiboken6.isValid(self.overview):
            self.overview.raise_()
            self.overview.activateWindow()
            return self.overview
        dialog = ShortcutOverview(self.window)
        dialog.finished.connect(self._overview_closed)
        self.overview = dialog
        dialog.open()
        return dialog

    def _overview_closed(self) -> None:
        dialog, self.overview = self.overview, None
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.deleteLater()

    def cleanup(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            with contextlib.suppress(RuntimeError, TypeError):
                app.focusChanged.disconnect(self._focus_changed)
