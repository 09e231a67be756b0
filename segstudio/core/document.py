"""The segment being edited: its info, its rule tree with undo history, and the problems to show.

This is the builder's model. Widgets call its edit methods and listen for changes; they never change the tree
themselves. An edit the tree refuses raises `TreeEditError` and leaves everything as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from segstudio.core.catalog import Catalog, Limits
from segstudio.core.history import History
from segstudio.core.rule_tree import Condition, Group, RuleTree
from segstudio.core.validation import Issue, ServerErrors, is_complete, map_server_errors, validate_info, validate_tree

Listener = Callable[[RuleTree, RuleTree], None]


class BuilderDocument:
    def __init__(self, catalog: Catalog, limits: Limits, *, tree: RuleTree | None = None,
                 name: str = "", description: str = "", segment_id: Any = None,
                 merge_window: float = 1.0, clock: Callable[[], float] | None = None) -> None:
        self.catalog = catalog
        self.limits = limits
        self.segment_id = segment_id
        self.name = name
        self.description = description
        start = (tree or RuleTree.empty(limits)).with_limits(limits)
        kwargs: dict[str, Any] = {"merge_window": merge_window}
        if clock is not None:
            kwargs["clock"] = clock
        self.history: History[RuleTree] = History(start, **kwargs)
        self._saved_tree = start.to_json()
        self._saved_info = (name, description)
        self._server = ServerErrors()
        self._listeners: list[Listener] = []
        self._issues_cache: tuple[RuleTree, dict[str, list[Issue]]] | None = None

    # --- observing -----------------------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _emit(self, old: RuleTree, new: RuleTree) -> None:
        for listener in list(self._listeners):
            listener(old, new)

    @property
    def tree(self) -> RuleTree:
        return self.history.present

    # --- editing -------------------------------------------------------------------------------------------

    def apply(self, edit: Callable[[RuleTree], RuleTree], label: str, merge_key: Hashable | None = None,
              touched: str | None = None) -> RuleTree:
        """Run one edit as one undo step; raises TreeEditError (nothing changes) when the tree refuses it."""
        old = self.tree
        new = edit(old)
        if new == old:
            return old
        self.history.push(new, label, merge_key)
        if touched is not None:
            self._server.by_node.pop(touched, None)
        self._emit(old, new)
        return new

    def add_condition(self, group_id: str) -> str:
        cond = Condition()
        self.apply(lambda t: t.add_condition(group_id, cond), "Add condition")
        return cond.id

    def add_group(self, parent_id: str) -> str:
        group = Group("and", (Condition(),))
        self.apply(lambda t: t.add_group(parent_id, group), "Add group")
        return group.id

    def remove(self, node_id: str) -> None:
        self.apply(lambda t: t.remove(node_id), "Remove")
        self._server.by_node.pop(node_id, None)

    def move(self, node_id: str, parent_id: str, index: int) -> None:
        self.apply(lambda t: t.move(node_id, parent_id, index), "Move")

    def step(self, node_id: str, direction: int) -> None:
        self.apply(lambda t: t.step(node_id, direction), "Move up" if direction < 0 else "Move down")

    def toggle_combinator(self, group_id: str) -> None:
        self.apply(lambda t: t.toggle_combinator(group_id), "Switch AND/OR", touched=group_id)

    def set_combinator(self, group_id: str, combinator: str) -> None:
        self.apply(lambda t: t.set_combinator(group_id, combinator), "Switch AND/OR", touched=group_id)

    def set_negate(self, group_id: str, negate: bool) -> None:
        self.apply(lambda t: t.set_negate(group_id, negate), "Switch NOT", touched=group_id)

    def set_field(self, node_id: str, key: str) -> None:
        self.apply(lambda t: t.set_field(node_id, key, self.catalog), "Choose field", touched=node_id)

    def set_operator(self, node_id: str, operator: str) -> None:
        self.apply(lambda t: t.set_operator(node_id, operator, self.catalog), "Choose operator", touched=node_id)

    def set_value(self, node_id: str, value: Any) -> None:
        # Keystrokes in one row merge into one undo step until the user pauses or moves on.
        self.apply(lambda t: t.set_value(node_id, value), "Edit value", merge_key=("value", node_id),
                   touched=node_id)

    def set_match(self, node_id: str, match: str) -> None:
        self.apply(lambda t: t.set_match(node_id, match), "Choose any/all", touched=node_id)

    def undo(self) -> bool:
        if not self.history.can_undo:
            return False
        old = self.tree
        self._emit(old, self.history.undo())
        return True

    def redo(self) -> bool:
        if not self.history.can_redo:
            return False
        old = self.tree
        self._emit(old, self.history.redo())
        return True

    def seal(self) -> None:
        self.history.seal()

    # --- problems ------------------------------------------------------------------------------------------

    def local_issues(self) -> dict[str, list[Issue]]:
        tree = self.tree
        if self._issues_cache is None or self._issues_cache[0] is not tree:
            self._issues_cache = (tree, validate_tree(tree, self.catalog))
        return self._issues_cache[1]

    def issues(self) -> dict[str, list[Issue]]:
        """Local problems and the server's, by node id (server messages stay until their row is edited)."""
        merged = {k: list(v) for k, v in self.local_issues().items()}
        known = set(self.tree.ids())
        for node_id, issues in self._server.by_node.items():
            if node_id in known:
                merged.setdefault(node_id, []).extend(i for i in issues if i not in merged.get(node_id, []))
        return merged

    def info_issues(self) -> dict[str, str]:
        problems = validate_info(self.name, self.description)
        for key, message in self._server.info.items():
            problems.setdefault(key, message)
        return problems

    @property
    def general_errors(self) -> list[str]:
        return list(self._server.general)

    def apply_server_errors(self, fields: dict[str, str], against: RuleTree | None = None) -> ServerErrors:
        """Show a 400's messages on their rows. `against` is the tree the request was built from (a preview
        sends the tree without incomplete rows, so its indexes differ; node ids do not)."""
        self._server = map_server_errors(against or self.tree, fields)
        self._emit(self.tree, self.tree)
        return self._server

    def clear_server_errors(self) -> None:
        self._server = ServerErrors()

    def set_info(self, name: str, description: str) -> None:
        self.name = name
        self.description = description
        self._server.info.clear()

    @property
    def can_save(self) -> bool:
        return not self.issues() and not self.info_issues()

    def preview_rules(self) -> tuple[dict[str, Any], int]:
        """The rules to preview (conditions still being filled in left out) and how many were left out."""
        pruned = self.tree.pruned(lambda c: is_complete(c, self.catalog))
        left_out = len(self.tree.conditions()) - len(pruned.conditions())
        return pruned.to_json(), left_out

    # --- saving --------------------------------------------------------------------------------------------

    def payload(self) -> dict[str, Any]:
        return {"name": self.name.strip(), "description": self.description.strip() or None,
                "rules": self.tree.to_json()}

    @property
    def dirty(self) -> bool:
        return self.tree.to_json() != self._saved_tree or (self.name, self.description) != self._saved_info

    def mark_saved(self, segment_id: Any) -> None:
        self.segment_id = segment_id
        self._saved_tree = self.tree.to_json()
        self._saved_info = (self.name, self.description)
        self._server = ServerErrors()
