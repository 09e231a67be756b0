"""Request dependencies: the database session and the signed-in principal."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from backend.auth import service as auth_service
from backend.auth.models import AccessToken, Organisation, User
from backend.auth.packages import PackageFacts, facts_for
from backend.auth.permissions import Level, allows
from backend.config import Settings
from backend.db import Database
from backend.errors import forbidden, unauthorized


def get_db(request: Request) -> Database:
    return request.app.state.db


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_session(db: Annotated[Database, Depends(get_db)]) -> Iterator[Session]:
    with db.session() as session:
        yield session


# Commit before the response is sent, so a client that reads right after a write sees it.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
DatabaseDep = Annotated[Database, Depends(get_db)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


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


def get_principal(request: Request, session: SessionDep) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise unauthorized()
    user, token = auth_service.authenticate(session, secret.strip())
    return Principal(user=user, org=user.org, token=token, permissions=user.role.levels())


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def require_permission(key: str):
    """A route dependency that needs the key at any level other than disabled."""

    def _check(principal: CurrentPrincipal) -> Principal:
        principal.require(key)
        return principal

    return Depends(_check)
