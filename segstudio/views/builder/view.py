"""The segment builder: step 1 names the segment (`info_step`), step 2 builds its condition tree beside a live
preview (`rules_step`), and saving reports what the server refused (`save_flow`). This module composes them and
loads the catalog and limits.

Constructed by the main window as `BuilderView(client=, catalog=, me=, segment=, parent=)` (see
`segstudio/views/README.md`); tests pass `backend=` (anything implementing `segstudio.core.backend.
BuilderBackend`) instead. Nothing the user entered is ever dropped on a failed save: the message is shown in
place and the tree stays as it was.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from segstudio.core.backend import BackendError, BackendUnavailable, BuilderBackend
from segstudio.core.catalog import Limits
from segstudio.core.document import BuilderDocument
from segstudio.core.preview_scheduler import PreviewScheduler
from segstudio.core.rule_tree import RuleTree
from segstudio.views.builder.info_step import InfoStep
from segstudio.views.builder.rules_step import RulesStep
from segstudio.views.builder.save_flow import SaveFlow
from segstudio.widgets.builder.model import RuleTreeModel
from segstudio.widgets.builder.style import BUILDER_STYLE
from segstudio.widgets.builder.tree_view import RuleTreeView


def _segment_parts(segment: Any) -> tuple[Any, str, str, dict[str, Any] | None]:
    """(id, name, description, rules JSON) of a `Segment` model or a plain dict, or blanks for a new one."""
    if segment is None:
        return None, "", "", None
    data = segment.model_dump(mode="json") if hasattr(segment, "model_dump") else dict(segment)
    return data.get("id"), data.get("name") or "", data.get("description") or "", data.get("rules")


class BuilderView(RulesStep, SaveFlow, QWidget):
    saved = Signal(object)
    cancelled = Signal()

    def __init__(self, client: Any = None, catalog: Any = None, me: Any = None, segment: Any = None,
                 parent: QWidget | None = None, *, backend: BuilderBackend | None = None,
                 preview_delay: float = 0.5) -> None:
        super().__init__(parent)
        self.setObjectName("builderView")
        self.setStyleSheet(BUILDER_STYLE)
        if backend is None:
            from segstudio.views.builder.client_backend import ClientBackend

            backend = ClientBackend(client, catalog, me)
        self.backend: BuilderBackend = backend
        self.segment_id, name, description, self._initial_rules = _segment_parts(segment)
        self.document: BuilderDocument | None = None
        self.model: RuleTreeModel | None = None
        self.tree_view: RuleTreeView | None = None
        self._tasks: set[asyncio.Future[Any]] = set()
        self._preview_tree: RuleTree | None = None
        self._saving = False

        self.steps = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.steps)
        self.info = InfoStep(self.segment_id is not None, self)
        self.info.set_values(name, description)
        self.info.continued.connect(self.go_to_rules)
        self.info.cancelled.connect(self.cancel)
        self.steps.addWidget(self.info)
        self.rules_page = self._build_rules_page()
        self.steps.addWidget(self.rules_page)

        self.preview = PreviewScheduler(self._fetch_preview, on_result=self._on_preview,
                                        on_error=self._on_preview_error, on_busy=self.preview_panel.set_busy,
                                        delay=preview_delay)
        self.preview_panel.refreshRequested.connect(self.refresh_preview)
        self._spawn(self._load())

    # --- async plumbing ------------------------------------------------------------------------------------

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Future[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _alive(self) -> bool:
        return shiboken6.isValid(self)

    def cleanup(self) -> None:
        """Stop the preview and pending calls; the main window calls it before dropping the view."""
        self.preview.cancel()
        for task in list(self._tasks):
            task.cancel()
        if self.model is not None:
            self.model.cleanup()
        if self.tree_view is not None:
            for row in self.tree_view.rows.values():
                row.cleanup()

    def closeEvent(self, event: Any) -> None:  # noqa: N802
        self.cleanup()
        super().closeEvent(event)

    # --- loading -------------------------------------------------------------------------------------------

    async def _load(self) -> None:
        self.loading.setText("Loading the fields…")
        self.retry_button.hide()
        try:
            catalog, limits = await asyncio.gather(self.backend.catalog(), self.backend.limits())
        except (BackendError, BackendUnavailable) as exc:
            if self._alive():
                self.loading.setText(f"The fields could not be loaded. {exc.message}")
                self.retry_button.show()
            return
        if not self._alive():
            return
        if self.segment_id is not None and self._initial_rules:
            # A segment saved under looser limits stays editable in the shape it has; it may not grow.
            limits = limits.widen(Limits.shape_of(self._initial_rules))
        try:
            tree = (RuleTree.from_json(self._initial_rules, limits) if self._initial_rules
                    else RuleTree.empty(limits))
        except ValueError as exc:
            self.loading.setText(f"This segment's rules could not be read: {exc}")
            return
        name, description = self.info.values()
        self.document = BuilderDocument(catalog, limits, tree=tree, name=name, description=description,
                                        segment_id=self.segment_id)
        self.document.subscribe(self._on_document_changed)
        self.model = RuleTreeModel(self.document, self)
        self.tree_view = RuleTreeView(self.model, self.backend.suggestions, self.tree_holder)
        self.tree_view.refused.connect(self.show_notice)
        self.tree_view.valueSettled.connect(self._request_preview)
        self.loading.hide()
        self.tree_layout.addWidget(self.tree_view, 1)
        self.tree_layout.addWidget(self.hint)
        self._on_document_changed(tree, tree)
        if self.segment_id is not None and self.steps.currentWidget() is self.info and not self.info.problems():
            self.go_to_rules()

    # --- steps ---------------------------------------------------------------------------------------------

    def go_to_rules(self) -> None:
        name, description = self.info.values()
        self.title.setText(name.strip() or "New segment")
        self.subtitle.setText(description.strip() or "Step 2 of 2 · Conditions")
        if self.document is not None:
            self.document.set_info(name, description)
            self._refresh_actions()
        self.steps.setCurrentWidget(self.rules_page)
        if self.tree_view is not None:
            first = next((c.id for c in self.tree_view.rule_model.tree.conditions()), None)
            if first is not None:
                self.tree_view.focus_node(first)

    def cancel(self) -> None:
        self.cleanup()
        self.cancelled.emit()

    def has_unsaved_changes(self) -> bool:
        if self.document is None:
            return any(v.strip() for v in self.info.values()) and self.segment_id is None
        self.document.set_info(*self.info.values())
        return self.document.dirty

    # --- test and screenshot helpers -----------------------------------------------------------------------

    def row(self, node_id: str) -> Any:
        assert self.tree_view is not None
        return self.tree_view.rows[node_id]

