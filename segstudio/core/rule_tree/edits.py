"""Edits in place: adding and removing conditions and groups within the limits, and changing a condition's
field, operator, value or match (carrying the value over where the user would expect it to stay)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, Self

from segstudio.core.catalog import Catalog, FieldSpec, ValueKind
from segstudio.core.rule_tree.base import TreeBase
from segstudio.core.rule_tree.nodes import COMBINATORS, MATCHES, Condition, Group, Node, TreeEditError


class TreeEdits(TreeBase):
    def add_condition(self, group_id: str, condition: Condition | None = None, index: int | None = None) -> Self:
        group = self.group(group_id)
        blocker = self._condition_room(group, exclude=None)
        if blocker:
            raise TreeEditError(blocker)
        return self._insert(group_id, self._check_index(group, index), condition or Condition())

    def add_group(self, parent_id: str, group: Group | None = None, index: int | None = None) -> Self:
        """Add a group; a new one starts with an empty condition so the user can fill it in at once."""
        parent = self.group(parent_id)
        new = group or Group("and", (Condition(),))
        blocker = self._group_room(parent, new, exclude=None)
        if blocker:
            raise TreeEditError(blocker)
        return self._insert(parent_id, self._check_index(parent, index), new)

    def remove(self, node_id: str) -> Self:
        """Remove a condition, or a group with everything in it; the rest keeps its order and settings."""
        path = self.path_of(node_id)
        if not path:
            raise TreeEditError("The top-level group cannot be removed.")
        return self._replace_path(path, None)

    def set_combinator(self, group_id: str, combinator: str) -> Self:
        if combinator not in COMBINATORS:
            raise TreeEditError("Choose AND or OR.")
        self.group(group_id)
        return self._update(group_id, combinator=combinator)

    def toggle_combinator(self, group_id: str) -> Self:
        group = self.group(group_id)
        return self.set_combinator(group_id, "or" if group.combinator == "and" else "and")

    def set_negate(self, group_id: str, negate: bool) -> Self:
        """Make a group a NOT group (it then matches whom it would not) or an ordinary one again."""
        self.group(group_id)
        return self._update(group_id, negate=bool(negate))

    def toggle_negate(self, group_id: str) -> Self:
        return self.set_negate(group_id, not self.group(group_id).negate)

    def set_field(self, node_id: str, key: str, catalog: Catalog) -> Self:
        """Choose a field. The operator survives when the new field offers it; the value survives when it
        still has the same shape; otherwise both start over from the new field's first operator."""
        cond = self.condition(node_id)
        spec = catalog.get(key)
        if spec is None:
            raise TreeEditError("That field is not in the catalog.")
        old_spec = catalog.get(cond.field)
        operator = cond.operator if cond.operator in spec.operators else (spec.operators[0] if spec.operators
                                                                            else None)
        value = None
        if (old_spec is not None and operator == cond.operator
                and old_spec.value_kind(operator) == spec.value_kind(operator)
                and old_spec.family == spec.family and _fits_options(cond.value, spec)):
            value = cond.value
        match = (cond.match or "any") if spec.match_applies else None
        return self._update(node_id, field=key, operator=operator, value=value, match=match)

    def set_operator(self, node_id: str, operator: str, catalog: Catalog) -> Self:
        """Choose an operator, carrying the value over when it still makes sense (5 → between 5 and …)."""
        cond = self.condition(node_id)
        spec = catalog.get(cond.field)
        if spec is not None and spec.operators and operator not in spec.operators:
            raise TreeEditError(f"“{operator}” does not apply to {spec.label}.")
        if spec is None:
            return self._update(node_id, operator=operator)
        value = convert_value(cond.value, spec.value_kind(cond.operator), spec.value_kind(operator))
        return self._update(node_id, operator=operator, value=value)

    def set_value(self, node_id: str, value: Any) -> Self:
        self.condition(node_id)
        return self._update(node_id, value=value)

    def set_match(self, node_id: str, match: str) -> Self:
        if match not in MATCHES:
            raise TreeEditError("Choose any or all.")
        self.condition(node_id)
        return self._update(node_id, match=match)

    # --- derived trees -------------------------------------------------------------------------------------

    def pruned(self, keep: Callable[[Condition], bool]) -> Self:
        """The tree without conditions `keep` rejects and without groups left empty (the root stays)."""

        def prune(group: Group) -> Group:
            kept: list[Node] = []
            for child in group.rules:
                if isinstance(child, Group):
                    inner = prune(child)
                    if inner.rules:
                        kept.append(inner)
                elif keep(child):
                    kept.append(child)
            return replace(group, rules=tuple(kept))

        return replace(self, root=prune(self.root))


def _fits_options(value: Any, spec: FieldSpec) -> bool:
    if spec.options is None or value is None:
        return True
    values = value if isinstance(value, tuple) else (value,)
    return all(v in spec.options for v in values)


def convert_value(value: Any, old: ValueKind, new: ValueKind) -> Any:
    """Carry a value across an operator change where the user would expect it to stay."""
    if value is None or old == new:
        return value
    singles = {ValueKind.NUMBER: ValueKind.NUMBER_RANGE, ValueKind.DATE: ValueKind.DATE_RANGE}
    if singles.get(old) == new:
        return (value, None)
    if singles.get(new) == old and isinstance(value, tuple):
        return value[0] if value else None
    if {old, new} <= {ValueKind.TEXT, ValueKind.CHOICE} and isinstance(value, str):
        return value
    if old in (ValueKind.CHOICE, ValueKind.TEXT) and new == ValueKind.MULTI and isinstance(value, str):
        return (value,) if value else None  # "is Jakarta" -> "is any of Jakarta"
    if old == ValueKind.MULTI and new in (ValueKind.CHOICE, ValueKind.TEXT) and isinstance(value, tuple) \
            and len(value) == 1 and isinstance(value[0], str):
        return value[0]  # and back, while there is one value
    return None
