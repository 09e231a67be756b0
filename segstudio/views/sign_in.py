"""The sign-in dialog: it shows and emits; the app's Session does the signing in."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

DEMO_HINT = ("Demo organisation on this computer — sign in as <b>admin</b> / <b>Admin-pass-1</b>, "
             "<b>lead</b> / <b>Lead-pass-1</b> or <b>agent</b> / <b>Agent-pass-1</b>.")


class SignInDialog(QDialog):
    submitted = Signal(str, str)
    settingsRequested = Signal()

    def __init__(self, server_label: str, *, embedded: bool, username: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign in — Segment Studio")
        self.setMinimumWidth(420)
        self.server = QLabel(f"Server: {server_label}")
        self.server.setObjectName("serverLabel")
        self.hint = QLabel(DEMO_HINT)
        self.hint.setObjectName("demoHint")
        self.hint.setWordWrap(True)
        self.hint.setVisible(embedded)
        self.username = QLineEdit(username)
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("signInError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        form = QFormLayout()
        form.addRow("Username", self.username)
        form.addRow("Password", self.password)
        self.buttons = QDialogButtonBox()
        self.sign_in_button = QPushButton("Sign in")
        self.sign_in_button.setObjectName("signInButton")
        self.sign_in_button.setDefault(True)
        self.settings_button = QPushButton("Server settings…")
        self.buttons.addButton(self.sign_in_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.settings_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.server)
        layout.addWidget(self.hint)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        # AcceptRole would close the dialog at once; the app closes it only after the server says yes.
        self.sign_in_button.clicked.connect(self._submit)
        self.password.returnPressed.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        self.settings_button.clicked.connect(self.settingsRequested)
        # Tab reads user → password → Sign in → Server settings → Cancel, so "user, Tab, password, Tab, Enter"
        # signs in (the button box alone puts Server settings first, where it sits on screen).
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        for first, second in ((self.username, self.password), (self.password, self.sign_in_button),
                              (self.sign_in_button, self.settings_button), (self.settings_button, cancel)):
            QWidget.setTabOrder(first, second)
        (self.password if username else self.username).setFocus(Qt.FocusReason.OtherFocusReason)

    def _submit(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self.show_error("Enter your username and password.")
            return
        self.set_busy(True)
        self.submitted.emit(username, password)

    def set_busy(self, busy: bool) -> None:
        self.sign_in_button.setEnabled(not busy)
        self.sign_in_button.setText("Signing in…" if busy else "Sign in")
        self.username.setEnabled(not busy)
        self.password.setEnabled(not busy)
        if busy:
            self.error.hide()

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self.error.setText(message)
        self.error.show()
        self.password.selectAll()
        self.password.setFocus()
