"""Export members to CSV or XLSX: a progress dialog over a streamed download into an atomic file."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from segstudio.client import ApiClient, ClientError, NetworkError
from segstudio.core.export_file import AtomicFile, ExportError, ExportProgress


class ExportDialog(QDialog):
    """Shows progress; Cancel stops the download and removes the partial file.
    `finishedExport(path | None, message)`: the saved file, or None and why nothing was saved."""

    finishedExport = Signal(object, str)

    def __init__(self, client: ApiClient, segment_id: int | str, target: Path, fmt: str, expected_rows: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export members")
        self.setMinimumWidth(420)
        self.client = client
        self.segment_id = segment_id
        self.target = target
        self.fmt = fmt
        self.progress = ExportProgress(fmt, expected_rows)
        self.outcome: str | None = None
        self.saved: Path | None = None
        self.label = QLabel(f"Exporting to {target.name}…")
        self.label.setObjectName("exportLabel")
        self.label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setObjectName("exportProgress")
        self.bar.setRange(0, 100 if self.progress.determinate else 0)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("exportCancel")
        self.close_button = QPushButton("Close")
        self.close_button.hide()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addLayout(buttons)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.accept)
        self.task: asyncio.Task[Any] | None = None

    def start(self) -> asyncio.Task[Any]:
        self.task = asyncio.ensure_future(self._run())
        self.task.add_done_callback(self._ended)
        return self.task

    def _ended(self, task: asyncio.Task[Any]) -> None:
        # A task cancelled before its first step never enters `_run`, so nothing there reports it.
        if task.cancelled() and self.outcome is None:
            self._finish("cancelled", "Export cancelled. No file was saved.")

    async def _run(self) -> None:
        file = AtomicFile(self.target)
        try:
            file.open()
            stream = self.client.export_members(self.segment_id, self.fmt)
            async with contextlib.aclosing(stream):
                async for chunk in stream:
                    file.write(chunk)
                    self.progress.feed(chunk)
                    if self.progress.determinate:
                        self.bar.setValue(self.progress.percent)
                    self.label.setText(f"Exporting to {self.target.name}… {self.progress.label}")
            self.saved = file.commit()
        except asyncio.CancelledError:
            file.abort()
            self._finish("cancelled", "Export cancelled. No file was saved.")
            raise
        except NetworkError as exc:
            file.abort()
            self._finish("failed", f"{exc.message} No file was saved.")
        except (ClientError, ExportError) as exc:
            file.abort()
            self._finish("failed", f"{exc} No file was saved." if isinstance(exc, ExportError) else
                         f"{exc.message} No file was saved.")
        else:
            self.bar.setRange(0, 100)
            self.bar.setValue(100)
            self._finish("saved", f"Saved {self.target} ({self.progress.label}).")

    def _finish(self, outcome: str, message: str) -> None:
        self.outcome = outcome
        self.label.setText(message)
        if outcome != "saved":
            self.bar.setRange(0, 100)
            self.bar.setValue(0)
        self.cancel_button.hide()
        self.close_button.show()
        self.finishedExport.emit(self.saved if outcome == "saved" else None, message)

    def cancel(self) -> None:
        if self.task is not None and not self.task.done():
            self.task.cancel()
        else:
            self.reject()

    def done(self, result: int) -> None:
        if self.task is not None and not self.task.done():
            self.task.cancel()
        super().done(result)
