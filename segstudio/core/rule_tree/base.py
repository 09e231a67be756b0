"""The tree itself: construction, lookup by id or path, the organisation's limits, and rebuilding a path.

`TreeBase` holds the root and limits; `edits` and `moves` add the operations, and `RuleTree` combines them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from typing import Any, Self

from segstudio.core.catalog import Limits
from segstudio.core.rule_tree.nodes import (
    Condition,
    Group,
    Node,
    Path,
    TreeEditError,
    node_from_json,
    node_to_json,
)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@dataclass(frozen=True)
class TreeBase:
    root: Group = dc_field(default_factory=Group)
    limits: Limits = dc_field(default_factory=Limits)

    # --- construction and the wire format ------------------------------------------------------------------

    @classmethod
    def empty(cls, limits: Limits | None = None, *, with_condition: bool = True) -> Self:
        rules: tuple[Node, ...] = (Condition(),) if with_condition else ()
        return cls(Group("and", rules), limits or Limits())

    @classmethod
    def from_json(cls, data: Mapping[str, Any], limits: Limits | None = None) -> Self:
        node = node_from_json(data)
        if not isinstance(node, Group):
            raise ValueError("The rules must be a group with a combinator and rules.")
        return cls(node, limits or Limits())

    def to_json(self) -> dict[str, Any]:
        return node_to_json(self.root)

    def with_limits(self, limits: Limits) -> Self:
        return replace(self, limits=limits)

    # --- lookup --------------------------------------------------------------------------------------------

    def walk(self) -> Iterator[tuple[Path, Node]]:
        """Every node with its path, depth first, parents before children."""

        def visit(node: Node, path: Path) -> Iterator[tuple[Path, Node]]:
            yield path, node
            if isinstance(node, Group):
                for i, child in enumerate(node.rules):
                    yield from visit(child, (*path, i))

        yield from visit(self.root, ())

    def ids(self) -> list[str]:
        return [node.id for _, node in self.walk()]

    def node_at(self, path: Path) -> Node:
        node: Node = self.root
        for i in path:
            if not isinstance(node, Group) or not 0 <= i < len(node.rules):
                raise KeyError(path)
            node = node.rules[i]
        return node

    def path_of(self, node_id: str) -> Path:
        for path, node in self.walk():
            if node.id == node_id:
                return path
        raise KeyError(node_id)

    def find(self, node_id: str) -> Node:
        return self.node_at(self.path_of(node_id))

    def __contains__(self, node_id: object) -> bool:
        return any(node.id == node_id for _, node in self.walk())

    def group(self, group_id: str) -> Group:
        node = self.find(group_id)
        if not isinstance(node, Group):
            raise TreeEditError("Only a group can hold conditions.")
        return node

    def condition(self, node_id: str) -> Condition:
        node = self.find(node_id)
        if not isinstance(node, Condition):
            raise KeyError(node_id)
        return node

    def parent_of(self, node_id: str) -> Group | None:
        path = self.path_of(node_id)
        if not path:
            return None
        parent = self.node_at(path[:-1])
        assert isinstance(parent, Group)
        return parent

    def depth(self, node_id: str) -> int:
        return len(self.path_of(node_id))

    def conditions(self) -> list[Condition]:
        return [n for _, n in self.walk() if isinstance(n, Condition)]

    # --- limits --------------------------------------------------------------------------------------------

    def add_condition_blocker(self, group_id: str) -> str | None:
        """Why no condition can be added to this group, or None when one can."""
        group = self.group(group_id)
        return self._condition_room(group, exclude=None)

    def add_group_blocker(self, parent_id: str) -> str | None:
        """Why no group can be added under this group, or None when one can."""
        parent = self.group(parent_id)
        return self._group_room(parent, Group(), exclude=None)

    def _condition_room(self, group: Group, exclude: str | None) -> str | None:
        count = sum(1 for c in group.conditions if c.id != exclude)
        if count >= self.limits.max_conditions:
            where = "The top level" if group.id == self.root.id else "This group"
            return (f"{where} already has {_plural(count, 'condition')}, "
                    f"the most your organisation allows.")
        return None

    def _group_room(self, parent: Group, incoming: Group, exclude: str | None) -> str | None:
        depth = self.depth(parent.id) + 1 + incoming.height()
        if depth > self.limits.max_depth:
            if self.limits.max_depth <= 0:
                return "Your organisation does not allow criteria groups."
            return f"Groups can be nested only {_plural(self.limits.max_depth, 'level')} deep."
        count = sum(1 for g in parent.groups if g.id != exclude)
        if count >= self.limits.max_groups:
            where = "The top level" if parent.id == self.root.id else "This group"
            return f"{where} already has {_plural(count, 'group')}, the most your organisation allows."
        return None

    def limit_problems(self) -> dict[str, str]:
        """Groups that break the limits as they stand (a tree saved before an org lowered its limits)."""
        problems: dict[str, str] = {}
        for path, node in self.walk():
            if not isinstance(node, Group):
                continue
            if len(path) > self.limits.max_depth:
                problems[node.id] = f"Groups can be nested only {_plural(self.limits.max_depth, 'level')} deep."
            elif len(node.conditions) > self.limits.max_conditions:
                problems[node.id] = (f"A group can hold at most {_plural(self.limits.max_conditions, 'condition')}; "
                                     f"remove {len(node.conditions) - self.limits.max_conditions}.")
            elif len(node.groups) > self.limits.max_groups:
                problems[node.id] = (f"A group can hold at most {_plural(self.limits.max_groups, 'group')}; "
                                     f"remove {len(node.groups) - self.limits.max_groups}.")
        return problems
    # --- rebuilding ----------------------------------------------------------------------------------------

    def _replace_path(self, path: Path, new: Node | None) -> Self:
        """A tree with the node at `path` replaced by `new` (or removed when `new` is None)."""

        def rebuild(node: Group, rest: Path) -> Group:
            i = rest[0]
            if len(rest) == 1:
                children = list(node.rules)
                if new is None:
                    del children[i]
                else:
                    children[i] = new
                return replace(node, rules=tuple(children))
            child = node.rules[i]
            assert isinstance(child, Group)
            children = list(node.rules)
            children[i] = rebuild(child, rest[1:])
            return replace(node, rules=tuple(children))

        if not path:
            assert isinstance(new, Group)
            return replace(self, root=new)
        return replace(self, root=rebuild(self.root, path))

    def _insert(self, parent_id: str, index: int, node: Node) -> Self:
        parent = self.group(parent_id)
        children = list(parent.rules)
        children.insert(index, node)
        return self._replace_path(self.path_of(parent_id), replace(parent, rules=tuple(children)))

    def _check_index(self, parent: Group, index: int | None) -> int:
        if index is None:
            return len(parent.rules)
        if not 0 <= index <= len(parent.rules):
            raise TreeEditError(f"Position {index} is outside the group.")
        return index

    def _update(self, node_id: str, **changes: Any) -> Self:
        path = self.path_of(node_id)
        return self._replace_path(path, replace(self.node_at(path), **changes))
