"""Type-aware value editors for one condition row, chosen by the `ValueKind` of the field and operator.

One module per family: `text` (typed or chosen values with suggestions), `numbers`, `dates`, `options`
(true/false and checklists), `tags` (several typed values) and `ranges`; `base` holds what they share.

Each editor shows a value and emits `edited(value)` when the user changes it; `set_value` updates the display
with signals blocked so the document and the widget never ping-pong. Editors keep what the user typed even
when it is not valid yet (letters in a number field reach the document as text, where validation flags it).
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from segstudio.core.catalog import FieldSpec, ValueKind
from segstudio.widgets.builder.editors.base import (
    NoValueEditor,
    SuggestFn,
    UndoRouter,
    ValueEditor,
    mark_invalid,
    route_undo,
)
from segstudio.widgets.builder.editors.dates import DateEditor
from segstudio.widgets.builder.editors.numbers import DaysEditor, NumberEditor
from segstudio.widgets.builder.editors.options import BooleanEditor, ChecklistPopup, MultiEditor
from segstudio.widgets.builder.editors.ranges import RangeEditor
from segstudio.widgets.builder.editors.tags import TagEditor
from segstudio.widgets.builder.editors.text import ChoiceEditor, Suggester, TextEditor

__all__ = [
    "BooleanEditor",
    "ChecklistPopup",
    "ChoiceEditor",
    "DateEditor",
    "DaysEditor",
    "MultiEditor",
    "NoValueEditor",
    "NumberEditor",
    "RangeEditor",
    "SuggestFn",
    "Suggester",
    "TagEditor",
    "TextEditor",
    "UndoRouter",
    "ValueEditor",
    "make_editor",
    "mark_invalid",
    "route_undo",
]


def make_editor(spec: FieldSpec, operator: str | None, suggest: SuggestFn | None,
                parent: QWidget | None = None) -> ValueEditor:
    kind = spec.value_kind(operator)
    if kind is ValueKind.TEXT:
        return TextEditor(spec, suggest, parent)
    if kind is ValueKind.CHOICE:
        return ChoiceEditor(spec, suggest, parent)
    if kind is ValueKind.MULTI:
        # Fixed options are the whole choice (a checklist); otherwise values are typed, with suggestions.
        return MultiEditor(spec, parent) if spec.options else TagEditor(spec, suggest, parent)
    if kind is ValueKind.NUMBER:
        return NumberEditor(spec, parent)
    if kind in (ValueKind.NUMBER_RANGE, ValueKind.DATE_RANGE):
        return RangeEditor(spec, kind, parent)
    if kind is ValueKind.DATE:
        return DateEditor(spec, parent)
    if kind is ValueKind.DAYS:
        return DaysEditor(spec, parent)
    if kind is ValueKind.BOOLEAN:
        return BooleanEditor(spec, parent)
    return NoValueEditor(spec, parent)
