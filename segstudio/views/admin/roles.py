"""Roles: a table of roles × permission keys with a level combo box in every cell, Save, new role from an
existing one, and delete (the server refuses a role still in use with a 409, shown in place).

The table (model and level combo boxes) is `role_table.py`; this is the page around it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from segstudio.client import ApiError
from segstudio.client.admin import AdminApi
from segstudio.core.admin_forms import split_field_errors, validate_role_name
from segstudio.core.admin_roles import PERMISSION_LABELS, LevelMatrix, RoleRow
from segstudio.services.network import ConnectionStatus
from segstudio.views.admin.common import AdminPage, FormDialog, confirm
from segstudio.views.admin.role_table import FIXED_COLUMNS, LevelDelegate, OpenLevelOnKey, RolesModel, role_row


class NewRoleDialog(FormDialog):
    def __init__(self, roles: list[RoleRow], copy_from: int | None, parent: QWidget | None = None) -> None:
        super().__init__("New role", "Create role", parent)
        self.setObjectName("newRoleDialog")
        self.taken = [r.name for r in roles]
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Campaign Manager")
        self.copy_from = QComboBox()
        for role in roles:
            self.copy_from.addItem(role.name, role.id)
        if copy_from is not None:
            self.copy_from.setCurrentIndex(max(0, self.copy_from.findData(copy_from)))
        self.add_field("name", "Name", self.name)
        self.add_field("copy_from", "Start from", self.copy_from,
                       hint="The new role starts with this role's levels; change them in the table.")

    def values(self) -> dict[str, Any]:
        return {"name": self.name.text().strip(), "copy_from": self.copy_from.currentData()}

    def local_errors(self, values: dict[str, Any]) -> dict[str, str]:
        problem = validate_role_name(values["name"], self.taken)
        return {"name": problem} if problem else {}


class RolesPage(AdminPage):
    title_text = "Roles"

    def __init__(self, api: AdminApi, connection: ConnectionStatus, tz: str, parent: QWidget | None = None) -> None:
        super().__init__(api, connection, tz, parent)
        self.matrix = LevelMatrix()
        self.model = RolesModel(self.matrix, self)
        self.dialog: NewRoleDialog | None = None

        self.new_button = QPushButton("New role from selected…")
        self.new_button.setObjectName("newRole")
        self.delete_button = QPushButton("Delete role")
        self.delete_button.setObjectName("deleteRole")
        self.delete_button.setProperty("danger", True)
        self.discard_button = QPushButton("Discard changes")
        self.discard_button.setObjectName("discardRoles")
        self.save_button = QPushButton("Save")
        self.save_button.setObjectName("saveRoles")
        self.save_button.setProperty("primary", True)
        bar = QHBoxLayout()
        bar.addWidget(self.new_button)
        bar.addWidget(self.delete_button)
        bar.addStretch(1)
        bar.addWidget(self.discard_button)
        bar.addWidget(self.save_button)

        self.table = QTableView()
        self.table.setObjectName("rolesTable")
        self.table.setModel(self.model)
        self.table.setItemDelegate(LevelDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # The table is one Tab stop: arrows move between cells, Enter, Space or F2 opens the cell's level box
        # (with every box a Tab stop too, Tab went table → box → table and never left the page).
        self.table.setTabKeyNavigation(False)
        self.level_keys = OpenLevelOnKey(self.table)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(38)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        for column in range(len(FIXED_COLUMNS), self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(column, 172)

        legend = QLabel("<b>All</b>: every segment or customer. <b>Owned only</b>: segments the user created, "
                        "customers they own or are assigned. <b>Disabled</b>: not at all. Changes reach a user "
                        "the next time their app regains focus.")
        legend.setProperty("role", "hint")
        legend.setWordWrap(True)
        self.layout_.addLayout(bar)
        self.layout_.addWidget(self.table, 1)
        self.layout_.addWidget(legend)

        self.model.modelReset.connect(self._open_editors)
        self.model.edited.connect(self._sync_buttons)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._sync_buttons())
        self.new_button.clicked.connect(self.new_role)
        self.delete_button.clicked.connect(self.delete_selected)
        self.discard_button.clicked.connect(self.discard)
        self.save_button.clicked.connect(self.save)
        self._sync_buttons()

    # --- state → widgets ------------------------------------------------------------------------------

    def _open_editors(self) -> None:
        for row in range(self.model.rowCount()):
            for column in range(len(FIXED_COLUMNS), self.model.columnCount()):
                self.table.openPersistentEditor(self.model.index(row, column))

    def combo(self, role_id: int, key: str) -> QComboBox:
        """The level editor of one cell (tests and the screenshot script pick levels through it)."""
        editor = self.table.indexWidget(self.model.index(self.model.row_of(role_id), self.model.column_of(key)))
        assert isinstance(editor, QComboBox)
        return editor

    def _sync_buttons(self) -> None:
        role = self.selected_role()
        self.save_button.setEnabled(self.matrix.dirty)
        self.discard_button.setEnabled(self.matrix.dirty)
        self.new_button.setEnabled(role is not None)
        self.delete_button.setEnabled(role is not None and not role.is_org_admin)
        self.delete_button.setToolTip("The Org Admin role cannot be deleted." if role and role.is_org_admin else "")

    def selected_role(self) -> RoleRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.role(rows[0].row()) if rows else None

    def select_role(self, role_id: int) -> None:
        row = self.model.row_of(role_id)
        if row >= 0:
            self.table.selectRow(row)

    def role_by_key(self, key: str) -> RoleRow | None:
        return next((r for r in self.matrix.roles if r.key == key), None)

    # --- loading and saving ---------------------------------------------------------------------------

    def reload(self) -> asyncio.Task[Any]:
        async def load() -> None:
            roles = await self.api.roles()
            selected = self.selected_role()
            self.matrix.load(role_row(r) for r in roles)
            self.model.reset()
            self.loaded = True
            if selected is not None:
                self.select_role(selected.id)
            elif roles:
                self.table.selectRow(0)
            self._sync_buttons()

        return self.run(load(), retry=self.reload)

    def discard(self) -> None:
        self.matrix.discard()
        self.model.refresh_cells()
        self.show_notice("")
        self._sync_buttons()

    def save(self) -> asyncio.Task[Any]:
        """PUT each changed role's changed keys; a 400 marks the cells it names and keeps the rest dirty."""
        changes = self.matrix.changes()
        self.save_button.setEnabled(False)

        async def save() -> None:
            saved: list[str] = []
            for role_id, levels in changes.items():
                try:
                    role = await self.api.update_role(role_id, permissions=levels)
                except ApiError as exc:
                    other = self.matrix.rejected(role_id, exc.fields) if exc.status == 400 else [exc.message]
                    named = self.matrix.role(role_id).name
                    cells = "; ".join(f"{PERMISSION_LABELS[key]}: {message}" for (rid, key), message
                                      in self.matrix.errors.items() if rid == role_id)
                    self.show_notice(f"{named} was not saved. " + " ".join(filter(None, [cells, *other])),
                                     error=True)
                    self.model.refresh_cells()
                    self._sync_buttons()
                    if saved:
                        self.mutated.emit()
                    return
                self.matrix.saved(role_row(role))
                saved.append(role.name)
            self.model.refresh_cells()
            self._sync_buttons()
            if saved:
                self.show_notice(f"Saved {', '.join(saved)}. Users with "
                                 f"{'this role' if len(saved) == 1 else 'these roles'} see the change the next "
                                 "time their app regains focus.")
                self.mutated.emit()

        return self.run(save(), retry=self.save)

    # --- new and delete -------------------------------------------------------------------------------

    def new_role(self) -> NewRoleDialog:
        source = self.selected_role()
        dialog = self.dialog = NewRoleDialog(self.matrix.roles, source.id if source else None, self)

        def submitted(values: dict[str, Any]) -> None:
            async def create() -> None:
                try:
                    role = await self.api.create_role(values["name"], values["copy_from"])
                except ApiError as exc:
                    if exc.status == 400:
                        by_input, other = split_field_errors(exc.fields, dialog.errors)
                        dialog.show_errors(by_input, other or ([] if by_input else [exc.message]))
                        return
                    raise
                dialog.accept()
                origin = dialog.copy_from.currentText()
                await self.reload()
                self.select_role(role.id)
                self.show_notice(f"Role “{role.name}” created from {origin}. Adjust its levels and save.")
                self.mutated.emit()

            def failed(exc: ApiError) -> bool:
                dialog.show_errors({}, [exc.message])
                return True

            self.run(create(), on_api_error=failed)

        dialog.submitted.connect(submitted)
        dialog.finished.connect(lambda _: self._dialog_closed(dialog))
        dialog.open()
        return dialog

    def _dialog_closed(self, dialog: NewRoleDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def delete_selected(self) -> Any:
        role = self.selected_role()
        if role is None or role.is_org_admin:
            return None
        return confirm(self, title="Delete role", name="deleteRoleConfirm", action="Delete",
                       text=f"Delete the role “{role.name}”? This cannot be undone.",
                       on_confirm=lambda: self._delete(role))

    def _delete(self, role: RoleRow) -> asyncio.Task[Any]:
        async def delete() -> None:
            await self.api.delete_role(role.id)
            await self.reload()
            self.show_notice(f"Role “{role.name}” deleted.")
            self.mutated.emit()

        return self.run(delete())
