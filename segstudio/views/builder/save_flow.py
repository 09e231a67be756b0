"""Saving from the segment builder: what is sent, and how each refusal is shown without losing the user's work.

A mixin of `BuilderView`: a 409 is the segment quota, a 400 names fields (the info step or tree rows are
marked), a 5xx or an unreachable server keeps everything on screen so the user can try again.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from segstudio.core.backend import BackendError, BackendUnavailable, BuilderBackend

if TYPE_CHECKING:
    from collections.abc import Coroutine

    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QPushButton

    from segstudio.core.document import BuilderDocument
    from segstudio.views.builder.info_step import InfoStep
    from segstudio.widgets.builder.tree_view import RuleTreeView

log = logging.getLogger(__name__)

QUOTA_MESSAGE = "Segment limit reached. Delete an existing segment to create a new one."
KEPT = "Your segment is kept here; nothing was lost."


class SaveFlow:
    backend: BuilderBackend
    document: BuilderDocument | None
    tree_view: RuleTreeView | None
    info: InfoStep
    save_button: QPushButton
    segment_id: Any
    saved: SignalInstance
    _saving: bool

    if TYPE_CHECKING:
        # Provided by BuilderView and RulesStep.
        def _spawn(self, coro: Coroutine[Any, Any, Any]) -> Any: ...
        def _alive(self) -> bool: ...
        def _refresh_actions(self) -> None: ...
        def show_notice(self, text: str, error: bool = False) -> None: ...

    def save(self) -> None:
        doc = self.document
        if doc is None or self._saving:
            return
        doc.set_info(*self.info.values())
        if not doc.can_save:
            self._refresh_actions()
            self.show_notice("Fix the highlighted problems before saving.", error=True)
            return
        self._spawn(self._save())

    async def _save(self) -> None:
        doc = self.document
        assert doc is not None
        self._saving = True
        self.save_button.setEnabled(False)
        self.save_button.setText("Saving…")
        payload = doc.payload()
        try:
            result = await self.backend.save(doc.segment_id, payload["name"], payload["description"],
                                             payload["rules"])
        except BackendError as exc:
            if self._alive():
                self._save_failed(exc)
            return
        except BackendUnavailable as exc:
            if self._alive():
                self.show_notice(f"{exc.message} {KEPT} Try saving again.", error=True)
            return
        except Exception as exc:  # noqa: BLE001 - whatever went wrong, the user's work stays on screen
            log.exception("saving the segment failed")
            if self._alive():
                self.show_notice(f"Saving failed unexpectedly ({exc}). {KEPT}", error=True)
            return
        finally:
            if self._alive():
                self._saving = False
                self.save_button.setText("Save segment")
                self._refresh_actions()
        if not self._alive():
            return
        segment_id = getattr(result, "id", None) if not isinstance(result, dict) else result.get("id")
        doc.mark_saved(segment_id)
        self.segment_id = segment_id
        self.show_notice("")
        self.saved.emit(result)

    def _save_failed(self, exc: BackendError) -> None:
        doc = self.document
        assert doc is not None
        if exc.status == 409:
            self.show_notice(exc.message or QUOTA_MESSAGE, error=True)
            return
        if exc.status == 400 and exc.fields:
            mapped = doc.apply_server_errors(exc.fields)
            if mapped.info:
                self.info.server_problems = dict(mapped.info)
                self.info.refresh()
            where = " Check the segment info." if mapped.info else ""
            extra = (" " + " ".join(mapped.general)) if mapped.general else ""
            self.show_notice(f"{exc.message}{where}{extra} {KEPT}", error=True)
            if mapped.by_node and self.tree_view is not None:
                node_id, issues = next(iter(mapped.by_node.items()))
                self.tree_view.focus_node(node_id, issues[0].part)
            return
        if exc.status >= 500:
            self.show_notice(f"The server had a problem and could not save. {KEPT} Try again in a moment.",
                             error=True)
            return
        self.show_notice(f"{exc.message} {KEPT}", error=True)
