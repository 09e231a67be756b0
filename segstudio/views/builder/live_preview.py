"""The builder's live preview: the complete conditions of the document, debounced through `PreviewScheduler`,
answered into the preview panel; a 400 marks the rows the server named."""

from __future__ import annotations

import logging
from typing import Any

import shiboken6
from PySide6.QtCore import QObject

from segstudio.core.backend import BackendError, BackendUnavailable, BuilderBackend, PreviewResult
from segstudio.core.document import BuilderDocument
from segstudio.core.preview_scheduler import PreviewScheduler
from segstudio.core.rule_tree import RuleTree
from segstudio.core.summary import summarize
from segstudio.core.validation import is_complete
from segstudio.widgets.builder.preview_panel import PreviewPanel

log = logging.getLogger(__name__)


class LivePreview(QObject):
    def __init__(self, backend: BuilderBackend, panel: PreviewPanel, *, delay: float = 0.5,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.panel = panel
        self.document: BuilderDocument | None = None
        self._asked: RuleTree | None = None  # the pruned tree of the newest request, for its summary and errors
        self.scheduler = PreviewScheduler(self._fetch, on_result=self._on_result, on_error=self._on_error,
                                          on_busy=panel.set_busy, delay=delay)
        panel.refreshRequested.connect(lambda: self.request(now=True))

    def attach(self, document: BuilderDocument) -> None:
        self.document = document

    def _alive(self) -> bool:
        return shiboken6.isValid(self) and self.document is not None

    def request(self, now: bool = False) -> None:
        doc = self.document
        if doc is None:
            return
        pruned = doc.tree.pruned(lambda c: is_complete(c, doc.catalog))
        self.panel.set_left_out(len(doc.tree.conditions()) - len(pruned.conditions()))
        if not pruned.conditions():
            self.scheduler.cancel()
            self.panel.show_message("The preview appears here as soon as a condition is complete.")
            return
        self._asked = pruned
        if now:
            self.scheduler.refresh_now(pruned.to_json())
        else:
            self.scheduler.request(pruned.to_json())

    def cancel(self) -> None:
        self.scheduler.cancel()

    async def _fetch(self, rules: dict[str, Any]) -> tuple[PreviewResult, RuleTree | None]:
        tree = self._asked
        return await self.backend.preview(rules), tree

    def _on_result(self, rules: dict[str, Any], answer: tuple[PreviewResult, RuleTree | None]) -> None:
        if not self._alive():
            return
        assert self.document is not None
        result, tree = answer
        # The panel shows the server's summary; this phrasing stands in only when it sent none.
        self.panel.show_result(result, summarize(tree or self.document.tree, self.document.catalog))

    def _on_error(self, rules: dict[str, Any], exc: BaseException) -> None:
        if not self._alive():
            return
        assert self.document is not None
        if isinstance(exc, BackendError) and exc.status == 400 and exc.fields:
            self.document.apply_server_errors(exc.fields, against=self._asked)
            self.panel.show_error(f"The server did not accept these filters: {exc.message}")
        elif isinstance(exc, BackendError | BackendUnavailable):
            self.panel.show_error(f"The preview could not be updated. {exc.message}")
        else:
            log.exception("preview failed", exc_info=exc)
            self.panel.show_error("The preview could not be updated.")
