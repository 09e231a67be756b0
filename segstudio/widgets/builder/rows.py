"""The widgets shown on each row of the rule tree: a group header or a condition's editors.

Rows call the document's edit methods and never touch the tree themselves; `sync()` shows the document's state
with signals blocked, so an update coming back from the document does not count as a new edit.

A row's inputs sit in a `FlowLayout` that wraps onto a second line when the column is narrow, and its message
(an error, or why an Add button is off) is a wrapping line beneath them: nothing is cut or covered, and the
row grows instead (`heightForWidth`, which the tree view asks for).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QComboBox, QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget

from segstudio.core.catalog import FieldSpec
from segstudio.core.document import BuilderDocument
from segstudio.core.rule_tree import Condition, Group, RuleTree
from segstudio.core.validation import Issue
from segstudio.widgets.builder.editors import NoValueEditor, SuggestFn, ValueEditor, make_editor, mark_invalid
from segstudio.widgets.builder.field_picker import FieldButton
from segstudio.widgets.builder.row_base import RowBase, drag_handle, wrapping_label


class GroupRow(RowBase):
    """A group's header: AND/OR, add condition, add group, remove."""

    def __init__(self, document: BuilderDocument, node_id: str, parent: QWidget | None = None) -> None:
        super().__init__(document, node_id, parent)
        self.setObjectName("groupRow")
        is_root = node_id == document.tree.root.id
        if not is_root:
            self.layout_.addWidget(drag_handle(self), 0, Qt.AlignmentFlag.AlignTop)
            self.layout_.addWidget(self.connector, 0, Qt.AlignmentFlag.AlignTop)
        else:
            self.connector.hide()
        self._add_body()
        # NOT: the group then matches the customers it would not match (contract v2 "not": true).
        self.not_button = QPushButton("NOT", self)
        self.not_button.setObjectName("notToggle")
        self.not_button.setCheckable(True)
        self.not_button.setFixedWidth(40)
        self.not_button.setToolTip("NOT: match the customers this group does not match")
        self.not_button.clicked.connect(lambda checked: self._try(self.document.set_negate, self.node_id, checked))
        self.flow.addWidget(self.not_button)
        self.title = QLabel("Customers matching" if is_root else "Criteria group", self)
        self.title.setObjectName("groupTitle")
        self.flow.addWidget(self.title)
        self.and_button = QPushButton("ALL", self)
        self.or_button = QPushButton("ANY", self)
        self.and_button.setToolTip("AND: every condition must match")
        self.or_button.setToolTip("OR: at least one condition must match")
        self.combinator_buttons = QButtonGroup(self)
        pair = QWidget(self)
        pair_layout = QHBoxLayout(pair)
        pair_layout.setContentsMargins(0, 0, 0, 0)
        pair_layout.setSpacing(0)
        for i, (button, name) in enumerate(((self.and_button, "segLeft"), (self.or_button, "segRight"))):
            button.setParent(pair)
            button.setCheckable(True)
            button.setObjectName(name)
            button.setFixedWidth(52)
            self.combinator_buttons.addButton(button, i)
            pair_layout.addWidget(button)
        self.flow.addWidget(pair)
        self.of_label = QLabel("of these conditions" if is_root else "of its conditions", self)
        self.flow.addWidget(self.of_label)
        self.combinator_buttons.idClicked.connect(
            lambda i: self._try(self.document.set_combinator, self.node_id, "and" if i == 0 else "or"))
        self.add_condition = QToolButton(self)
        self.add_condition.setText("+ Condition")
        self.add_condition.setObjectName("addCondition")
        self.add_group = QToolButton(self)
        self.add_group.setText("+ Group")
        self.add_group.setObjectName("addGroup")
        self.flow.addWidget(self.add_condition)
        self.flow.addWidget(self.add_group)
        self.add_condition.clicked.connect(lambda: self._try(self._add_condition))
        self.add_group.clicked.connect(lambda: self._try(self._add_group))
        # Why an Add button is off (the org's limits), in words beside the buttons rather than in a tooltip.
        self.limit_note = wrapping_label(self, "limitNote")
        self.body.addWidget(self.limit_note)
        self.remove_button: QToolButton | None = None
        if not is_root:
            self.remove_button = QToolButton(self)
            self.remove_button.setText("✕")
            self.remove_button.setObjectName("removeButton")
            self.remove_button.setToolTip("Remove this group and every condition in it")
            self.remove_button.clicked.connect(lambda: self._try(self.document.remove, self.node_id))
            self.layout_.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        self.created: str | None = None

    def _add_condition(self) -> None:
        self.created = self.document.add_condition(self.node_id)

    def _add_group(self) -> None:
        self.created = self.document.add_group(self.node_id)

    def sync(self, tree: RuleTree, issues: list[Issue]) -> None:
        group = tree.find(self.node_id)
        assert isinstance(group, Group)
        self._sync_connector(tree)
        self.and_button.setChecked(group.combinator == "and")
        self.or_button.setChecked(group.combinator == "or")
        self.not_button.setChecked(group.negate)
        notes = []
        for button, blocker, ok_tip in (
                (self.add_condition, tree.add_condition_blocker(group.id), "Add a condition to this group"),
                (self.add_group, tree.add_group_blocker(group.id), "Add a nested criteria group")):
            button.setEnabled(blocker is None)
            button.setToolTip(blocker or ok_tip)
            if blocker and (button is self.add_condition or tree.limits.max_depth > tree.depth(group.id)):
                notes.append(blocker)
        if tree.limits.max_depth <= tree.depth(group.id):
            # Nesting is not possible at all here, so the button would only ever be disabled: hide it.
            self.add_group.setVisible(False)
        self.limit_note.setText(" ".join(dict.fromkeys(notes)))
        self.limit_note.setVisible(bool(notes))
        self._show_issues(issues)

    def message_labels(self) -> list[QLabel]:
        return [self.error, self.limit_note]

    def focus_part(self, part: str | None) -> None:
        if part == "not":
            self.not_button.setFocus()
            return
        (self.and_button if group_checked(self) else self.or_button).setFocus()

    def focused_part(self) -> str | None:
        focus = self.focusWidget()
        if focus is self.not_button:
            return "not"
        if focus is self.add_condition:
            return "add_condition"
        if focus is self.add_group:
            return "add_group"
        return "combinator"


def group_checked(row: GroupRow) -> bool:
    return row.and_button.isChecked()


class ConditionRow(RowBase):
    """One condition: field, operator, value and (for associated records) ANY/ALL."""

    settled = Signal()  # a typed value is complete: the live preview may ask about it

    def __init__(self, document: BuilderDocument, node_id: str, suggest: SuggestFn | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(document, node_id, parent)
        self.setObjectName("conditionRow")
        self.suggest = suggest
        self.layout_.addWidget(drag_handle(self), 0, Qt.AlignmentFlag.AlignTop)
        self.layout_.addWidget(self.connector, 0, Qt.AlignmentFlag.AlignTop)
        self._add_body()
        self.field_button = FieldButton(document.catalog, self)
        self.field_button.picked.connect(lambda key: self._try(self.document.set_field, self.node_id, key))
        self.flow.addWidget(self.field_button)
        self.operator = QComboBox(self)
        self.operator.setObjectName("operator")
        self.operator.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.operator.activated.connect(self._on_operator)
        self.flow.addWidget(self.operator)
        self.value_holder = QWidget(self)
        self.value_layout = QHBoxLayout(self.value_holder)
        self.value_layout.setContentsMargins(0, 0, 0, 0)
        self.flow.addWidget(self.value_holder)
        self.editor: ValueEditor | None = None
        self._editor_key: tuple[Any, ...] | None = None
        self.match = QComboBox(self)
        self.match.setObjectName("match")
        self.match.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.match.activated.connect(lambda i: self._try(self.document.set_match, self.node_id,
                                                         self.match.itemData(i)))
        self.flow.addWidget(self.match)
        self.remove_button = QToolButton(self)
        self.remove_button.setText("✕")
        self.remove_button.setObjectName("removeButton")
        self.remove_button.setToolTip("Remove this condition")
        self.remove_button.clicked.connect(lambda: self._try(self.document.remove, self.node_id))
        self.layout_.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        self._field_key: str | None = "\0"

    def _on_operator(self, i: int) -> None:
        self._try(self.document.set_operator, self.node_id, self.operator.itemData(i))

    def _on_value(self, value: Any) -> None:
        self._try(self.document.set_value, self.node_id, value)

    def _spec(self, cond: Condition) -> FieldSpec | None:
        return self.document.catalog.get(cond.field)

    def sync(self, tree: RuleTree, issues: list[Issue]) -> None:
        cond = tree.find(self.node_id)
        assert isinstance(cond, Condition)
        spec = self._spec(cond)
        self._sync_connector(tree)
        self.field_button.set_field(cond.field)
        if cond.field != self._field_key:
            self._field_key = cond.field
            self.operator.blockSignals(True)
            self.operator.clear()
            for op in spec.operators if spec else ():
                self.operator.addItem(spec.operator_label(op), op)
            self.operator.blockSignals(False)
        self.operator.blockSignals(True)
        self.operator.setCurrentIndex(self.operator.findData(cond.operator) if cond.operator else -1)
        self.operator.blockSignals(False)
        self.operator.setEnabled(spec is not None)
        self._sync_editor(cond, spec)
        if spec is not None and spec.match_applies:
            records = spec.association or "records"
            if self.match.count() == 0:
                self.match.addItem(f"any {records}", "any")
                self.match.addItem(f"all {records}", "all")
                self.match.addItem(f"no {records}", "none")
                self.match.setToolTip(f"any: at least one of the customer's {records} matches\n"
                                      f"all: every one of the customer's {records} matches (and there is one)\n"
                                      f"no: none of the customer's {records} matches (or there are none)")
            self.match.blockSignals(True)
            self.match.setCurrentIndex(self.match.findData(cond.match or "any"))
            self.match.blockSignals(False)
            self.match.show()
        else:
            self.match.hide()
            self.match.clear()
        self._mark(issues)

    def _sync_editor(self, cond: Condition, spec: FieldSpec | None) -> None:
        key = (cond.field, spec.value_kind(cond.operator) if spec else None)
        if key != self._editor_key:
            self._editor_key = key
            had_focus = self.editor is not None and self.editor.isAncestorOf(self.focusWidget() or self)
            if self.editor is not None:
                self.editor.cleanup()
                self.editor.deleteLater()
            self.editor = (make_editor(spec, cond.operator, self.suggest, self.value_holder) if spec
                           else NoValueEditor(FieldSpec("", "", "", "", ()), self.value_holder))
            self.value_layout.addWidget(self.editor)
            self.editor.edited.connect(self._on_value)
            self.editor.settled.connect(self.settled)
            self._chain_tab_order()
            if had_focus:
                self.editor.focus_input()
        assert self.editor is not None
        self.editor.set_operator(cond.operator)
        self.editor.set_value(cond.value)

    def _chain_tab_order(self) -> None:
        # The editor is created after the match box, so Qt's default order (creation order) would visit the
        # match box first: chain field → operator → value inputs → match → remove explicitly.
        assert self.editor is not None
        chain: list[QWidget] = [self.field_button, self.operator, *self.editor.tab_widgets(), self.match,
                                self.remove_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def typing(self) -> bool:
        return self.editor is not None and self.editor.typing()

    def _mark(self, issues: list[Issue]) -> None:
        parts = {"field": self.field_button, "operator": self.operator, "match": self.match}
        for widget in parts.values():
            mark_invalid(widget, False, widget.toolTip() if widget is self.field_button else "")
        if self.editor is not None:
            for part in ("value", "value.0", "value.1"):
                mark_invalid(self.editor.part_widget(part), False)
        for issue in issues:
            part = issue.part or "value"
            if part.startswith("value") and self.editor is not None:
                mark_invalid(self.editor.part_widget(part), True, issue.message)
            elif part in parts:
                mark_invalid(parts[part], True, issue.message)
        self._show_issues(issues)

    def focus_part(self, part: str | None) -> None:
        if part == "operator":
            self.operator.setFocus()
        elif part == "match":
            self.match.setFocus()
        elif part and part.startswith("value") and self.editor is not None:
            self.editor.part_widget(part).setFocus()
        else:
            self.field_button.setFocus()

    def focused_part(self) -> str | None:
        focus = self.focusWidget()
        if focus is None:
            return None
        if focus is self.operator:
            return "operator"
        if focus is self.match:
            return "match"
        if self.editor is not None and (focus is self.editor or self.editor.isAncestorOf(focus)):
            for part in ("value.1", "value.0"):
                if self.editor.part_widget(part).isAncestorOf(focus) or self.editor.part_widget(part) is focus:
                    return part
            return "value"
        return "field"

    def cleanup(self) -> None:
        if self.editor is not None:
            self.editor.cleanup()
