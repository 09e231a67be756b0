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
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QMessageBox, QStackedWidget, QVBoxLayout, QWidget

from segstudio.core.backend import BackendError, BackendUnavailable, BuilderBackend
from segstudio.core.catalog import Limits
from segstudio.core.document import BuilderDocument
from segstudio.core.rule_tree import RuleTree
from segstudio.views.builder.commands import BuilderCommands
from segstudio.views.builder.info_step import InfoStep
from segstudio.views.builder.live_preview import LivePreview
from segstudio.views.builder.rules_step import RulesStep
from segstudio.views.builder.save_flow import SaveFlow
from segstudio.widgets.builder.model import RuleTreeModel
from segstudio.widgets.builder.style import BUILDER_STYLE
from segstudio.widgets.builder.tree_view import RuleTreeView

DISCARD_TITLE = "Discard changes?"
DISCARD_TEXT = "Leave the segment builder and discard your changes?"


def _segment_parts(segment: Any) -> tuple[Any, str, str, dict[str, Any] | None]:
    """(id, name, description, rules JSON) of a `Segment` model or a plain dict, or blanks for a new one."""
    if segment is None:
        return None, "", "", None
    data = segment.model_dump(mode="json") if hasattr(segment, "model_dump") else dict(segment)
    return data.get("id"), data.get("name") or "", data.get("description") or "", data.get("rules")


class BuilderView(QWidget):
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
        self.discard_box: QMessageBox | None = None
        self._tasks: set[asyncio.Future[Any]] = set()

        self.steps = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.steps)
        self.info = InfoStep(self.segment_id is not None, self)
        self.info.set_values(name, description)
        self.info.continued.connect(self.go_to_rules)
        self.info.cancelled.connect(self.cancel)
        self.steps.addWidget(self.info)
        self.rules_page = RulesStep(self)
        self.steps.addWidget(self.rules_page)
        page = self.rules_page
        # The page's parts tests and screenshots reach for.
        self.save_button, self.banner, self.title = page.save_button, page.banner, page.title
        self.preview_panel, self.retry_button, self.splitter = page.preview_panel, page.retry_button, page.splitter

        self.live_preview = LivePreview(backend, page.preview_panel, delay=preview_delay, parent=self)
        self.preview = self.live_preview.scheduler
        self.save_flow = SaveFlow(backend, self.info, self)
        page.backRequested.connect(lambda: self.steps.setCurrentWidget(self.info))
        page.cancelRequested.connect(self.cancel)
        page.saveRequested.connect(self.save)
        page.retryRequested.connect(lambda: self._spawn(self._load()))
        self.save_flow.notice.connect(page.show_notice)
        self.save_flow.savingChanged.connect(page.set_saving)
        self.save_flow.problemsChanged.connect(page.refresh_actions)
        self.save_flow.focusRequested.connect(self._focus_refused)
        self.save_flow.saved.connect(self._saved)
        # Copy/paste/duplicate, import/export, save and refresh as shared QActions (menu bar, keys, row menu).
        self.commands = BuilderCommands(self)
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
        self.live_preview.cancel()
        self.save_flow.cancel()
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
        self.rules_page.show_loading("Loading the fields…")
        try:
            catalog, limits = await asyncio.gather(self.backend.catalog(), self.backend.limits())
        except (BackendError, BackendUnavailable) as exc:
            if self._alive():
                self.rules_page.show_loading(f"The fields could not be loaded. {exc.message}", retry=True)
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
            self.rules_page.show_loading(f"This segment's rules could not be read: {exc}")
            return
        name, description = self.info.values()
        self.document = BuilderDocument(catalog, limits, tree=tree, name=name, description=description,
                                        segment_id=self.segment_id)
        self.document.subscribe(self._on_document_changed)
        self.model = RuleTreeModel(self.document, self)
        self.tree_view = RuleTreeView(self.model, self.backend.suggestions, self.rules_page.tree_holder)
        self.rules_page.attach(self.document, self.tree_view)
        self.live_preview.attach(self.document)
        self.commands.attach(self.tree_view)
        self._on_document_changed(tree, tree)
        if self.segment_id is not None and self.steps.currentWidget() is self.info and not self.info.problems():
            self.go_to_rules()

    def _on_document_changed(self, old: RuleTree, new: RuleTree) -> None:
        if not self._alive() or self.document is None:
            return
        self.rules_page.document_changed(old is not new)
        self.live_preview.request()

    # --- steps ---------------------------------------------------------------------------------------------

    def go_to_rules(self) -> None:
        name, description = self.info.values()
        self.rules_page.set_titles(name, description)
        if self.document is not None:
            self.document.set_info(name, description)
            self.rules_page.refresh_actions()
        self.steps.setCurrentWidget(self.rules_page)
        if self.tree_view is not None:
            first = next((c.id for c in self.tree_view.rule_model.tree.conditions()), None)
            if first is not None:
                self.tree_view.focus_node(first)

    def undo(self) -> None:
        self.rules_page.undo()

    def save(self) -> None:
        self.save_flow.save(self.document)

    def _saved(self, result: Any) -> None:
        if self.document is not None:
            self.segment_id = self.document.segment_id
        self.saved.emit(result)

    def _focus_refused(self, node_id: str, part: str | None) -> None:
        if self.tree_view is not None:
            self.tree_view.focus_node(node_id, part)

    # --- leaving -------------------------------------------------------------------------------------------

    def cancel(self) -> None:
        """Cancel asks before it discards edits, as leaving by the sidebar does; without edits it just leaves."""
        if not self.has_unsaved_changes():
            self._discard()
            return
        if self.discard_box is not None:
            self.discard_box.raise_()
            return
        box = QMessageBox(QMessageBox.Icon.Question, DISCARD_TITLE, DISCARD_TEXT, parent=self)
        box.setObjectName("discardChanges")
        discard = box.addButton("Discard changes", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # open(), never exec(): under qasync a nested event loop would stall the preview and saves.
        box.finished.connect(lambda _result: self._discard_answered(box.clickedButton() is discard))
        self.discard_box = box
        box.open()

    def _discard_answered(self, discard: bool) -> None:
        self.discard_box = None  # Qt deletes the box on close; keep no reference to it
        if discard:
            self._discard()

    def _discard(self) -> None:
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
