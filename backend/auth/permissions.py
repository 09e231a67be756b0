"""Permission keys, their levels, and the default roles every organisation starts with."""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    ALL = "all"
    OWNED = "owned"
    DISABLED = "disabled"


SEGMENT_VIEW = "customers_segment_view"
SEGMENT_ADD = "customers_segment_add"
SEGMENT_MANAGE = "customers_segment_manage"
SEGMENT_ARCHIVED = "customers_segment_archived"
CUSTOMERS_VIEW = "customers_customers_view"

# Which levels each key accepts; customers_customers_view has no "disabled" in the PRD.
PERMISSION_LEVELS: dict[str, tuple[Level, ...]] = {
    SEGMENT_VIEW: (Level.ALL, Level.OWNED, Level.DISABLED),
    SEGMENT_ADD: (Level.ALL, Level.OWNED, Level.DISABLED),
    SEGMENT_MANAGE: (Level.ALL, Level.OWNED, Level.DISABLED),
    SEGMENT_ARCHIVED: (Level.ALL, Level.OWNED, Level.DISABLED),
    CUSTOMERS_VIEW: (Level.ALL, Level.OWNED),
}

ROLE_ORG_ADMIN = "org_admin"
ROLE_TEAM_LEAD = "team_lead"
ROLE_AGENT = "agent"

# Decision (PRDs name the keys, not the matrix): segment creation is for Org Admin and Team Lead;
# a Team Lead edits and archives the segments they created; an Agent views segments and only the
# customers they own or are assigned.
DEFAULT_ROLES: dict[str, tuple[str, dict[str, Level]]] = {
    ROLE_ORG_ADMIN: ("Org Admin", {
        SEGMENT_VIEW: Level.ALL, SEGMENT_ADD: Level.ALL, SEGMENT_MANAGE: Level.ALL,
        SEGMENT_ARCHIVED: Level.ALL, CUSTOMERS_VIEW: Level.ALL,
    }),
    ROLE_TEAM_LEAD: ("Team Lead", {
        SEGMENT_VIEW: Level.ALL, SEGMENT_ADD: Level.ALL, SEGMENT_MANAGE: Level.OWNED,
        SEGMENT_ARCHIVED: Level.OWNED, CUSTOMERS_VIEW: Level.ALL,
    }),
    ROLE_AGENT: ("Agent", {
        SEGMENT_VIEW: Level.ALL, SEGMENT_ADD: Level.DISABLED, SEGMENT_MANAGE: Level.DISABLED,
        SEGMENT_ARCHIVED: Level.DISABLED, CUSTOMERS_VIEW: Level.OWNED,
    }),
}


def allows(level: Level | str, *, owner_id: int | None, user_id: int) -> bool:
    """Whether a level lets this user act on a thing created by owner_id."""
    if level == Level.ALL:
        return True
    if level == Level.OWNED:
        return owner_id is not None and owner_id == user_id
    return False
