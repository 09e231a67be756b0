"""The segment condition tree as plain, immutable Python with stable node ids.

Every edit returns a new `RuleTree` and leaves the old one untouched, so the undo history can keep snapshots
and the Qt adapter can compare before and after. Nodes are addressed by id (stable across moves) or by path
(a tuple of child indexes from the root, which shifts when things move). An edit that the tree refuses
(moving the root, breaking the org's limits, ...) raises `TreeEditError` whose `reason` is a sentence for the
user.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from dataclasses import field as dc_field
from typing import Any, TypeAlias

from segstudio.core.catalog import Catalog, FieldSpec, Limits, ValueKind

_ids = itertools.count(1)

Path: TypeAlias = tuple[int, ...]
COMBINATORS = ("and", "or")
MATCHES = ("any", "all")


def new_id() -> str:
    return f"n{next(_ids)}"


def _freeze(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def _thaw(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_thaw(v) for v in value]
    return value


@dataclass(frozen=True)
class Condition:
    field: str | None = None
    operator: str | None = None
    value: Any = None
    match: str | None = None
    id: str = dc_field(default_factory=new_id)

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", _freeze(self.value))

    @property
    def is_group(self) -> bool:
        return False


@dataclass(frozen=True)
class Group:
    combinator: str = "and"
    rules: tuple[Node, ...] = ()
    id: str = dc_field(default_factory=new_id)

    @property
    def is_group(self) -> bool:
        return True

    @property
    def conditions(self) -> list[Condition]:
        return [n for n in self.rules if isinstance(n, Condition)]

    @property
    def groups(self) -> list[Group]:
        return [n for n in self.rules if isinstance(n, Group)]

    def height(self) -> int:
        """How many group levels hang below this one (0 for a group holding only conditions)."""
        return max((1 + g.height() for g in self.groups), default=0)

    def contains(self, node_id: str) -> bool:
        return any(n.id == node_id or (isinstance(n, Group) and n.contains(node_id)) for n in self.rules)


Node: TypeAlias = Condition | Group


class TreeEditError(ValueError):
    """An edit the tree refuses; `reason` says why in words a user understands."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@dataclass(frozen=True)
class RuleTree:
    root: Group = dc_field(default_factory=Group)
    limits: Limits = dc_field(default_factory=Limits)

    # --- construction and the wire format ------------------------------------------------------------------

    @classmethod
    def empty(cls, limits: Limits | None = None, *, with_condition: bool = True) -> RuleTree:
        rules: tuple[Node, ...] = (Condition(),) if with_condition else ()
        return cls(Group("and", rules), limits or Limits())

    @classmethod
    def from_json(cls, data: Mapping[str, Any], limits: Limits | None = None) -> RuleTree:
        node = _node_from_json(data)
        if not isinstance(node, Group):
            raise ValueError("The rules must be a group with a combinator and rules.")
        return cls(node, limits or Limits())

    def to_json(self) -> dict[str, Any]:
        return _node_to_json(self.root)

    def with_limits(self, limits: Limits) -> RuleTree:
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

    # --- structural edits ----------------------------------------------------------------------------------

    def _replace_path(self, path: Path, new: Node | None) -> RuleTree:
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

    def _insert(self, parent_id: str, index: int, node: Node) -> RuleTree:
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

    def add_condition(self, group_id: str, condition: Condition | None = None, index: int | None = None) -> RuleTree:
        group = self.group(group_id)
        blocker = self._condition_room(group, exclude=None)
        if blocker:
            raise TreeEditError(blocker)
        return self._insert(group_id, self._check_index(group, index), condition or Condition())

    def add_group(self, parent_id: str, group: Group | None = None, index: int | None = None) -> RuleTree:
        """Add a group; a new one starts with an empty condition so the user can fill it in at once."""
        parent = self.group(parent_id)
        new = group or Group("and", (Condition(),))
        blocker = self._group_room(parent, new, exclude=None)
        if blocker:
            raise TreeEditError(blocker)
        return self._insert(parent_id, self._check_index(parent, index), new)

    def remove(self, node_id: str) -> RuleTree:
        """Remove a condition, or a group with everything in it; the rest keeps its order and settings."""
        path = self.path_of(node_id)
        if not path:
            raise TreeEditError("The top-level group cannot be removed.")
        return self._replace_path(path, None)

    def move(self, node_id: str, parent_id: str, index: int) -> RuleTree:
        """Move a node into `parent_id` before the child now at `index` (Qt drop semantics: `index` counts
        the node's current position too when it moves within its own group)."""
        src_path = self.path_of(node_id)
        if not src_path:
            raise TreeEditError("The top-level group cannot be moved.")
        node = self.node_at(src_path)
        if parent_id == node_id or (isinstance(node, Group) and node.contains(parent_id)):
            raise TreeEditError("A group cannot be moved into itself.")
        dest = self.find(parent_id)
        if not isinstance(dest, Group):
            raise TreeEditError("Conditions can only be placed inside a group.")
        index = self._check_index(dest, index)
        old_parent = self.node_at(src_path[:-1])
        old_index = src_path[-1]
        if old_parent.id == parent_id and index in (old_index, old_index + 1):
            raise TreeEditError("It is already in that place.")
        if old_parent.id != parent_id:
            if isinstance(node, Group):
                blocker = self._group_room(dest, node, exclude=node.id)
            else:
                blocker = self._condition_room(dest, exclude=node.id)
            if blocker:
                raise TreeEditError(blocker)
        removed = self._replace_path(src_path, None)
        if old_parent.id == parent_id and index > old_index:
            index -= 1
        return removed._insert(parent_id, index, node)

    def move_path(self, src: Path, dst: Path) -> RuleTree:
        """`move` addressed by paths: `dst` is the destination group's path plus the insertion index."""
        if not src:
            raise TreeEditError("The top-level group cannot be moved.")
        if not dst:
            raise TreeEditError("Choose a place inside a group.")
        try:
            node = self.node_at(src)
            parent = self.node_at(dst[:-1])
        except KeyError as exc:
            raise TreeEditError("That place does not exist.") from exc
        return self.move(node.id, parent.id, dst[-1])

    def step_target(self, node_id: str, direction: int) -> tuple[str, int]:
        """Where Alt+Up (-1) / Alt+Down (+1) takes a node: past its neighbour, into an adjacent group, or out
        of its group at the edge. Raises TreeEditError at the very top or bottom."""
        path = self.path_of(node_id)
        if not path:
            raise TreeEditError("The top-level group cannot be moved.")
        node = self.node_at(path)
        parent = self.node_at(path[:-1])
        assert isinstance(parent, Group)
        i = path[-1]
        neighbour_index = i + direction
        if 0 <= neighbour_index < len(parent.rules):
            neighbour = parent.rules[neighbour_index]
            if isinstance(neighbour, Group):
                room = (self._group_room(neighbour, node, exclude=None) if isinstance(node, Group)
                        else self._condition_room(neighbour, exclude=None))
                if room is None:
                    return neighbour.id, (len(neighbour.rules) if direction < 0 else 0)
            return parent.id, (neighbour_index if direction < 0 else neighbour_index + 1)
        if len(path) == 1:
            raise TreeEditError("It is already at the top." if direction < 0 else "It is already at the bottom.")
        grandparent = self.node_at(path[:-2])
        parent_index = path[-2]
        return grandparent.id, (parent_index if direction < 0 else parent_index + 1)

    def step(self, node_id: str, direction: int) -> RuleTree:
        parent_id, index = self.step_target(node_id, direction)
        return self.move(node_id, parent_id, index)

    # --- attribute edits -----------------------------------------------------------------------------------

    def _update(self, node_id: str, **changes: Any) -> RuleTree:
        path = self.path_of(node_id)
        return self._replace_path(path, replace(self.node_at(path), **changes))

    def set_combinator(self, group_id: str, combinator: str) -> RuleTree:
        if combinator not in COMBINATORS:
            raise TreeEditError("Choose AND or OR.")
        self.group(group_id)
        return self._update(group_id, combinator=combinator)

    def toggle_combinator(self, group_id: str) -> RuleTree:
        group = self.group(group_id)
        return self.set_combinator(group_id, "or" if group.combinator == "and" else "and")

    def set_field(self, node_id: str, key: str, catalog: Catalog) -> RuleTree:
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

    def set_operator(self, node_id: str, operator: str, catalog: Catalog) -> RuleTree:
        """Choose an operator, carrying the value over when it still makes sense (5 → between 5 and …)."""
        cond = self.condition(node_id)
        spec = catalog.get(cond.field)
        if spec is not None and spec.operators and operator not in spec.operators:
            raise TreeEditError(f"“{operator}” does not apply to {spec.label}.")
        if spec is None:
            return self._update(node_id, operator=operator)
        value = convert_value(cond.value, spec.value_kind(cond.operator), spec.value_kind(operator))
        return self._update(node_id, operator=operator, value=value)

    def set_value(self, node_id: str, value: Any) -> RuleTree:
        self.condition(node_id)
        return self._update(node_id, value=value)

    def set_match(self, node_id: str, match: str) -> RuleTree:
        if match not in MATCHES:
            raise TreeEditError("Choose any or all.")
        self.condition(node_id)
        return self._update(node_id, match=match)

    # --- derived trees -------------------------------------------------------------------------------------

    def pruned(self, keep: Callable[[Condition], bool]) -> RuleTree:
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
    if old == ValueKind.CHOICE and new == ValueKind.MULTI and isinstance(value, str):
        return (value,)
    return None


def _node_from_json(data: Any) -> Node:
    if not isinstance(data, Mapping):
        raise ValueError("Every rule must be an object.")
    if "combinator" in data or "rules" in data:
        combinator = str(data.get("combinator", "and")).lower()
        if combinator not in COMBINATORS:
            raise ValueError(f"Unknown combinator {combinator!r}.")
        rules = data.get("rules") or []
        if not isinstance(rules, list | tuple):
            raise ValueError("A group's rules must be a list.")
        return Group(combinator, tuple(_node_from_json(r) for r in rules))
    match = data.get("match")
    return Condition(field=data.get("field"), operator=data.get("operator"), value=data.get("value"),
                     match=match if match in MATCHES else None)


def _node_to_json(node: Node) -> dict[str, Any]:
    if isinstance(node, Group):
        return {"combinator": node.combinator, "rules": [_node_to_json(n) for n in node.rules]}
    out: dict[str, Any] = {"field": node.field, "operator": node.operator, "value": _thaw(node.value)}
    if node.match is not None:
        out["match"] = node.match
    return out
