"""Request dependencies: the database session, the signed-in principal, and who may call a route
(Org Admins only, segment viewers, the path's segment if visible), as `Annotated` types."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from backend.auth import scoping
from backend.auth import service as auth_service
from backend.auth.principal import Principal
from backend.config import Settings
from backend.db import Database
from backend.errors import forbidden, unauthorized
from backend.params import DbId
from backend.segments.models import Segment

__all__ = ["CurrentPrincipal", "DatabaseDep", "OrgAdmin", "Principal", "SegmentViewer", "SessionDep", "SettingsDep",
           "VisibleSegment", "org_admin"]


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


def get_principal(request: Request, session: SessionDep) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise unauthorized()
    user, token = auth_service.authenticate(session, secret.strip())
    return Principal(user=user, org=user.org, token=token, permissions=user.role.levels())


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def org_admin(message: str = "Only an Org Admin can do this.") -> Any:
    """`Annotated[Principal, ...]` for routes only an Org Admin (or an API token of one) may call."""

    def _check(principal: CurrentPrincipal) -> Principal:
        if not principal.is_org_admin:
            raise forbidden(message)
        return principal

    return Annotated[Principal, Depends(_check)]


OrgAdmin = org_admin()


def _segment_viewer(principal: CurrentPrincipal) -> Principal:
    scoping.require_view(principal)
    return principal


def _visible_segment(segment_id: DbId, session: SessionDep, principal: CurrentPrincipal) -> Segment:
    return scoping.visible_segment(session, principal, segment_id)


# The package includes segmentation and the caller may view segments (403 otherwise).
SegmentViewer = Annotated[Principal, Depends(_segment_viewer)]
# The path's segment, if the caller may see it (404 otherwise, so its existence does not leak).
VisibleSegment = Annotated[Segment, Depends(_visible_segment)]
