"""The question the detail page asks before archiving, unarchiving or deleting a segment."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget


def lifecycle_confirm(action: str, name: str, parent: QWidget) -> tuple[QMessageBox, QAbstractButton]:
    """A not-yet-opened box for `action` ("archive", "unarchive" or "delete") and its confirming button;
    Cancel is the default, so Enter never deletes."""
    texts = {
        "archive": ("Archive segment", f"Archive “{name}”? It leaves the active list and is no longer evaluated.",
                    "Archive"),
        "unarchive": ("Unarchive segment", f"Unarchive “{name}”? It is evaluated again and counts towards "
                      "your package's segment limit.", "Unarchive"),
        "delete": ("Delete segment", f"Delete “{name}” permanently? Its members and history are removed. "
                   "This cannot be undone.", "Delete"),
    }
    title, text, verb = texts[action]
    box = QMessageBox(QMessageBox.Icon.Warning if action == "delete" else QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Cancel, parent)
    ok = box.addButton(verb, QMessageBox.ButtonRole.DestructiveRole if action == "delete"
                       else QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.setObjectName(f"{action}Confirm")
    return box, ok
