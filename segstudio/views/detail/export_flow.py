"""The detail page's "Export as CSV/XLSX…": a save dialog for the file name, then the progress dialog that
streams the download (`ExportDialog`). The page owns one of these and shows what it reports in its notice line.

Both dialogs are opened with `open()` (never `exec()` under qasync) and forgotten before Qt deletes them, so
cleanup on Back or sign-out never touches a deleted object.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from segstudio.client import ApiClient
from segstudio.client.models import Segment
from segstudio.core.export_file import FORMATS, default_name, with_suffix
from segstudio.views.detail.export import ExportDialog


class MembersExportFlow(QObject):
    """`notice(text, error)`: where the file was saved, or why nothing was."""

    notice = Signal(str, bool)

    def __init__(self, client: ApiClient, segment: Callable[[], Segment], expected_rows: Callable[[], int],
                 page: QWidget) -> None:
        super().__init__(page)
        self.client = client
        self.segment = segment
        self.expected_rows = expected_rows
        self.page = page
        self.file_dialog: QFileDialog | None = None
        self.export_dialog: ExportDialog | None = None

    def ask(self, fmt: str) -> QFileDialog:
        """Ask where to save; the export starts when the user picks a file."""
        dialog = QFileDialog(self.page, "Export members",
                             str(Path.home() / default_name(self.segment().name, fmt)), FORMATS[fmt])
        dialog.setObjectName("exportSaveDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(fmt)
        dialog.fileSelected.connect(lambda path: self.export_to(path, fmt))

        def finished(_: int) -> None:
            # Qt deletes the dialog: forget it first, so nothing touches a deleted C++ object later.
            if self.file_dialog is dialog:
                self.file_dialog = None
            dialog.deleteLater()

        dialog.finished.connect(finished)
        self.file_dialog = dialog
        dialog.open()
        return dialog

    def export_to(self, path: str | Path, fmt: str) -> ExportDialog:
        target = with_suffix(path, fmt)
        dialog = ExportDialog(self.client, self.segment().id, target, fmt, self.expected_rows(), self.page)
        dialog.finishedExport.connect(lambda saved, message: self.notice.emit(
            f"Exported to {saved}." if saved else message, saved is None))

        def finished(_: int) -> None:
            # Forget the dialog before Qt deletes it (cleanup on Back or sign-out would touch a deleted
            # object); a download still stopping deletes it when its task has ended.
            if self.export_dialog is dialog:
                self.export_dialog = None
            task = dialog.task
            if task is None or task.done():
                dialog.deleteLater()
            else:
                task.add_done_callback(lambda _: dialog.deleteLater())

        dialog.finished.connect(finished)
        self.export_dialog = dialog
        dialog.open()
        dialog.start()
        return dialog

    def cancel(self) -> None:
        """Stop a download in progress (the page is closing); its partial file is removed."""
        if self.export_dialog is not None:
            self.export_dialog.cancel()
