"""Saving from the segment builder: what is sent, and how each refusal is shown without losing the user's work.

A collaborator of `BuilderView` that says what happened with signals: a 409 is the segment quota, a 400 names
fields (the info step or tree rows are marked), a 5xx or an unreachable server keeps everything on screen so the
user can try again.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal

from segstudio.core.backend import BackendError, BackendUnavailable, BuilderBackend
from segstudio.core.document import BuilderDocument
from segstudio.views.builder.info_step import InfoStep

log = logging.getLogger(__name__)

QUOTA_MESSAGE = "Segment limit reached. Delete an existing segment to create a new one."
KEPT = "Your segment is kept here; nothing was lost."


class SaveFlow(QObject):
    saved = Signal(object)  # what the server returned
    notice = Signal(str, bool)  # text, is it an error
    savingChanged = Signal(bool)
    problemsChanged = Signal()  # the save found problems to show; refresh what depends on them
    focusRequested = Signal(str, object)  # node id, part (or None): the first row the server refused

    def __init__(self, backend: BuilderBackend, info: InfoStep, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.info = info
        self.saving = False
        self._task: asyncio.Future[Any] | None = None

    def _alive(self) -> bool:
        return shiboken6.isValid(self)

    def save(self, doc: BuilderDocument | None) -> asyncio.Future[Any] | None:
        if doc is None or self.saving:
            return None
        doc.set_info(*self.info.values())
        if not doc.can_save:
            self.problemsChanged.emit()
            self.notice.emit("Fix the highlighted problems before saving.", True)
            return None
        self._task = asyncio.ensure_future(self._save(doc))
        return self._task

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()

    def _set_saving(self, saving: bool) -> None:
        self.saving = saving
        self.savingChanged.emit(saving)

    async def _save(self, doc: BuilderDocument) -> None:
        self._set_saving(True)
        payload = doc.payload()
        try:
            result = await self.backend.save(doc.segment_id, payload["name"], payload["description"],
                                             payload["rules"])
        except BackendError as exc:
            if self._alive():
                self._save_failed(doc, exc)
            return
        except BackendUnavailable as exc:
            if self._alive():
                self.notice.emit(f"{exc.message} {KEPT} Try saving again.", True)
            return
        except Exception as exc:  # noqa: BLE001 - whatever went wrong, the user's work stays on screen
            log.exception("saving the segment failed")
            if self._alive():
                self.notice.emit(f"Saving failed unexpectedly ({exc}). {KEPT}", True)
            return
        finally:
            if self._alive():
                self._set_saving(False)
        if not self._alive():
            return
        segment_id = getattr(result, "id", None) if not isinstance(result, dict) else result.get("id")
        doc.mark_saved(segment_id)
        self.notice.emit("", False)
        self.saved.emit(result)

    def _save_failed(self, doc: BuilderDocument, exc: BackendError) -> None:
        if exc.status == 409:
            self.notice.emit(exc.message or QUOTA_MESSAGE, True)
            return
        if exc.status == 400 and exc.fields:
            mapped = doc.apply_server_errors(exc.fields)
            if mapped.info:
                self.info.server_problems = dict(mapped.info)
                self.info.refresh()
            where = " Check the segment info." if mapped.info else ""
            extra = (" " + " ".join(mapped.general)) if mapped.general else ""
            self.notice.emit(f"{exc.message}{where}{extra} {KEPT}", True)
            if mapped.by_node:
                node_id, issues = next(iter(mapped.by_node.items()))
                self.focusRequested.emit(node_id, issues[0].part)
            return
        if exc.status >= 500:
            self.notice.emit(f"The server had a problem and could not save. {KEPT} Try again in a moment.", True)
            return
        self.notice.emit(f"{exc.message} {KEPT}", True)
