"""API tokens for service clients: create with a name (the secret is shown once, in a dialog with Copy),
list them with their last use, and revoke one after confirmation. The page never keeps the secret: only the
dialog holds it, and closing the dialog deletes it."""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from segstudio.client.admin import AdminApi, AdminToken, AdminTokenCreated
from segstudio.core.admin_format import local_time
from segstudio.core.admin_forms import validate_token_name
from segstudio.services.network import ConnectionStatus
from segstudio.views.admin.common import ADMIN_STYLESHEET, AdminPage, Column, ErrorLabel, ListModel, confirm

ONCE_WARNING = ("Copy this token now and store it in the service that will use it. It will not be shown "
                "again: only a hash is kept. If it is lost, revoke it and create a new one.")


class TokenSecretDialog(QDialog):
    def __init__(self, created: AdminTokenCreated, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tokenSecretDialog")
        self.setWindowTitle(f"API token “{created.name}” created")
        self.setMinimumWidth(560)
        self.setStyleSheet(ADMIN_STYLESHEET)
        self.warning = QLabel(ONCE_WARNING)
        self.warning.setObjectName("tokenWarning")
        self.warning.setWordWrap(True)
        self.secret = QLineEdit(created.token)
        self.secret.setObjectName("tokenSecret")
        self.secret.setReadOnly(True)
        self.secret.selectAll()
        self.copy_button = QPushButton("Copy")
        self.copy_button.setObjectName("copyToken")
        self.copied = QLabel()
        self.copied.setObjectName("tokenCopied")
        row = QHBoxLayout()
        row.addWidget(self.secret, 1)
        row.addWidget(self.copy_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.warning)
        layout.addLayout(row)
        layout.addWidget(self.copied)
        layout.addWidget(buttons)
        self.copy_button.clicked.connect(self.copy)
        buttons.rejected.connect(self.accept)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.secret.text())
        self.copied.setText("Copied to the clipboard.")


class TokensPage(AdminPage):
    title_text = "API tokens"

    def __init__(self, api: AdminApi, connection: ConnectionStatus, tz: str, parent: QWidget | None = None) -> None:
        super().__init__(api, connection, tz, parent)
        self.secret_dialog: TokenSecretDialog | None = None
        self.model = ListModel([
            Column("Name", lambda t: t.name or "—"),
            Column("User", lambda t: t.username),
            Column("Created", lambda t: local_time(t.created_at, self.tz)),
            Column("Last used", lambda t: local_time(t.last_used_at, self.tz, empty="Never")),
            Column("Revoked", lambda t: local_time(t.revoked_at, self.tz, empty="")),
        ], muted=lambda t: t.revoked_at is not None, parent=self)
        intro = QLabel("Service clients (campaign services, chatbots, scripts) call the API with a token. "
                       "A token acts as the administrator who created it.")
        intro.setProperty("role", "hint")
        intro.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setObjectName("tokenName")
        self.name.setPlaceholderText("Token name, e.g. CRM sync")
        self.name_error = ErrorLabel("tokenName")
        self.create_button = QPushButton("Create token")
        self.create_button.setObjectName("createToken")
        self.create_button.setProperty("primary", True)
        self.revoke_button = QPushButton("Revoke")
        self.revoke_button.setObjectName("revokeToken")
        self.revoke_button.setProperty("danger", True)
        row = QHBoxLayout()
        row.addWidget(self.name, 1)
        row.addWidget(self.create_button)
        row.addStretch(1)
        row.addWidget(self.revoke_button)
        self.table = QTableView()
        self.table.setObjectName("tokensTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.layout_.addWidget(intro)
        self.layout_.addLayout(row)
        self.layout_.addWidget(self.name_error)
        self.layout_.addWidget(self.table, 1)

        self.create_button.clicked.connect(self.create)
        self.name.returnPressed.connect(self.create)
        self.name.textEdited.connect(lambda _: self.name_error.set_message(None))
        self.revoke_button.clicked.connect(self.revoke_selected)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._sync())
        self.model.modelReset.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        token = self.selected_token()
        self.revoke_button.setEnabled(token is not None and token.revoked_at is None)

    def selected_token(self) -> AdminToken | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row()) if rows else None

    def select_token(self, token_id: int) -> None:
        for row, token in enumerate(self.model.items):
            if token.id == token_id:
                self.table.selectRow(row)

    def reload(self) -> asyncio.Task[Any]:
        async def load() -> None:
            tokens = await self.api.tokens()
            selected = self.selected_token()
            self.model.set_items(tokens)
            self.loaded = True
            if selected is not None:
                self.select_token(selected.id)

        return self.run(load(), retry=self.reload)

    def create(self) -> asyncio.Task[Any] | None:
        name = self.name.text().strip()
        problem = validate_token_name(name)
        self.name_error.set_message(problem)
        if problem:
            return None
        self.create_button.setEnabled(False)

        async def create() -> None:
            try:
                created = await self.api.create_token(name)
            finally:
                self.create_button.setEnabled(True)
            self.name.clear()
            self._show_secret(created)
            await self.reload()
            self.select_token(created.id)
            self.show_notice(f"Token “{created.name}” created.")

        def rejected(exc: Any) -> bool:
            self.name_error.set_message(exc.fields.get("name") or exc.message)
            return True

        return self.run(create(), on_api_error=rejected)

    def _show_secret(self, created: AdminTokenCreated) -> None:
        dialog = self.secret_dialog = TokenSecretDialog(created, self)

        def closed(_: int) -> None:
            if self.secret_dialog is dialog:
                self.secret_dialog = None
            dialog.secret.clear()
            dialog.deleteLater()

        dialog.finished.connect(closed)
        dialog.open()

    def revoke_selected(self) -> Any:
        token = self.selected_token()
        if token is None or token.revoked_at is not None:
            return None
        return confirm(self, title="Revoke API token", name="revokeTokenConfirm", action="Revoke",
                       text=f"Revoke “{token.name or token.id}”? Services using it get 401 from now on. "
                            "This cannot be undone.",
                       on_confirm=lambda: self._revoke(token))

    def _revoke(self, token: AdminToken) -> asyncio.Task[Any]:
        async def revoke() -> None:
            await self.api.revoke_token(token.id)
            await self.reload()
            self.show_notice(f"Token “{token.name or token.id}” revoked.")

        return self.run(revoke())
