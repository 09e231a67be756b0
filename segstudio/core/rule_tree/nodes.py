"""The tree's nodes: immutable conditions and groups with stable ids, and their JSON wire format."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any, TypeAlias

_ids = itertools.count(1)

Path: TypeAlias = tuple[int, ...]
COMBINATORS = ("and", "or")
MATCHES = ("any", "all", "none")


_OWN_ID = re.compile(r"^n(\d+)$")


def new_id() -> str:
    return f"n{next(_ids)}"


def _reserve(node_id: str) -> None:
    """A loaded id in our own "n<number>" form: later new ids count on from past it, so they never repeat it."""
    global _ids
    own = _OWN_ID.match(node_id)
    if own is not None:
        current = next(_ids)
        _ids = itertools.count(max(current, int(own.group(1)) + 1))


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
    negate: bool = False  # the wire's `"not": true`: matches whom the group without it does not

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


def node_from_json(data: Any, _seen: set[str] | None = None) -> Node:
    """A node from the wire. A node's `id` is kept (the server stores it, and per-node answers are matched to
    rows by it); a node without one, or repeating one already read, gets a new id."""
    if not isinstance(data, Mapping):
        raise ValueError("Every rule must be an object.")
    seen = set() if _seen is None else _seen
    raw_id = data.get("id")
    node_id = str(raw_id) if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) and raw_id != "" else None
    if node_id is None or node_id in seen:
        node_id = new_id()
    else:
        _reserve(node_id)
    seen.add(node_id)
    if "combinator" in data or "rules" in data:
        combinator = str(data.get("combinator", "and")).lower()
        if combinator not in COMBINATORS:
            raise ValueError(f"Unknown combinator {combinator!r}.")
        rules = data.get("rules") or []
        if not isinstance(rules, list | tuple):
            raise ValueError("A group's rules must be a list.")
        return Group(combinator, tuple(node_from_json(r, seen) for r in rules), id=node_id,
                     negate=data.get("not") is True)
    match = data.get("match")
    return Condition(field=data.get("field"), operator=data.get("operator"), value=data.get("value"),
                     match=match if match in MATCHES else None, id=node_id)


def node_to_json(node: Node) -> dict[str, Any]:
    if isinstance(node, Group):
        out_group: dict[str, Any] = {"id": node.id, "combinator": node.combinator,
                                     "rules": [node_to_json(n) for n in node.rules]}
        if node.negate:
            out_group["not"] = True
        return out_group
    out: dict[str, Any] = {"id": node.id, "field": node.field, "operator": node.operator, "value": _thaw(node.value)}
    if node.match is not None:
        out["match"] = node.match
    return out
