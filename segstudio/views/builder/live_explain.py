"""The builder's live "Why?": a customer id typed (or a preview row double-clicked) is explained against the
complete conditions of the document, again after every edit — debounced, newest answer wins, like the
preview, through its own `PreviewScheduler` so an explain never delays the preview. A failure says why in
the panel."""

from __future__ import annotations

import logging
from typing import Any

import shiboken6
from PySide6.QtCore import QObject

from segstudio.core.backend import BackendError, BackendUnavailable, BuilderBackend
from segstudio.core.document import BuilderDocument
from segstudio.core.explain import explanation_lines
from segstudio.core.preview_scheduler import PreviewScheduler
from segstudio.core.validation import is_complete
from segstudio.widgets.explain_panel import ExplainPanel

log = logging.getLogger(__name__)


class LiveExplain(QObject):
    def __init__(self, backend: BuilderBackend, panel: ExplainPanel, *, delay: float = 0.5,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.panel = panel
        self.document: BuilderDocument | None = None
        self.customer_id = ""
        self.scheduler = PreviewScheduler(self._fetch, on_result=self._on_result, on_error=self._on_error,
                                          on_busy=panel.set_busy, delay=delay)
        panel.customerChanged.connect(self.set_customer)

    def attach(self, document: BuilderDocument) -> None:
        self.document = document

    def set_customer(self, customer_id: str) -> None:
        self.customer_id = customer_id
        self.request()

    def request(self) -> None:
        doc = self.document
        if doc is None or not self.customer_id:
            self.scheduler.cancel()
            if not self.customer_id:
                self.panel.show_message("Type a customer id, or double-click a customer in the preview.")
            return
        pruned = doc.tree.pruned(lambda c: is_complete(c, doc.catalog))
        if not pruned.conditions():
            self.scheduler.cancel()
            self.panel.show_message("The explanation appears as soon as a condition is complete.")
            return
        self.scheduler.request({"rules": pruned.to_json(), "customer_id": self.customer_id})

    def cancel(self) -> None:
        self.scheduler.cancel()

    async def _fetch(self, asked: dict[str, Any]) -> dict[str, Any]:
        return await self.backend.explain(asked["rules"], asked["customer_id"])

    def _alive(self) -> bool:
        return shiboken6.isValid(self) and shiboken6.isValid(self.panel) and self.document is not None

    def _on_result(self, asked: dict[str, Any], explanation: dict[str, Any]) -> None:
        if not self._alive():
            return
        assert self.document is not None
        verdict = "matches" if explanation.get("matched") else "does not match"
        self.panel.show_lines(f"Customer {asked['customer_id']} {verdict}",
                              explanation_lines(explanation, asked["rules"], self.document.catalog))

    def _on_error(self, asked: dict[str, Any], exc: BaseException) -> None:
        if not self._alive():
            return
        if isinstance(exc, BackendError) and exc.status == 404:
            self.panel.show_error(f"No customer with the id {asked['customer_id']!r} that you may see.")
        elif isinstance(exc, BackendError | BackendUnavailable):
            self.panel.show_error(f"Could not explain: {exc.message}")
        else:
            log.exception("explain failed", exc_info=exc)
            self.panel.show_error("Could not explain this customer.")
