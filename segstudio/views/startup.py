"""The start-up progress window: starting the local server, creating the demo organisation."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QLabel, QPlainTextEdit, QProgressBar, QPushButton, QVBoxLayout, QWidget

from segstudio.services.backend_process import Progress


class StartupDialog(QDialog):
    quitRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Segment Studio")
        self.setMinimumWidth(460)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.title = QLabel("Starting Segment Studio…")
        self.title.setObjectName("startupTitle")
        self.detail = QLabel()
        self.detail.setObjectName("startupDetail")
        self.detail.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.hide()
        self.quit_button = QPushButton("Quit")
        self.quit_button.hide()
        self.quit_button.clicked.connect(self.quitRequested)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.detail)
        layout.addWidget(self.bar)
        layout.addWidget(self.log)
        layout.addWidget(self.quit_button, 0, Qt.AlignmentFlag.AlignRight)

    def set_step(self, title: str, detail: str = "") -> None:
        self.title.setText(title)
        self.detail.setText(detail)
        self.bar.setRange(0, 0)

    def set_progress(self, progress: Progress) -> None:
        if progress.fraction is None:
            self.bar.setRange(0, 0)
        else:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(progress.fraction * 1000))
        if progress.text:
            self.detail.setText(progress.text[:200])

    def show_error(self, message: str, details: str = "") -> None:
        self.title.setText("Segment Studio could not start")
        self.detail.setText(message)
        self.bar.hide()
        if details:
            self.log.setPlainText(details)
            self.log.show()
        self.quit_button.show()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.quitRequested.emit()
        event.ignore()
