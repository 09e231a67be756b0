"""Sign-in, sign-out, /me and API tokens."""

from __future__ import annotations

from fastapi import APIRouter, Request, status
from sqlalchemy import select

from backend.auth import service
from backend.auth.models import AccessToken
from backend.auth.schemas import (
    ApiTokenCreate,
    ApiTokenCreated,
    ApiTokenRead,
    LoginRequest,
    MeResponse,
    OrgRead,
    PackageRead,
    TokenResponse,
    UserRead,
)
from backend.auth.throttle import Throttle
from backend.deps import CurrentPrincipal, SessionDep, SettingsDep
from backend.errors import not_found
from backend.params import DbId

router = APIRouter(tags=["auth"])


@router.post("/auth/login", response_model=TokenResponse, responses={401: {}, 429: {}})
def login(body: LoginRequest, request: Request, session: SessionDep, settings: SettingsDep) -> TokenResponse:
    """Limited per username and per client address; at an address the user signed in from before, a locked
    account answers 429 with a short, growing Retry-After instead (docs/decisions.md)."""
    throttle = Throttle(settings.login_failure_window_seconds, settings.login_failure_limit,
                        settings.login_address_failure_limit)
    address = request.client.host if request.client else None
    try:
        secret, token = service.login(session, username=body.username, password=body.password,
                                      hours=settings.session_token_hours, throttle=throttle, address=address)
    except Exception:
        session.commit()  # keep the recorded failure even though the request fails
        raise
    return TokenResponse(access_token=secret, expires_at=token.expires_at)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(principal: CurrentPrincipal, session: SessionDep) -> None:
    service.revoke(session, session.merge(principal.token))


def me_response(principal: CurrentPrincipal) -> MeResponse:
    org, user, facts = principal.org, principal.user, principal.package
    return MeResponse(
        user=UserRead(id=user.id, username=user.username, display_name=user.display_name,
                      role=user.role.key, role_name=user.role.name),
        organisation=OrgRead(id=org.id, cid=org.cid, name=org.name, package=org.package,
                             timezone=org.timezone, refresh_time=org.refresh_time,
                             max_groups=org.max_groups, max_conditions_per_group=org.max_conditions_per_group,
                             max_depth=org.max_depth),
        package=PackageRead(tier=org.package, **facts.as_dict()),
        permissions=dict(principal.permissions),
    )


@router.get("/me", response_model=MeResponse)
def me(principal: CurrentPrincipal) -> MeResponse:
    return me_response(principal)


def _token_read(row: AccessToken) -> ApiTokenRead:
    return ApiTokenRead(id=row.id, name=row.name, created_at=row.created_at,
                        last_used_at=row.last_used_at, revoked_at=row.revoked_at)


@router.post("/auth/api-tokens", response_model=ApiTokenCreated, status_code=201)
def create_api_token(body: ApiTokenCreate, principal: CurrentPrincipal, session: SessionDep) -> ApiTokenCreated:
    """A long-lived token for a service client, acting as the calling user; the secret is shown once."""
    secret, row = service.issue_token(session, principal.user, kind=service.API, name=body.name)
    return ApiTokenCreated(token=secret, **_token_read(row).model_dump())


@router.get("/auth/api-tokens", response_model=list[ApiTokenRead])
def list_api_tokens(principal: CurrentPrincipal, session: SessionDep) -> list[ApiTokenRead]:
    rows = session.scalars(select(AccessToken).where(AccessToken.user_id == principal.user.id,
                                                     AccessToken.kind == service.API)
                           .order_by(AccessToken.id)).all()
    return [_token_read(r) for r in rows]


@router.delete("/auth/api-tokens/{token_id}", status_code=204)
def revoke_api_token(token_id: DbId, principal: CurrentPrincipal, session: SessionDep) -> None:
    row = session.get(AccessToken, token_id)
    if row is None or row.user_id != principal.user.id or row.kind != service.API:
        raise not_found("API token")
    service.revoke(session, row)
