"""The builder's commands: copy, paste, duplicate and delete a condition or group, import and export the
segment definition as a JSON file, save, refresh the preview and go back a step, as QActions shared by the
menu bar, the keyboard and the rows' context menu.

A collaborator of `BuilderView` (it reads the view's document, tree view, info step and notice banner).
Every edit goes through `BuilderDocument.apply`, so each is one undo step; what the clipboard or a file
holds is validated first (`core/rule_tree/clipboard.py`, `core/definition_file.py`) and a refusal is shown
in the builder's banner with the tree untouched.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QByteArray, QMimeData, QObject, QPoint, Qt
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QWidget

from segstudio.core.definition_file import FILE_FILTER, DefinitionError, dump_definition, load_definition
from segstudio.core.rule_tree import Group, TreeEditError
from segstudio.core.rule_tree.clipboard import (
    MIME_TYPE,
    ClipboardError,
    duplicate,
    insert_near,
    node_from_clipboard,
    node_to_clipboard,
)
from segstudio.views.actions import make_action
from segstudio.views.builder import tab_order
from segstudio.views.screen_actions import copy_text, install_row_menu

if TYPE_CHECKING:
    from segstudio.views.builder.view import BuilderView
    from segstudio.widgets.builder.tree_view import RuleTreeView

# The rules page's own actions (undo, redo, moves) keep their keys; they are listed under these commands.
ADOPTED = (("edit.undo", "undo_action"), ("edit.redo", "redo_action"), ("edit.move_up", "up_action"),
           ("edit.move_down", "down_action"))


class BuilderCommands(QObject):
    def __init__(self, view: BuilderView) -> None:
        super().__init__(view)  # a child of the view, so Qt drops the connections below with it
        self.view = view
        self.actions: dict[str, QAction] = {}
        self.file_dialog: QFileDialog | None = None
        self.row_menu: QMenu | None = None
        for command_id, name in ADOPTED:
            action = getattr(view.rules_page, name, None)
            if isinstance(action, QAction):
                action.setProperty("command", command_id)
                self.actions[command_id] = action
        self.save = self._add("file.save", view.save)
        self.import_action = self._add("file.import", self.ask_import)
        self.export = self._add("file.export", self.ask_export, "&Export definition…")
        self.copy = self._add("edit.copy", self.copy_current)
        self.paste = self._add("edit.paste", self.paste_here)
        self.duplicate = self._add("edit.duplicate", self.duplicate_current)
        self.delete = self._add("edit.delete", self.delete_current)
        self.refresh_action = self._add("view.refresh", lambda: view.live_preview.request(now=True),
                                        "&Refresh preview")
        self.back = self._add("view.back", self.go_back, "&Back to segment info")
        self.copy_id = self._add("edit.copy_id", self.copy_sample_id)
        sample = view.preview_panel.table
        install_row_menu(sample, lambda: [self.copy_id, None, self.refresh_action], self.refresh)
        sample.itemSelectionChanged.connect(self.refresh)
        QGuiApplication.clipboard().dataChanged.connect(self.refresh)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        view.steps.currentChanged.connect(lambda _: self.refresh())
        self.refresh()

    def _add(self, command_id: str, slot: Any, text: str | None = None) -> QAction:
        action = make_action(command_id, self.view, slot, text=text)
        self.actions[command_id] = action
        return action

    def attach(self, tree_view: RuleTreeView) -> None:
        """Called once the tree is on screen: rows get the context menu, edits refresh the actions."""
        tree_view.rowsRebuilt.connect(lambda: self._install_row_menus(tree_view))
        self._install_row_menus(tree_view)
        tab_order.apply(self.view)
        self.tab_walker = tab_order.install(self.view)
        assert self.view.document is not None
        self.view.document.subscribe(lambda _old, _new: self.refresh())
        self.refresh()

    # --- state -----------------------------------------------------------------------------------------------

    def _alive(self) -> bool:
        return shiboken6.isValid(self.view)

    def current_id(self) -> str | None:
        tree_view = self.view.tree_view
        if tree_view is None or self.view.document is None:
            return None
        node_id = tree_view.current_node_id()
        return node_id if node_id is not None and node_id in self.view.document.tree else None

    def refresh(self) -> None:
        if not self._alive():
            return
        doc = self.view.document
        on_rules = self.view.steps.currentWidget() is self.view.rules_page
        node_id = self.current_id()
        node = doc.tree.find(node_id) if doc is not None and node_id is not None else None
        is_root = node is not None and doc is not None and node.id == doc.tree.root.id
        kind = "group" if isinstance(node, Group) else "condition"
        self.copy.setEnabled(node is not None and on_rules)
        self.copy.setText(f"&Copy {kind}")
        self.duplicate.setEnabled(node is not None and not is_root and on_rules)
        self.duplicate.setText(f"&Duplicate {kind}")
        self.delete.setEnabled(node is not None and not is_root and on_rules)
        self.delete.setText(f"De&lete {kind}")
        mime = QGuiApplication.clipboard().mimeData()
        has_text = mime is not None and (mime.hasFormat(MIME_TYPE) or bool(mime.text().strip()))
        self.paste.setEnabled(doc is not None and on_rules and has_text)
        self.save.setEnabled(doc is not None and not self.view.save_flow.saving)
        self.import_action.setEnabled(doc is not None)
        self.export.setEnabled(doc is not None)
        self.refresh_action.setEnabled(doc is not None and on_rules)
        self.back.setEnabled(on_rules)
        self.copy_id.setEnabled(self.sample_id() is not None)
        # The rules page enables its Undo/Redo buttons; the menu bar shows the actions, so they follow too.
        history = doc.history if doc is not None else None
        for command_id, possible in (("edit.undo", history is not None and history.can_undo),
                                     ("edit.redo", history is not None and history.can_redo)):
            action = self.actions.get(command_id)
            if action is not None:
                action.setEnabled(possible and on_rules)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        # Copy, paste, duplicate and delete follow the row the keyboard is in.
        if new is not None and self._alive() and self.view.isAncestorOf(new):
            self.refresh()

    def _refuse(self, reason: str) -> None:
        if self.view.steps.currentWidget() is not self.view.rules_page:
            self.view.steps.setCurrentWidget(self.view.rules_page)
        self.view.rules_page.show_notice(reason, error=True)

    # --- clipboard -------------------------------------------------------------------------------------------

    def copy_current(self) -> str | None:
        doc, node_id = self.view.document, self.current_id()
        if doc is None or node_id is None:
            return None
        text = node_to_clipboard(doc.tree.find(node_id))
        mime = QMimeData()
        mime.setText(text)
        mime.setData(MIME_TYPE, QByteArray(text.encode()))
        QGuiApplication.clipboard().setMimeData(mime)
        node = doc.tree.find(node_id)
        self.view.rules_page.show_notice(f"Copied the {'group' if isinstance(node, Group) else 'condition'}. "
                              "Paste it with Ctrl+V here or in another segment.")
        return text

    def sample_id(self) -> str | None:
        """The customer ID of the selected preview sample row."""
        panel = self.view.preview_panel
        rows = panel.table.selectionModel().selectedRows() if panel.table.selectionModel() else []
        sample = panel.result.sample if panel.result is not None else []
        if not rows or not 0 <= rows[0].row() < len(sample):
            return None
        value = sample[rows[0].row()].get("id")
        return None if value is None else str(value)

    def copy_sample_id(self) -> None:
        customer_id = self.sample_id()
        if customer_id is not None:
            copy_text(customer_id)

    def paste_here(self) -> str | None:
        """Paste after the current row (into it, for a group); returns the pasted node's id."""
        doc = self.view.document
        if doc is None:
            return None
        mime = QGuiApplication.clipboard().mimeData()
        text = ""
        if mime is not None:
            text = bytes(mime.data(MIME_TYPE).data()).decode() if mime.hasFormat(MIME_TYPE) else mime.text()
        try:
            node = node_from_clipboard(text, doc.catalog)
            target = self.current_id() or doc.tree.root.id
            doc.apply(lambda t: insert_near(t, node, target), "Paste")
        except (ClipboardError, TreeEditError) as exc:
            self._refuse(f"Nothing was pasted. {exc.reason}")
            return None
        self._focus(node.id)
        return node.id

    def duplicate_current(self) -> str | None:
        doc, node_id = self.view.document, self.current_id()
        if doc is None or node_id is None:
            return None
        try:
            new_tree, copy_id = duplicate(doc.tree, node_id)
            doc.apply(lambda _t: new_tree, "Duplicate")
        except TreeEditError as exc:
            self._refuse(exc.reason)
            return None
        self._focus(copy_id)
        return copy_id

    def delete_current(self) -> None:
        doc, node_id = self.view.document, self.current_id()
        if doc is None or node_id is None:
            return
        try:
            doc.remove(node_id)
        except TreeEditError as exc:
            self._refuse(exc.reason)
            return
        self.view.rules_page.show_notice("Removed. Undo with Ctrl+Z.")

    def _focus(self, node_id: str) -> None:
        tree_view = self.view.tree_view
        if tree_view is None:
            return
        node = self.view.document.tree.find(node_id) if self.view.document is not None else None
        if isinstance(node, Group) and node.conditions:
            tree_view.focus_node(node.conditions[0].id)
        else:
            tree_view.focus_node(node_id)

    # --- definition files ------------------------------------------------------------------------------------

    def _dialog(self, title: str, mode: QFileDialog.AcceptMode, slot: Any, name: str = "") -> QFileDialog:
        if self.file_dialog is not None and shiboken6.isValid(self.file_dialog):
            self.file_dialog.close()
        dialog = QFileDialog(self.view, title, name, FILE_FILTER)
        dialog.setObjectName("definitionFileDialog")
        dialog.setAcceptMode(mode)
        dialog.setDefaultSuffix("json")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        if mode is QFileDialog.AcceptMode.AcceptOpen:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(slot)
        dialog.finished.connect(lambda _: self._dialog_closed(dialog))
        self.file_dialog = dialog
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog: QFileDialog) -> None:
        if self.file_dialog is dialog:
            self.file_dialog = None
        if shiboken6.isValid(dialog):
            dialog.deleteLater()

    def ask_export(self) -> QFileDialog | None:
        if self.view.document is None:
            return None
        name = self.view.info.values()[0].strip() or "segment"
        safe = "".join(c if c.isalnum() or c in "-_ " else "_" for c in name).strip() or "segment"
        return self._dialog("Export segment definition", QFileDialog.AcceptMode.AcceptSave, self.export_to,
                            f"{safe}.json")

    def export_to(self, path: str | Path) -> bool:
        doc = self.view.document
        if doc is None:
            return False
        name, description = self.view.info.values()
        try:
            Path(path).write_text(dump_definition(name.strip(), description.strip(), doc.tree.to_json()),
                                  encoding="utf-8")
        except OSError as exc:
            self._refuse(f"The definition could not be written to {path}: {exc.strerror or exc}.")
            return False
        self.view.rules_page.show_notice(f"Exported the definition to {Path(path).name}.")
        return True

    def ask_import(self) -> QFileDialog | None:
        if self.view.document is None:
            return None
        return self._dialog("Import segment definition", QFileDialog.AcceptMode.AcceptOpen, self.import_from)

    def import_from(self, path: str | Path) -> bool:
        """Replace the conditions with the file's (one undo step); the name and description are taken from
        the file only where the builder's are blank. Any problem is shown and nothing changes."""
        doc = self.view.document
        if doc is None:
            return False
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            self._refuse(f"The file {path} could not be read: {exc.strerror or exc}. Nothing was changed.")
            return False
        try:
            definition, tree = load_definition(data, doc.catalog, doc.limits)
        except DefinitionError as exc:
            self._refuse(exc.message)
            return False
        doc.apply(lambda t: replace(t, root=tree.root), "Import definition")
        name, description = self.view.info.values()
        kept = []
        if definition.name and not name.strip():
            name = definition.name
        elif definition.name and definition.name != name.strip():
            kept.append(f"kept the name “{name.strip()}”")
        if definition.description and not description.strip():
            description = definition.description
        self.view.info.set_values(name, description)
        self.view.go_to_rules()
        count = len(tree.conditions())
        note = f" ({'; '.join(kept)})" if kept else ""
        self.view.rules_page.show_notice(f"Imported {count} condition{'s' if count != 1 else ''} from {Path(path).name}"
                              f"{note}. Undo (Ctrl+Z) brings back the previous conditions.")
        return True

    # --- navigation and the row menu -------------------------------------------------------------------------

    def go_back(self) -> None:
        if self.view.steps.currentWidget() is self.view.rules_page:
            self.view.steps.setCurrentWidget(self.view.info)

    def row_actions(self) -> list[QAction | None]:
        return [self.copy, self.paste, self.duplicate, None, self.actions.get("edit.move_up"),
                self.actions.get("edit.move_down"), None, self.delete]

    def _install_row_menus(self, tree_view: RuleTreeView) -> None:
        for row in tree_view.rows.values():
            if row.contextMenuPolicy() != Qt.ContextMenuPolicy.CustomContextMenu:
                row.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
                row.customContextMenuRequested.connect(lambda pos, r=row: self.show_row_menu(r, pos))

    def show_row_menu(self, row: QWidget, pos: QPoint) -> QMenu:
        """The context menu of a builder row: the keyboard goes to the row first, so the actions apply to it."""
        tree_view = self.view.tree_view
        node_id = getattr(row, "node_id", None)
        if tree_view is not None and node_id is not None:
            tree_view.focus_node(node_id)
        self.refresh()
        if self.row_menu is not None and shiboken6.isValid(self.row_menu):
            self.row_menu.deleteLater()
        menu = QMenu(row)
        menu.setObjectName("rowMenu")
        for action in self.row_actions():
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        self.row_menu = menu
        menu.popup(row.mapToGlobal(pos))
        return menu
