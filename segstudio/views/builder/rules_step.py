"""Step 2 of the segment builder: the condition tree beside the live preview, with undo, redo and moves.

A mixin of `BuilderView`, which owns the document, the tree view, the preview scheduler and the steps.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSplitter, QToolButton, QVBoxLayout, QWidget

from segstudio.core.backend import BackendError, BackendUnavailable, BuilderBackend, PreviewResult
from segstudio.core.rule_tree import RuleTree, TreeEditError
from segstudio.core.summary import summarize
from segstudio.core.validation import is_complete
from segstudio.widgets.builder.preview_panel import PreviewPanel

if TYPE_CHECKING:
    from collections.abc import Coroutine

    from PySide6.QtWidgets import QStackedWidget

    from segstudio.core.document import BuilderDocument
    from segstudio.core.preview_scheduler import PreviewScheduler
    from segstudio.views.builder.info_step import InfoStep
    from segstudio.widgets.builder.tree_view import RuleTreeView

log = logging.getLogger(__name__)


class RulesStep:
    backend: BuilderBackend
    document: BuilderDocument | None
    tree_view: RuleTreeView | None
    preview: PreviewScheduler
    steps: QStackedWidget
    info: InfoStep
    _preview_tree: RuleTree | None
    _saving: bool

    if TYPE_CHECKING:
        # Provided by BuilderView.
        def _spawn(self, coro: Coroutine[Any, Any, Any]) -> Any: ...
        def _load(self) -> Coroutine[Any, Any, None]: ...
        def _alive(self) -> bool: ...
        def cancel(self) -> None: ...
        def save(self) -> None: ...

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
        self.hint.setWordWrap(True)  # one long line would set the window's minimum width (issue 14)
        self.hint.setContentsMargins(10, 4, 10, 6)
        self.preview_panel = PreviewPanel(self.splitter)
        self.splitter.addWidget(self.tree_holder)
        self.splitter.addWidget(self.preview_panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([800, 400])
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
            self.preview_panel.show_waiting("The preview appears here as soon as a condition is complete.")
            return
        if not now and self.tree_view is not None and self.tree_view.typing():
            # A half-typed value ("Jak" of "Jakarta") is not asked about; the tree view says when it settles.
            self.preview.cancel()
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
