"""The segment builder: step 1 names the segment, step 2 builds its condition tree beside a live preview.

Constructed by the main window as `BuilderView(client=, catalog=, me=, segment=, parent=)` (see
`segstudio/views/README.md`); tests pass `backend=` (anything implementing `segstudio.core.backend.
BuilderBackend`) instead. Nothing the user entered is ever dropped on a failed save: the message is shown in
place and the tree stays as it was.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from segstudio.core.backend import BackendError, BackendUnavailable, BuilderBackend, PreviewResult
from segstudio.core.document import BuilderDocument
from segstudio.core.preview_scheduler import PreviewScheduler
from segstudio.core.rule_tree import RuleTree, TreeEditError
from segstudio.core.summary import summarize
from segstudio.core.validation import DESCRIPTION_MAX, NAME_MAX, is_complete, validate_info
from segstudio.widgets.builder.model import RuleTreeModel
from segstudio.widgets.builder.preview_panel import PreviewPanel
from segstudio.widgets.builder.style import BUILDER_STYLE
from segstudio.widgets.builder.tree_view import RuleTreeView

log = logging.getLogger(__name__)

QUOTA_MESSAGE = "Segment limit reached. Delete an existing segment to create a new one."
KEPT = "Your segment is kept here; nothing was lost."


def _segment_parts(segment: Any) -> tuple[Any, str, str, dict[str, Any] | None]:
    """(id, name, description, rules JSON) of a `Segment` model or a plain dict, or blanks for a new one."""
    if segment is None:
        return None, "", "", None
    data = segment.model_dump(mode="json") if hasattr(segment, "model_dump") else dict(segment)
    return data.get("id"), data.get("name") or "", data.get("description") or "", data.get("rules")


class InfoStep(QWidget):
    """Step 1: name (required, at most 60) and description (optional, at most 250)."""

    continued = Signal()
    cancelled = Signal()

    def __init__(self, editing: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("infoStep")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 28, 32, 28)
        card = QFrame(self)
        card.setObjectName("infoCard")
        card.setMaximumWidth(640)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(10)
        title = QLabel("Edit segment" if editing else "Create segment", card)
        title.setObjectName("stepTitle")
        layout.addWidget(title)
        hint = QLabel("Step 1 of 2 · Segment info", card)
        hint.setObjectName("stepHint")
        layout.addWidget(hint)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        self.name = QLineEdit(card)
        self.name.setObjectName("segmentName")
        self.name.setPlaceholderText("e.g. WhatsApp customers in Jakarta")
        self.name_counter = QLabel(card)
        self.name_counter.setObjectName("counter")
        self.name_error = QLabel(card)
        self.name_error.setObjectName("fieldError")
        name_box = QVBoxLayout()
        name_row = QHBoxLayout()
        name_row.addWidget(self.name, 1)
        name_row.addWidget(self.name_counter)
        name_box.addLayout(name_row)
        name_box.addWidget(self.name_error)
        form.addRow("Name *", name_box)
        self.description = QPlainTextEdit(card)
        self.description.setObjectName("segmentDescription")
        self.description.setPlaceholderText("Optional: what this segment is for")
        self.description.setFixedHeight(90)
        self.description.setTabChangesFocus(True)
        self.description_counter = QLabel(card)
        self.description_counter.setObjectName("counter")
        self.description_error = QLabel(card)
        self.description_error.setObjectName("fieldError")
        desc_box = QVBoxLayout()
        desc_box.addWidget(self.description)
        counter_row = QHBoxLayout()
        counter_row.addWidget(self.description_error, 1)
        counter_row.addWidget(self.description_counter)
        desc_box.addLayout(counter_row)
        form.addRow("Description", desc_box)
        layout.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton("Cancel", card)
        self.continue_button = QPushButton("Continue", card)
        self.continue_button.setObjectName("primary")
        self.continue_button.setDefault(True)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.continue_button)
        layout.addLayout(buttons)
        self.cancel_button.clicked.connect(self.cancelled)
        self.continue_button.clicked.connect(self._continue)
        self.name.returnPressed.connect(self._continue)
        self.name.textChanged.connect(self.refresh)
        self.description.textChanged.connect(self.refresh)
        self.server_problems: dict[str, str] = {}
        self.refresh()

    def values(self) -> tuple[str, str]:
        return self.name.text(), self.description.toPlainText()

    def set_values(self, name: str, description: str) -> None:
        self.name.setText(name)
        self.description.setPlainText(description)

    def problems(self) -> dict[str, str]:
        name, description = self.values()
        problems = validate_info(name, description)
        for key, message in self.server_problems.items():
            problems.setdefault(key, message)
        return problems

    def refresh(self) -> None:
        name, description = self.values()
        if self.server_problems and self.sender() is not None:
            self.server_problems.clear()  # the user is fixing what the server said
        problems = self.problems()
        for counter, text, limit in ((self.name_counter, name, NAME_MAX),
                                     (self.description_counter, description, DESCRIPTION_MAX)):
            counter.setText(f"{len(text)}/{limit}")
            counter.setProperty("over", len(text) > limit)
            counter.style().unpolish(counter)
            counter.style().polish(counter)
        # An empty name is not shouted about before the user has typed anything.
        name_problem = problems.get("name", "") if name or "name" in self.server_problems else ""
        self.name_error.setText(name_problem)
        self.name_error.setVisible(bool(name_problem))
        self.description_error.setText(problems.get("description", ""))
        self.description_error.setVisible("description" in problems)
        self.continue_button.setEnabled(not problems)
        self.continue_button.setToolTip(next(iter(problems.values()), ""))

    def _continue(self) -> None:
        if not self.problems():
            self.continued.emit()


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

    # --- layout --------------------------------------------------------------------------------------------

    def _build_rules_page(self) -> QWidget:
        page = QWidget(self)
        page.setObjectName("rulesStep")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        bar = QHBoxLayout()
        self.back_button = QToolButton(page)
        self.back_button.setText("‹ Segment info")
        self.back_button.setToolTip("Change the name or description")
        self.back_button.clicked.connect(lambda: self.steps.setCurrentWidget(self.info))
        bar.addWidget(self.back_button)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        self.title = QLabel(page)
        self.title.setObjectName("stepTitle")
        self.subtitle = QLabel(page)
        self.subtitle.setObjectName("stepHint")
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        bar.addLayout(titles, 1)
        self.undo_button = QToolButton(page)
        self.undo_button.setText("↶ Undo")
        self.redo_button = QToolButton(page)
        self.redo_button.setText("↷ Redo")
        self.undo_button.clicked.connect(self.undo)
        self.redo_button.clicked.connect(self.redo)
        bar.addWidget(self.undo_button)
        bar.addWidget(self.redo_button)
        self.cancel_button = QPushButton("Cancel", page)
        self.cancel_button.clicked.connect(self.cancel)
        self.save_button = QPushButton("Save segment", page)
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.save_button)
        layout.addLayout(bar)
        self.banner = QLabel(page)
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        layout.addWidget(self.banner)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, page)
        self.tree_holder = QFrame(self.splitter)
        self.tree_holder.setObjectName("treeHolder")
        self.tree_layout = QVBoxLayout(self.tree_holder)
        self.tree_layout.setContentsMargins(0, 0, 0, 0)
        self.loading = QLabel("Loading the fields…", self.tree_holder)
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.tree_layout.addWidget(self.loading)
        self.retry_button = QPushButton("Try again", self.tree_holder)
        self.retry_button.hide()
        self.retry_button.clicked.connect(lambda: self._spawn(self._load()))
        self.tree_layout.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignCenter)
        self.hint = QLabel("Drag ⠿ to move rows · Alt+↑/↓ moves the current row · Ctrl+Z / Ctrl+Shift+Z undo and "
                           "redo", self.tree_holder)
        self.hint.setObjectName("stepHint")
        self.hint.setContentsMargins(10, 4, 10, 6)
        self.preview_panel = PreviewPanel(self.splitter)
        self.splitter.addWidget(self.tree_holder)
        self.splitter.addWidget(self.preview_panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([760, 440])
        layout.addWidget(self.splitter, 1)
        self._add_actions(page)
        return page

    def _add_actions(self, page: QWidget) -> None:
        def action(text: str, keys: list[QKeySequence], slot: Any) -> QAction:
            act = QAction(text, page)
            act.setShortcuts(keys)
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(slot)
            page.addAction(act)
            return act

        self.undo_action = action("Undo", [QKeySequence(QKeySequence.StandardKey.Undo)], self.undo)
        self.redo_action = action("Redo", [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")], self.redo)
        self.up_action = action("Move up", [QKeySequence("Alt+Up")], lambda: self.step_current(-1))
        self.down_action = action("Move down", [QKeySequence("Alt+Down")], lambda: self.step_current(+1))

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

    # --- editing -------------------------------------------------------------------------------------------

    def undo(self) -> None:
        if self.document is not None:
            self.document.undo()

    def redo(self) -> None:
        if self.document is not None:
            self.document.redo()

    def step_current(self, direction: int) -> None:
        if self.document is None or self.tree_view is None:
            return
        node_id = self.tree_view.current_node_id()
        if node_id is None:
            return
        try:
            self.document.step(node_id, direction)
        except TreeEditError as exc:
            self.show_notice(exc.reason)
            return
        self.tree_view.focus_node(node_id)

    def show_notice(self, text: str, error: bool = False) -> None:
        self.banner.setText(text)
        self.banner.setProperty("error", error)
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        self.banner.setVisible(bool(text))

    def _on_document_changed(self, old: RuleTree, new: RuleTree) -> None:
        if not self._alive() or self.document is None:
            return
        if old is not new and not self._saving:
            self.show_notice("")
        self._refresh_actions()
        self._request_preview()

    def _refresh_actions(self) -> None:
        doc = self.document
        if doc is None:
            return
        history = doc.history
        self.undo_button.setEnabled(history.can_undo)
        self.redo_button.setEnabled(history.can_redo)
        self.undo_button.setToolTip(f"Undo {history.undo_label.lower()} (Ctrl+Z)" if history.can_undo else "")
        self.redo_button.setToolTip(f"Redo {history.redo_label.lower()} (Ctrl+Shift+Z)" if history.can_redo else "")
        issues = doc.issues()
        info = doc.info_issues()
        count = sum(len(v) for v in issues.values()) + len(info)
        self.save_button.setEnabled(count == 0 and not self._saving)
        if count:
            first = next(iter(info.values()), None) or next(iter(issues.values()))[0].message
            self.save_button.setToolTip(f"Fix {count} problem{'s' if count != 1 else ''} first: {first}")
        else:
            self.save_button.setToolTip("Save the segment (it is evaluated right after)")

    # --- preview -------------------------------------------------------------------------------------------

    def _request_preview(self, now: bool = False) -> None:
        doc = self.document
        if doc is None:
            return
        pruned = doc.tree.pruned(lambda c: is_complete(c, doc.catalog))
        left_out = len(doc.tree.conditions()) - len(pruned.conditions())
        self.preview_panel.set_left_out(left_out)
        if not pruned.conditions():
            self.preview.cancel()
            self.preview_panel.show_message("The preview appears here as soon as a condition is complete.")
            return
        self._preview_tree = pruned
        if now:
            self.preview.refresh_now(pruned.to_json())
        else:
            self.preview.request(pruned.to_json())

    def refresh_preview(self) -> None:
        self._request_preview(now=True)

    async def _fetch_preview(self, rules: dict[str, Any]) -> tuple[PreviewResult, RuleTree | None]:
        tree = self._preview_tree
        return await self.backend.preview(rules), tree

    def _on_preview(self, rules: dict[str, Any], answer: tuple[PreviewResult, RuleTree | None]) -> None:
        if not self._alive() or self.document is None:
            return
        result, tree = answer
        self.preview_panel.show_result(result, summarize(tree or self.document.tree, self.document.catalog))

    def _on_preview_error(self, rules: dict[str, Any], exc: BaseException) -> None:
        if not self._alive() or self.document is None:
            return
        if isinstance(exc, BackendError) and exc.status == 400 and exc.fields:
            self.document.apply_server_errors(exc.fields, against=self._preview_tree)
            self.preview_panel.show_error(f"The server did not accept these filters: {exc.message}")
        elif isinstance(exc, BackendError | BackendUnavailable):
            self.preview_panel.show_error(f"The preview could not be updated. {exc.message}")
        else:
            log.exception("preview failed", exc_info=exc)
            self.preview_panel.show_error("The preview could not be updated.")

    # --- saving --------------------------------------------------------------------------------------------

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

    # --- test and screenshot helpers -----------------------------------------------------------------------

    def row(self, node_id: str) -> Any:
        assert self.tree_view is not None
        return self.tree_view.rows[node_id]

