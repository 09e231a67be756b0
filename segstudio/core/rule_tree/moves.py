"""Moving a node: by id (Qt drop semantics), by path, or one step with Alt+Up/Alt+Down. A move the tree
refuses (the root, into itself, to where it already is, past the limits) says why."""

from __future__ import annotations

from typing import Self

from segstudio.core.rule_tree.base import TreeBase
from segstudio.core.rule_tree.nodes import Group, Path, TreeEditError


class TreeMoves(TreeBase):
    def move(self, node_id: str, parent_id: str, index: int) -> Self:
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

    def move_path(self, src: Path, dst: Path) -> Self:
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

    def step(self, node_id: str, direction: int) -> Self:
        parent_id, index = self.step_target(node_id, direction)
        return self.move(node_id, parent_id, index)
