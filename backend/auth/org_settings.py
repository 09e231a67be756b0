"""What the rule engine needs to know of an organisation, as a small plain value (not the ORM row):
its id, package tier, timezone and rule-tree limits. Parsers and the registry take this, so they can
run on a snapshot (a worker, a test) and never touch lazy-loaded ORM state."""

from __future__ import annotations

from dataclasses import dataclass

from backend.auth.models import Organisation


@dataclass(frozen=True)
class OrgSettings:
    id: int
    package: str
    timezone: str
    max_groups: int
    max_conditions_per_group: int
    max_depth: int

    @classmethod
    def of(cls, org: HasOrgSettings) -> OrgSettings:
        """The settings of an organisation row (settings are returned as they are)."""
        if isinstance(org, OrgSettings):
            return org
        return cls(org.id, org.package, org.timezone, org.max_groups, org.max_conditions_per_group, org.max_depth)


# An organisation row, or settings already taken from one: what the rule engine's entry points accept.
HasOrgSettings = Organisation | OrgSettings
