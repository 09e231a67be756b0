"""The command table: ids, menus and shortcuts decided in one place, without Qt."""

from __future__ import annotations

from segstudio.core.commands import BY_ID, COMMANDS, EVERYWHERE, MENUS, Command, conflicts, overview_rows, plain_text


def bindings(commands: tuple[Command, ...]) -> list[tuple[str, str, list[str]]]:
    # A standard key stands for itself here (Qt resolves it per platform; the desktop tests check the result).
    return [(c.id, where, [*(["std:" + c.standard] if c.standard else []), *c.keys])
            for c in commands for where in c.where]


def test_every_command_is_in_a_menu_with_a_unique_id():
    assert len(BY_ID) == len(COMMANDS)
    assert {c.menu for c in COMMANDS} == set(MENUS)


def test_no_two_commands_share_a_key_on_any_screen():
    assert conflicts(bindings(COMMANDS)) == {}


def test_a_shared_key_is_found_and_a_global_key_counts_on_every_screen():
    table = (Command("a", "A", "File", keys=("Ctrl+K",), where=("Segments list",)),
             Command("b", "B", "File", keys=("Ctrl+K",), where=("Customers",)),
             Command("c", "C", "File", keys=("Ctrl+J",)),
             Command("d", "D", "File", keys=("Ctrl+J",), where=("Compare",)))
    assert conflicts(bindings(table)) == {("Compare", "Ctrl+J"): ["c", "d"]}
    assert EVERYWHERE in {w for c in table for w in c.where}


def test_the_issues_shortcuts_are_in_the_table():
    keys = {c.id: (c.standard, c.keys) for c in COMMANDS}
    assert keys["file.new_segment"][0] == "New" and keys["file.save"][0] == "Save"
    assert keys["edit.find"][0] == "Find" and keys["view.refresh"] == ("Refresh", ("F5",))
    assert keys["file.export"][1] == ("Ctrl+E",) and keys["edit.duplicate"][1] == ("Ctrl+D",)
    assert keys["view.back"] == ("Back", ("Alt+Left",))
    assert [keys[f"view.go_{p}"][1] for p in ("segments", "customers", "compare", "analysis", "admin")] == [
        ("Ctrl+1",), ("Ctrl+2",), ("Ctrl+3",), ("Ctrl+4",), ("Ctrl+5",)]
    assert "Ctrl+/" in keys["help.shortcuts"][1]
    # StandardKey.Delete is Del and Ctrl+D on X11, which would collide with Duplicate.
    assert keys["edit.delete"] == (None, ("Del",))


def test_the_overview_lists_commands_with_keys_in_menu_order():
    keys = {c.id: ["K"] for c in COMMANDS if c.id != "file.sign_out"}
    rows = overview_rows(COMMANDS, keys)
    assert [r.text for r in rows].count("Sign out") == 0
    assert [r.menu for r in rows] == sorted((r.menu for r in rows), key=MENUS.index)
    assert rows[0].text == "New segment" and plain_text("Co&mpare && more…") == "Compare & more"
