"""The non-blocking "cannot reach the server" banner with Retry, bound to a ConnectionStatus."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from segstudio.services.network import ConnectionStatus


class NetworkBanner(QFrame):
    def __init__(self, status: ConnectionStatus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("networkBanner")
        self.status = status
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.retry_button = QPushButton("Retry")
        self.retry_button.setObjectName("retryButton")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.retry_button)
        self.retry_button.clicked.connect(status.retry)
        status.changed.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        self.label.setText(f"{self.status.message} Check your connection, then retry.")
        self.setVisible(self.status.offline)

    def cleanup(self) -> None:
        self.status.changed.disconnect(self._sync)
