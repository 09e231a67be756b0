"""The builder's Tab order: the step's top bar, then the rows from the top of the tree down (in each row as
it reads: field, operator, value, any/all, remove), then the preview.

The list is recomputed at each Tab press (`TabWalker`), so rows rebuilt and value editors swapped are always
in place. (Rearranging Qt's own chain with setTabOrder around the editors, which hand focus to an inner
input, crashed Qt 6.12 when those editors were later deleted.)"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from segstudio.widgets.tab_order import TabWalker, in_layout_order

if TYPE_CHECKING:
    from segstudio.views.builder.view import BuilderView


def builder_stops(view: BuilderView) -> list[QWidget]:
    stops: list[QWidget] = []
    names = ("back_button", "undo_button", "redo_button", "cancel_button", "save_button")
    bar = [getattr(view.rules_page, name, None) for name in names]
    stops.extend(w for w in bar if isinstance(w, QWidget))
    tree_view = view.tree_view
    if tree_view is not None:
        for _path, node in tree_view.rule_model.tree.walk():
            row = tree_view.rows.get(node.id)
            if row is not None:
                stops.extend(in_layout_order(row))
    stops.extend(in_layout_order(view.preview_panel))
    return stops


def install(view: BuilderView) -> TabWalker:
    """Tab follows `builder_stops` on the conditions step (the info step's order is its layout's)."""
    return TabWalker(view.rules_page, lambda: builder_stops(view))


def apply(view: BuilderView) -> None:
    tree_view = view.tree_view
    if tree_view is not None:
        # The rows carry the keyboard; the bare tree would be a Tab stop that shows nothing.
        tree_view.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
