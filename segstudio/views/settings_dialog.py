"""Settings: which server to use (empty = the bundled local server) and the demo organisation's size."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QWidget

from segstudio.settings import AppSettings


class SettingsDialog(QDialog):
    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Settings — Segment Studio")
        self.setMinimumWidth(460)
        self.server_url = QLineEdit(settings.server_url or "")
        self.server_url.setObjectName("serverUrl")
        self.server_url.setPlaceholderText("Empty: the server bundled with the app, on this computer")
        self.demo_customers = QSpinBox()
        self.demo_customers.setRange(100, 1_000_000)
        self.demo_customers.setSingleStep(1000)
        self.demo_customers.setValue(settings.demo_customers)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        note = QLabel("A changed server applies when you sign in again. The demo organisation is created "
                      "once, on the first start of the bundled server.")
        note.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("Server URL", self.server_url)
        form.addRow("Demo customers", self.demo_customers)
        form.addRow(note)
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _save(self) -> None:
        url = self.server_url.text().strip()
        if url and not url.startswith(("http://", "https://")):
            self.error.setText("Enter a URL starting with http:// or https://, or leave it empty.")
            self.error.show()
            return
        self.settings.server_url = url or None
        self.settings.demo_customers = self.demo_customers.value()
        self.accept()
