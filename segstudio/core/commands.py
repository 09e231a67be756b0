"""The app's commands: one entry per thing a user can do from the menu bar, a toolbar, a context menu or the
keyboard, with its menu, its shortcut and where it applies.

This table is the one place shortcuts are decided. The Qt layer (`segstudio/views/actions.py`) builds every
QAction from it, and the keyboard-shortcut overview is generated from it, so what the overview lists is
what the keys do. `standard` names a `QKeySequence.StandardKey`, resolved per platform by Qt (Ctrl+Z here,
⌘Z on a Mac); `keys` are portable key strings added to it.

Plain Python: no Qt import, so the table and its checks are tested without a display.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

MENUS = ("File", "Edit", "View", "Segment", "Help")

# Where a command applies; a screen's actions plus the global ones must never share a key.
EVERYWHERE = "Everywhere"
SEGMENTS = "Segments list"
CUSTOMERS = "Customers"
DETAIL = "Segment page"
BUILDER = "Segment builder"
COMPARE = "Compare"
SCREENS = (SEGMENTS, CUSTOMERS, DETAIL, BUILDER, COMPARE)


@dataclass(frozen=True)
class Command:
    id: str
    text: str
    menu: str
    standard: str | None = None
    keys: tuple[str, ...] = ()
    where: tuple[str, ...] = (EVERYWHERE,)
    separator_before: bool = False
    tip: str = ""

    @property
    def is_global(self) -> bool:
        return self.where == (EVERYWHERE,)


COMMANDS: tuple[Command, ...] = (
    # File
    Command("file.new_segment", "&New segment", "File", "New", tip="Create a segment"),
    Command("file.save", "&Save segment", "File", "Save", where=(BUILDER,)),
    Command("file.import", "&Import definition…", "File", "Open", where=(BUILDER,), separator_before=True,
            tip="Replace the conditions (and name) with a segment definition from a JSON file"),
    Command("file.export", "&Export…", "File", keys=("Ctrl+E",), where=(DETAIL, BUILDER),
            tip="Segment page: export the members; builder: export the definition as JSON"),
    Command("file.settings", "Se&ttings…", "File", "Preferences", keys=("Ctrl+,",), separator_before=True),
    Command("file.sign_out", "Sign &out", "File"),
    Command("file.quit", "&Quit", "File", "Quit", keys=("Ctrl+Q",), separator_before=True),
    # Edit
    Command("edit.undo", "&Undo", "Edit", "Undo", where=(BUILDER,)),
    Command("edit.redo", "&Redo", "Edit", "Redo", keys=("Ctrl+Shift+Z", "Ctrl+Y"), where=(BUILDER,)),
    Command("edit.copy", "&Copy condition", "Edit", "Copy", where=(BUILDER,), separator_before=True,
            tip="Copy the current condition or group to the clipboard as JSON"),
    Command("edit.paste", "&Paste condition", "Edit", "Paste", where=(BUILDER,),
            tip="Paste a condition or group after the current row (into it, for a group)"),
    Command("edit.duplicate", "&Duplicate", "Edit", keys=("Ctrl+D",), where=(SEGMENTS, DETAIL, BUILDER)),
    # Not StandardKey.Delete: on X11 it is also Ctrl+D, which is Duplicate here.
    Command("edit.delete", "De&lete", "Edit", keys=("Del",), where=(SEGMENTS, DETAIL, BUILDER)),
    Command("edit.move_up", "Move &up", "Edit", keys=("Alt+Up",), where=(BUILDER,), separator_before=True),
    Command("edit.move_down", "Move do&wn", "Edit", keys=("Alt+Down",), where=(BUILDER,)),
    Command("edit.find", "&Find…", "Edit", "Find", where=(SEGMENTS, CUSTOMERS), separator_before=True,
            tip="Put the cursor in the page's search box"),
    Command("edit.copy_id", "Copy customer &ID", "Edit", where=(CUSTOMERS, DETAIL, BUILDER),
            tip="Copy the selected customer's ID (customers, members, preview sample)"),
    # View
    Command("view.refresh", "&Refresh", "View", "Refresh", keys=("F5",),
            where=(SEGMENTS, CUSTOMERS, DETAIL, BUILDER, COMPARE)),
    Command("view.back", "&Back", "View", "Back", keys=("Alt+Left",), where=(DETAIL, BUILDER, COMPARE),
            tip="Segment page and Compare: also Esc"),
    Command("view.go_segments", "Go to &Segments", "View", keys=("Ctrl+1",), separator_before=True),
    Command("view.go_customers", "Go to &Customers", "View", keys=("Ctrl+2",)),
    Command("view.go_compare", "Go to Co&mpare", "View", keys=("Ctrl+3",)),
    Command("view.go_analysis", "Go to &Analysis", "View", keys=("Ctrl+4",)),
    Command("view.go_admin", "Go to A&dministration", "View", keys=("Ctrl+5",)),
    # Segment
    Command("segment.view", "&View details", "Segment", where=(SEGMENTS,)),
    Command("segment.edit", "&Edit segment", "Segment", where=(SEGMENTS, DETAIL)),
    Command("segment.send_campaign", "Send &campaign…", "Segment", where=(SEGMENTS, DETAIL)),
    Command("segment.archive", "&Archive", "Segment", where=(SEGMENTS, DETAIL), separator_before=True),
    Command("segment.restore", "&Restore", "Segment", where=(SEGMENTS, DETAIL)),
    # Help
    Command("help.shortcuts", "&Keyboard shortcuts", "Help", "HelpContents", keys=("Ctrl+/",)),
)

BY_ID = {c.id: c for c in COMMANDS}
# Esc goes back only where it cancels nothing else (no edit in progress on those pages).
ESCAPE_BACK = (DETAIL, COMPARE)


def command(command_id: str) -> Command:
    return BY_ID[command_id]


@dataclass(frozen=True)
class OverviewRow:
    menu: str
    text: str
    keys: str
    where: str


def plain_text(text: str) -> str:
    """Menu text without its mnemonic ampersands and trailing ellipsis."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").removesuffix("…")


def overview_rows(commands: Iterable[Command], key_text: dict[str, list[str]]) -> list[OverviewRow]:
    """The shortcut overview: every command that has keys, in menu order, with where it applies.
    `key_text` maps a command id to its keys as the platform spells them (from the actions)."""
    order = {m: i for i, m in enumerate(MENUS)}
    rows = [OverviewRow(c.menu, plain_text(c.text), ", ".join(key_text.get(c.id, [])),
                        ", ".join(c.where)) for c in commands if key_text.get(c.id)]
    return sorted(rows, key=lambda r: order.get(r.menu, len(MENUS)))


def conflicts(bindings: Iterable[tuple[str, str, Iterable[str]]]) -> dict[tuple[str, str], list[str]]:
    """Keys bound twice on one screen: {(screen, key): [command ids]}. `bindings` are (command id, screen or
    EVERYWHERE, keys); a global binding counts on every screen."""
    by_screen: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    global_bindings: list[tuple[str, list[str]]] = []
    for command_id, screen, keys in bindings:
        keys = [k for k in keys if k]
        if screen == EVERYWHERE:
            global_bindings.append((command_id, keys))
        else:
            for key in keys:
                by_screen[screen][key].add(command_id)
    for screen in (*SCREENS, EVERYWHERE):
        for command_id, keys in global_bindings:
            for key in keys:
                by_screen[screen][key].add(command_id)
    return {(screen, key): sorted(ids) for screen, keys in by_screen.items() for key, ids in keys.items()
            if len(ids) > 1}
