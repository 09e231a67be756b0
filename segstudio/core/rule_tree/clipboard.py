"""Copying, pasting and duplicating conditions and groups: the clipboard text, its validation, and where a
pasted node lands.

The clipboard carries JSON: `{"kind": "segstudio/rule-node", "version": 1, "node": {...}}` where the node is
the contract's condition or group shape. A bare condition or group object (e.g. copied out of an API answer)
is accepted too. Pasting validates the shape and the catalog (the field exists and is in the package, the
operator applies to it) and says what is wrong in a sentence; a pasted node always gets fresh ids, so a copy
never aliases its original.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from segstudio.core.catalog import Catalog
from segstudio.core.rule_tree.base import TreeBase
from segstudio.core.rule_tree.nodes import (
    COMBINATORS,
    MATCHES,
    Condition,
    Group,
    Node,
    Path,
    TreeEditError,
    node_from_json,
    node_to_json,
)

CLIPBOARD_KIND = "segstudio/rule-node"
CLIPBOARD_VERSION = 1
MIME_TYPE = "application/x-segstudio-rule-node+json"
_CONDITION_KEYS = frozenset({"field", "operator", "value", "match", "id"})
_GROUP_KEYS = frozenset({"combinator", "rules", "id", "not"})


class ClipboardError(ValueError):
    """The clipboard (or a file) does not hold something the builder can use; `reason` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def without_ids(data: Any) -> Any:
    """Rule JSON with every node's `id` left out: a copy is a new node wherever it lands, and ids belong to
    the segment they were saved in."""
    if isinstance(data, Mapping):
        return {k: without_ids(v) if k == "rules" else v for k, v in data.items() if k != "id"}
    if isinstance(data, list | tuple):
        return [without_ids(v) for v in data]
    return data


def node_to_clipboard(node: Node) -> str:
    return json.dumps({"kind": CLIPBOARD_KIND, "version": CLIPBOARD_VERSION,
                       "node": without_ids(node_to_json(node))}, ensure_ascii=False, indent=2)


def fresh_copy(node: Node) -> Node:
    """The same condition or group with new ids throughout."""
    return node_from_json(without_ids(node_to_json(node)))


def where(path: Path) -> str:
    """A path in words: (1, 0) → "rule 2 › rule 1" (numbered as the user sees them, from 1)."""
    return " › ".join(f"rule {i + 1}" for i in path) if path else "the top level"


def shape_problems(data: Any, path: Path = ()) -> list[str]:
    """What makes `data` not a condition or group of the contract, each problem prefixed with where it is."""
    at = f"{where(path).capitalize()}: " if path else ""
    if not isinstance(data, Mapping):
        return [f"{at}every rule must be an object."]
    if "combinator" in data or "rules" in data:
        problems = []
        unknown = sorted(set(data) - _GROUP_KEYS)
        if unknown:
            problems.append(f"{at}unknown key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} in a group.")
        combinator = data.get("combinator", "and")
        if not isinstance(combinator, str) or combinator.lower() not in COMBINATORS:
            problems.append(f"{at}the combinator must be “and” or “or”, not {json.dumps(combinator)}.")
        rules = data.get("rules", [])
        if not isinstance(rules, list):
            return [*problems, f"{at}a group's rules must be a list."]
        for i, child in enumerate(rules):
            problems.extend(shape_problems(child, (*path, i)))
        return problems
    problems = []
    unknown = sorted(set(data) - _CONDITION_KEYS)
    if unknown:
        problems.append(f"{at}unknown key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)} in a condition.")
    for key in ("field", "operator"):
        if data.get(key) is not None and not isinstance(data.get(key), str):
            problems.append(f"{at}“{key}” must be text.")
    if data.get("match") is not None and data.get("match") not in MATCHES:
        problems.append(f"{at}“match” must be “any”, “all” or “none”.")
    return problems


def catalog_problems(node: Node, catalog: Catalog, path: Path = ()) -> list[str]:
    """Fields the catalog does not know or the package does not include, and operators a field does not take."""
    at = f"{where(path).capitalize()}: " if path else ""
    if isinstance(node, Group):
        out: list[str] = []
        for i, child in enumerate(node.rules):
            out.extend(catalog_problems(child, catalog, (*path, i)))
        return out
    if node.field is None:
        return []
    spec = catalog.get(node.field)
    if spec is None:
        return [f"{at}there is no field “{node.field}” in this organisation."]
    if not spec.available:
        return [f"{at}“{spec.label}” is not included in your package."]
    if node.operator is not None and spec.operators and node.operator not in spec.operators:
        return [f"{at}“{node.operator}” does not apply to {spec.label}."]
    return []


def parse_node(data: Any, catalog: Catalog) -> Node:
    """A node from its JSON, with fresh ids (any in the JSON are dropped); raises ClipboardError listing every
    problem found."""
    problems = shape_problems(data)
    if problems:
        raise ClipboardError(_sentence(problems))
    node = node_from_json(without_ids(data))
    problems = catalog_problems(node, catalog)
    if problems:
        raise ClipboardError(_sentence(problems))
    return node


def node_from_clipboard(text: str, catalog: Catalog) -> Node:
    """The condition or group the clipboard text holds; ClipboardError when it holds none."""
    if not text or not text.strip():
        raise ClipboardError("The clipboard is empty. Copy a condition or group first.")
    try:
        data = json.loads(text)
    except ValueError:
        raise ClipboardError("The clipboard does not hold a condition or group (it is not JSON).") from None
    if isinstance(data, Mapping) and "kind" in data:
        if data.get("kind") != CLIPBOARD_KIND:
            raise ClipboardError(f"The clipboard holds a “{data.get('kind')}”, not a condition or group.")
        if data.get("version") != CLIPBOARD_VERSION:
            raise ClipboardError(f"The clipboard holds version {data.get('version')} of a condition; "
                                 f"this app reads version {CLIPBOARD_VERSION}.")
        data = data.get("node")
    return parse_node(data, catalog)


def _sentence(problems: list[str]) -> str:
    text = problems[0][0].upper() + problems[0][1:]
    if len(problems) > 1:
        text += f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})"
    return text


# --- where a pasted or duplicated node goes ----------------------------------------------------------------

def insert_near(tree: TreeBase, node: Node, target_id: str) -> Any:
    """`tree` with `node` pasted at `target_id`: into it when it is a group (at the end), else right after it.
    Raises TreeEditError when the organisation's limits leave no room there."""
    target = tree.find(target_id)
    if isinstance(target, Group):
        parent_id, index = target.id, len(target.rules)
    else:
        parent = tree.parent_of(target_id)
        assert parent is not None
        parent_id, index = parent.id, tree.path_of(target_id)[-1] + 1
    before = set(tree.limit_problems())
    if isinstance(node, Group):
        new = tree.add_group(parent_id, node, index)  # type: ignore[attr-defined]
    else:
        new = tree.add_condition(parent_id, node, index)  # type: ignore[attr-defined]
    broken = set(new.limit_problems()) - before
    if broken:
        raise TreeEditError(new.limit_problems()[next(iter(broken))])
    return new


def duplicate(tree: TreeBase, node_id: str) -> tuple[Any, str]:
    """`tree` with a copy of `node_id` right after it, and the copy's id."""
    node = tree.find(node_id)
    if node.id == tree.root.id:
        raise TreeEditError("The top-level group cannot be duplicated; duplicate the segment instead.")
    copy = fresh_copy(node)
    if isinstance(node, Group):
        parent = tree.parent_of(node_id)
        assert parent is not None
        new = tree.add_group(parent.id, copy, tree.path_of(node_id)[-1] + 1)  # type: ignore[attr-defined]
        return new, copy.id
    return insert_near(tree, copy, node_id), copy.id


__all__ = ["CLIPBOARD_KIND", "MIME_TYPE", "ClipboardError", "Condition", "catalog_problems", "duplicate",
           "fresh_copy", "insert_near", "node_from_clipboard", "node_to_clipboard", "parse_node", "shape_problems",
           "where", "without_ids"]
