"""Step 2 of the segment builder: the condition tree beside the live preview, with undo, redo and moves.

A page widget of its own: it shows the document it is given (`attach`) and says what the user asked for with
signals (back, cancel, save, retry); `BuilderView` wires it to the save flow and the live preview.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSplitter, QToolButton, QVBoxLayout, QWidget

from segstudio.core.rule_tree import TreeEditError
from segstudio.widgets.builder.preview_panel import PreviewPanel

if TYPE_CHECKING:
    from segstudio.core.document import BuilderDocument
    from segstudio.widgets.builder.tree_view import RuleTreeView


class RulesStep(QWidget):
    backRequested = Signal()
    cancelRequested = Signal()
    saveRequested = Signal()
    retryRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("rulesStep")
        self.document: BuilderDocument | None = None
        self.tree_view: RuleTreeView | None = None
        self.saving = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addLayout(self._build_bar())
        self.banner = QLabel(self)
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        layout.addWidget(self.banner)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.tree_holder = QFrame(self.splitter)
        self.tree_holder.setObjectName("treeHolder")
        self.tree_layout = QVBoxLayout(self.tree_holder)
        self.tree_layout.setContentsMargins(0, 0, 0, 0)
        self.loading = QLabel("Loading the fields…", self.tree_holder)
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.tree_layout.addWidget(self.loading)
        self.retry_button = QPushButton("Try again", self.tree_holder)
        self.retry_button.hide()
        self.retry_button.clicked.connect(self.retryRequested)
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
        self._add_actions()

    def _build_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        self.back_button = QToolButton(self)
        self.back_button.setText("‹ Segment info")
        self.back_button.setToolTip("Change the name or description")
        self.back_button.clicked.connect(self.backRequested)
        bar.addWidget(self.back_button)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        self.title = QLabel(self)
        self.title.setObjectName("stepTitle")
        self.subtitle = QLabel(self)
        self.subtitle.setObjectName("stepHint")
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        bar.addLayout(titles, 1)
        self.undo_button = QToolButton(self)
        self.undo_button.setText("↶ Undo")
        self.redo_button = QToolButton(self)
        self.redo_button.setText("↷ Redo")
        self.undo_button.clicked.connect(self.undo)
        self.redo_button.clicked.connect(self.redo)
        bar.addWidget(self.undo_button)
        bar.addWidget(self.redo_button)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.clicked.connect(self.cancelRequested)
        self.save_button = QPushButton("Save segment", self)
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.saveRequested)
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.save_button)
        return bar

    def _add_actions(self) -> None:
        def action(text: str, keys: list[QKeySequence], slot: Any) -> QAction:
            act = QAction(text, self)
            act.setShortcuts(keys)
            act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(slot)
            self.addAction(act)
            return act

        self.undo_action = action("Undo", [QKeySequence(QKeySequence.StandardKey.Undo)], self.undo)
        self.redo_action = action("Redo", [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")], self.redo)
        self.up_action = action("Move up", [QKeySequence("Alt+Up")], lambda: self.step_current(-1))
        self.down_action = action("Move down", [QKeySequence("Alt+Down")], lambda: self.step_current(+1))

    # --- the document ----------------------------------------------------------------------------------------

    def attach(self, document: BuilderDocument, tree_view: RuleTreeView) -> None:
        """The loaded document and its tree view take the loading message's place."""
        self.document = document
        self.tree_view = tree_view
        tree_view.refused.connect(self.show_notice)
        self.loading.hide()
        self.tree_layout.addWidget(tree_view, 1)
        self.tree_layout.addWidget(self.hint)

    def show_loading(self, text: str, *, retry: bool = False) -> None:
        self.loading.setText(text)
        self.retry_button.setVisible(retry)

    def set_titles(self, name: str, description: str) -> None:
        self.title.setText(name.strip() or "New segment")
        self.subtitle.setText(description.strip() or "Step 2 of 2 · Conditions")

    def document_changed(self, edited: bool) -> None:
        """An edit clears the last notice (unless a save is telling the user about it)."""
        if edited and not self.saving:
            self.show_notice("")
        self.refresh_actions()

    def set_saving(self, saving: bool) -> None:
        self.saving = saving
        self.save_button.setText("Saving…" if saving else "Save segment")
        self.refresh_actions()

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

    def refresh_actions(self) -> None:
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
        self.save_button.setEnabled(count == 0 and not self.saving)
        if count:
            first = next(iter(info.values()), None) or next(iter(issues.values()))[0].message
            self.save_button.setToolTip(f"Fix {count} problem{'s' if count != 1 else ''} first: {first}")
        else:
            self.save_button.setToolTip("Save the segment (it is evaluated right after)")
