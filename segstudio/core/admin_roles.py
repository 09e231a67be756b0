"""The role permission matrix: each role's level per permission key, edits, dirty tracking and save results.

Qt-free. The Roles page's table model reads cells from `LevelMatrix` and writes edits into it; `changes()`
is what Save sends (only keys that differ from what the server has), and `saved()` takes the server's
answer so the cell stops being dirty.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from segstudio.core.admin_forms import split_field_errors

SEGMENT_VIEW = "customers_segment_view"
SEGMENT_ADD = "customers_segment_add"
SEGMENT_MANAGE = "customers_segment_manage"
SEGMENT_ARCHIVED = "customers_segment_archived"
CUSTOMERS_VIEW = "customers_customers_view"
ORG_ADMIN = "org_admin"

PERMISSION_KEYS: tuple[str, ...] = (SEGMENT_VIEW, SEGMENT_ADD, SEGMENT_MANAGE, SEGMENT_ARCHIVED, CUSTOMERS_VIEW)
PERMISSION_LABELS: dict[str, str] = {
    SEGMENT_VIEW: "View segments",
    SEGMENT_ADD: "Create segments",
    SEGMENT_MANAGE: "Edit & delete segments",
    SEGMENT_ARCHIVED: "Archived segments",
    CUSTOMERS_VIEW: "View customers",
}
# The server's table (backend/auth/permissions.py); customers_customers_view has no "disabled" in the PRD.
ALLOWED_LEVELS: dict[str, tuple[str, ...]] = {
    SEGMENT_VIEW: ("all", "owned", "disabled"),
    SEGMENT_ADD: ("all", "owned", "disabled"),
    SEGMENT_MANAGE: ("all", "owned", "disabled"),
    SEGMENT_ARCHIVED: ("all", "owned", "disabled"),
    CUSTOMERS_VIEW: ("all", "owned"),
}
LEVEL_LABELS: dict[str, str] = {"all": "All", "owned": "Owned only", "disabled": "Disabled"}


def permission_path(key: str) -> str:
    """Where the server puts an error about this key in a role update's 400."""
    return f"permissions.{key}"


@dataclass(frozen=True)
class RoleRow:
    id: int
    key: str
    name: str
    is_default: bool = False
    user_count: int = 0
    levels: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_org_admin(self) -> bool:
        return self.key == ORG_ADMIN


def delete_blocker(role: RoleRow) -> str | None:
    """Why a role cannot be deleted, as the server would say it; None when deleting may go ahead."""
    if role.is_org_admin:
        return "The Org Admin role cannot be deleted."
    if role.user_count:
        return f"{role.user_count} user(s) have the role {role.name}. Give them another role first."
    return None


class LevelMatrix:
    """Roles × permission keys. Edits are kept apart from what the server has until `saved()`."""

    def __init__(self, roles: Iterable[RoleRow] = ()) -> None:
        self.roles: list[RoleRow] = []
        self._edits: dict[tuple[int, str], str] = {}
        self.errors: dict[tuple[int, str], str] = {}
        self.load(roles)

    def load(self, roles: Iterable[RoleRow]) -> None:
        """Replace everything with the server's roles; unsaved edits of roles still there are kept."""
        self.roles = list(roles)
        ids = {r.id for r in self.roles}
        self._edits = {cell: level for cell, level in self._edits.items()
                       if cell[0] in ids and self.saved_level(*cell) != level}
        self.errors = {cell: msg for cell, msg in self.errors.items() if cell in self._edits}

    def role(self, role_id: int) -> RoleRow:
        for role in self.roles:
            if role.id == role_id:
                return role
        raise KeyError(role_id)

    def saved_level(self, role_id: int, key: str) -> str:
        return self.role(role_id).levels.get(key, "disabled")

    def level(self, role_id: int, key: str) -> str:
        return self._edits.get((role_id, key), self.saved_level(role_id, key))

    def set_level(self, role_id: int, key: str, level: str) -> bool:
        """Edit one cell; returns whether the shown level changed. A level the key does not take is refused."""
        allowed = ALLOWED_LEVELS.get(key)
        if allowed is None:
            raise ValueError(f"unknown permission key {key!r}")
        if level not in allowed:
            raise ValueError(f"{key} takes one of {', '.join(allowed)}, not {level!r}")
        before = self.level(role_id, key)
        if level == self.saved_level(role_id, key):
            self._edits.pop((role_id, key), None)
        else:
            self._edits[(role_id, key)] = level
        self.errors.pop((role_id, key), None)
        return before != level

    def is_dirty(self, role_id: int, key: str) -> bool:
        return (role_id, key) in self._edits

    @property
    def dirty(self) -> bool:
        return bool(self._edits)

    def changes(self) -> dict[int, dict[str, str]]:
        """Per role, the keys whose level differs from the server's, in the order the roles are listed."""
        out: dict[int, dict[str, str]] = {}
        for role in self.roles:
            changed = {k: self._edits[(role.id, k)] for k in PERMISSION_KEYS if (role.id, k) in self._edits}
            if changed:
                out[role.id] = changed
        return out

    def discard(self) -> None:
        self._edits.clear()
        self.errors.clear()

    def saved(self, role: RoleRow) -> None:
        """The server accepted this role's levels: they become the saved ones and its edits are done."""
        self.roles = [role if r.id == role.id else r for r in self.roles]
        for key in PERMISSION_KEYS:
            self._edits.pop((role.id, key), None)
            self.errors.pop((role.id, key), None)

    def rejected(self, role_id: int, fields: Mapping[str, str]) -> list[str]:
        """Put a 400's `permissions.<key>` messages on that role's cells; returns messages naming no cell."""
        by_path, other = split_field_errors(fields, [permission_path(k) for k in PERMISSION_KEYS])
        for path, message in by_path.items():
            self.errors[(role_id, path.removeprefix("permissions."))] = message
        return other
