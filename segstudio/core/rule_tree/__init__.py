"""The segment condition tree as plain, immutable Python with stable node ids.

Every edit returns a new `RuleTree` and leaves the old one untouched, so the undo history can keep snapshots
and the Qt adapter can compare before and after. Nodes are addressed by id (stable across moves) or by path
(a tuple of child indexes from the root, which shifts when things move). An edit that the tree refuses
(moving the root, breaking the org's limits, ...) raises `TreeEditError` whose `reason` is a sentence for the
user.

The parts: `nodes` (conditions, groups and their JSON), `base` (lookup and limits), `edits` and `moves`.
"""

from __future__ import annotations

from dataclasses import dataclass

from segstudio.core.rule_tree.edits import TreeEdits, convert_value
from segstudio.core.rule_tree.moves import TreeMoves
from segstudio.core.rule_tree.nodes import COMBINATORS, MATCHES, Condition, Group, Node, Path, TreeEditError, new_id

__all__ = ["COMBINATORS", "MATCHES", "Condition", "Group", "Node", "Path", "RuleTree", "TreeEditError",
           "convert_value", "new_id"]


@dataclass(frozen=True)
class RuleTree(TreeEdits, TreeMoves):
    """The whole tree: every edit returns a new `RuleTree` and leaves this one untouched."""
