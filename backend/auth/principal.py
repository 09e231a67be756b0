"""Who is calling: a plain value the services and the scoping function take (no web framework here;
backend/deps.py builds it from the request's token)."""

from __future__ import annotations

from dataclasses import dataclass

from backend.auth.models import AccessToken, Organisation, User
from backend.auth.packages import PackageFacts, facts_for
from backend.auth.permissions import ROLE_ORG_ADMIN, Level, allows
from backend.errors import forbidden


@dataclass
class Principal:
    """Who is calling: the user, their organisation and their effective permission levels."""

    user: User
    org: Organisation
    token: AccessToken
    permissions: dict[str, str]

    @property
    def org_id(self) -> int:
        return self.org.id

    @property
    def package(self) -> PackageFacts:
        return facts_for(self.org.package)

    @property
    def is_org_admin(self) -> bool:
        return self.user.role.key == ROLE_ORG_ADMIN

    def level(self, key: str) -> Level:
        return Level(self.permissions.get(key, Level.DISABLED))

    def can(self, key: str, *, owner_id: int | None = None) -> bool:
        """Whether the key allows acting on something created by owner_id (any thing when None)."""
        level = self.level(key)
        if owner_id is None:
            return level != Level.DISABLED
        return allows(level, owner_id=owner_id, user_id=self.user.id)

    def require(self, key: str, *, owner_id: int | None = None) -> None:
        if not self.can(key, owner_id=owner_id):
            raise forbidden()
