"""Users: the organisation's users with their role and state; create, change role, deactivate/reactivate
(after confirmation) and reset a password. The server's 409s (the last active Org Admin) show beside the
action that caused them."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from segstudio.client import ApiError
from segstudio.client.admin import AdminApi, AdminUser, Role
from segstudio.core.admin_format import local_time
from segstudio.core.admin_forms import password_problem, split_field_errors, validate_new_user
from segstudio.services.network import ConnectionStatus
from segstudio.views.admin.common import AdminPage, Column, ErrorLabel, FormDialog, ListModel, confirm

PASSWORD_HINT = "At least 12 characters, and not a common password."


class NewUserDialog(FormDialog):
    def __init__(self, roles: list[Role], parent: QWidget | None = None) -> None:
        super().__init__("New user", "Create user", parent)
        self.setObjectName("newUserDialog")
        self.username = QLineEdit()
        self.display_name = QLineEdit()
        self.role = QComboBox()
        for role in roles:
            self.role.addItem(role.name, role.id)
        agent = next((i for i, r in enumerate(roles) if r.key == "agent"), 0)
        self.role.setCurrentIndex(agent)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_field("username", "Username", self.username, hint="Used to sign in; unique on this server.")
        self.add_field("display_name", "Display name", self.display_name)
        self.add_field("role_id", "Role", self.role)
        self.add_field("password", "Initial password", self.password, hint=PASSWORD_HINT)

    def values(self) -> dict[str, Any]:
        return {"username": self.username.text().strip(), "display_name": self.display_name.text().strip() or None,
                "role_id": self.role.currentData(), "password": self.password.text()}

    def local_errors(self, values: dict[str, Any]) -> dict[str, str]:
        return validate_new_user(values["username"], values["password"], values["role_id"])


class ResetPasswordDialog(FormDialog):
    def __init__(self, user: AdminUser, parent: QWidget | None = None) -> None:
        super().__init__(f"Reset password — {user.username}", "Reset password", parent)
        self.setObjectName("resetPasswordDialog")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_field("password", "New password", self.password,
                       hint=PASSWORD_HINT + " The user is signed out everywhere.")

    def values(self) -> dict[str, Any]:
        return {"password": self.password.text()}

    def local_errors(self, values: dict[str, Any]) -> dict[str, str]:
        problem = password_problem(values["password"])
        return {"password": problem} if problem else {}


class UsersPage(AdminPage):
    title_text = "Users"

    def __init__(self, api: AdminApi, connection: ConnectionStatus, tz: str, parent: QWidget | None = None) -> None:
        super().__init__(api, connection, tz, parent)
        self.roles: list[Role] = []
        self.dialog: FormDialog | None = None
        self.model = ListModel([
            Column("Username", lambda u: u.username),
            Column("Display name", lambda u: u.display_name),
            Column("Role", lambda u: u.role_name or u.role),
            Column("Active", lambda u: "Active" if u.active else "Deactivated"),
            Column("Created", lambda u: local_time(u.created_at, self.tz)),
        ], muted=lambda u: not u.active, parent=self)
        self.table = QTableView()
        self.table.setObjectName("usersTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

        self.new_button = QPushButton("New user…")
        self.new_button.setObjectName("newUser")
        self.new_button.setProperty("primary", True)
        bar = QHBoxLayout()
        bar.addWidget(self.new_button)
        bar.addStretch(1)

        self.selected_name = QLabel("Select a user.")
        self.selected_name.setObjectName("selectedUser")
        self.selected_name.setProperty("role", "readOnly")
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("userRole")
        self.change_role_button = QPushButton("Change role")
        self.change_role_button.setObjectName("changeRole")
        self.active_button = QPushButton("Deactivate")
        self.active_button.setObjectName("toggleActive")
        self.reset_button = QPushButton("Reset password…")
        self.reset_button.setObjectName("resetPassword")
        self.action_error = ErrorLabel("userAction")
        role_row = QHBoxLayout()
        role_row.addWidget(self.role_combo, 1)
        role_row.addWidget(self.change_role_button)
        panel = QGroupBox("Selected user")
        form = QFormLayout(panel)
        form.addRow(self.selected_name)
        form.addRow("Role", role_row)
        form.addRow(self.active_button)
        form.addRow(self.reset_button)
        form.addRow(self.action_error)
        panel.setFixedWidth(320)
        side = QVBoxLayout()
        side.addWidget(panel)
        side.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.table, 1)
        body.addLayout(side)
        self.layout_.addLayout(bar)
        self.layout_.addLayout(body, 1)

        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.model.modelReset.connect(self._selection_changed)
        self.new_button.clicked.connect(self.new_user)
        self.change_role_button.clicked.connect(self.change_role)
        self.active_button.clicked.connect(self.toggle_active)
        self.reset_button.clicked.connect(self.reset_password)
        self._selection_changed()

    # --- selection ------------------------------------------------------------------------------------

    def selected_user(self) -> AdminUser | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row()) if rows else None

    def select_user(self, username: str) -> bool:
        for row, user in enumerate(self.model.items):
            if user.username == username:
                self.table.selectRow(row)
                return True
        return False

    def _selection_changed(self) -> None:
        user = self.selected_user()
        self.action_error.set_message(None)
        for widget in (self.role_combo, self.change_role_button, self.active_button, self.reset_button):
            widget.setEnabled(user is not None)
        if user is None:
            self.selected_name.setText("Select a user.")
            return
        self.selected_name.setText(f"{user.display_name or user.username} ({user.username})")
        self.role_combo.setCurrentIndex(max(0, self.role_combo.findData(user.role_id)))
        self.active_button.setText("Deactivate" if user.active else "Reactivate")
        self.active_button.setProperty("danger", user.active)
        self.active_button.style().unpolish(self.active_button)
        self.active_button.style().polish(self.active_button)

    # --- loading --------------------------------------------------------------------------------------

    def reload(self) -> asyncio.Task[Any]:
        async def load() -> None:
            users, roles = await asyncio.gather(self.api.users(), self.api.roles())
            selected = self.selected_user()
            self.roles = roles
            self.role_combo.blockSignals(True)
            self.role_combo.clear()
            for role in roles:
                self.role_combo.addItem(role.name, role.id)
            self.role_combo.blockSignals(False)
            self.model.set_items(users)
            self.loaded = True
            if selected is not None:
                self.select_user(selected.username)

        return self.run(load(), retry=self.reload)

    def _replace(self, user: AdminUser) -> None:
        self.model.set_items([user if u.id == user.id else u for u in self.model.items])
        self.select_user(user.username)

    def _in_place(self, exc: ApiError) -> bool:
        """409s and 400s about the selected user belong beside its buttons, not at the top of the page."""
        self.action_error.set_message(exc.message)
        return True

    # --- actions --------------------------------------------------------------------------------------

    def change_role(self) -> asyncio.Task[Any] | None:
        user = self.selected_user()
        role_id = self.role_combo.currentData()
        if user is None or role_id is None or role_id == user.role_id:
            return None

        async def change() -> None:
            updated = await self.api.update_user(user.id, role_id=role_id)
            self._replace(updated)
            self.show_notice(f"{updated.username} is now {updated.role_name}.")
            self.mutated.emit()

        return self.run(change(), on_api_error=self._in_place)

    def toggle_active(self) -> Any:
        user = self.selected_user()
        if user is None:
            return None
        if user.active:
            text = (f"Deactivate {user.username}? They are signed out at once, their API tokens stop working, "
                    "and they cannot sign in until reactivated.")
            return confirm(self, title="Deactivate user", text=text, action="Deactivate", name="deactivateConfirm",
                           on_confirm=lambda: self._set_active(user, False))
        return confirm(self, title="Reactivate user", text=f"Reactivate {user.username}? They can sign in again.",
                       action="Reactivate", name="reactivateConfirm", on_confirm=lambda: self._set_active(user, True))

    def _set_active(self, user: AdminUser, active: bool) -> asyncio.Task[Any]:
        async def apply() -> None:
            updated = await self.api.update_user(user.id, active=active)
            self._replace(updated)
            self.show_notice(f"{updated.username} {'reactivated' if active else 'deactivated'}.")
            self.mutated.emit()

        return self.run(apply(), on_api_error=self._in_place)

    def new_user(self) -> NewUserDialog:
        dialog = NewUserDialog(self.roles, self)

        async def create(values: dict[str, Any]) -> None:
            try:
                user = await self.api.create_user(**values)
            except ApiError as exc:
                by_input, other = split_field_errors(exc.fields, dialog.errors)
                dialog.show_errors(by_input, other or ([] if by_input else [exc.message]))
                return
            dialog.accept()
            await self.reload()
            self.select_user(user.username)
            self.show_notice(f"User {user.username} created as {user.role_name}.")

        self._open(dialog, create)
        return dialog

    def reset_password(self) -> ResetPasswordDialog | None:
        user = self.selected_user()
        if user is None:
            return None
        dialog = ResetPasswordDialog(user, self)

        async def reset(values: dict[str, Any]) -> None:
            try:
                await self.api.reset_password(user.id, values["password"])
            except ApiError as exc:
                by_input, other = split_field_errors(exc.fields, dialog.errors)
                dialog.show_errors(by_input, other or ([] if by_input else [exc.message]))
                return
            dialog.accept()
            self.show_notice(f"Password of {user.username} reset; they are signed out everywhere.")

        self._open(dialog, reset)
        return dialog

    def _open(self, dialog: FormDialog, submit: Any) -> None:
        self.dialog = dialog

        def failed(exc: ApiError) -> bool:
            dialog.show_errors({}, [exc.message])
            return True

        dialog.submitted.connect(lambda values: self.run(submit(values), on_api_error=failed))

        def closed(_: int) -> None:
            if self.dialog is dialog:
                self.dialog = None
            dialog.deleteLater()

        dialog.finished.connect(closed)
        dialog.open()
