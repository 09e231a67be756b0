"""Administration endpoints, for Org Admins only (403 for anyone else)."""

from __future__ import annotations

from fastapi import APIRouter

from backend.admin import events, service
from backend.admin.models import Alert
from backend.admin.schemas import (
    AdminTokenCreated,
    AdminTokenRead,
    AdminUserCreate,
    AdminUserRead,
    AdminUserUpdate,
    AlertRead,
    OrgSettings,
    OrgSettingsUpdate,
    PasswordReset,
    RoleCreate,
    RoleRead,
    RoleUpdate,
)
from backend.auth import service as auth_service
from backend.auth.models import AccessToken, Role, User
from backend.auth.schemas import ApiTokenCreate
from backend.deps import OrgAdmin, Principal, SessionDep
from backend.params import DbId

router = APIRouter(prefix="/admin", tags=["administration"])


Admin = OrgAdmin


def _role_read(role: Role, count: int) -> RoleRead:
    return RoleRead(id=role.id, key=role.key, name=role.name, is_default=role.is_default,
                    permissions=role.levels(), user_count=count)


def _user_read(user: User) -> AdminUserRead:
    return AdminUserRead(id=user.id, username=user.username, display_name=user.display_name, role_id=user.role_id,
                         role=user.role.key, role_name=user.role.name, active=user.active, created_at=user.created_at)


def _alert_read(alert: Alert, names: dict[int, str] | None = None) -> AlertRead:
    return AlertRead(id=alert.id, kind=alert.kind, segment_id=alert.segment_id,
                     segment_name=(names or {}).get(alert.segment_id) if alert.segment_id else None,
                     message=alert.message, created_at=alert.created_at, read_at=alert.read_at)


def _token_read(token: AccessToken) -> AdminTokenRead:
    return AdminTokenRead(id=token.id, name=token.name, username=token.user.username, created_at=token.created_at,
                          last_used_at=token.last_used_at, revoked_at=token.revoked_at)


def _user_count(session, org_id: int, role_id: int) -> int:
    return dict((r.id, n) for r, n in service.roles_with_counts(session, org_id)).get(role_id, 0)


@router.get("/roles", response_model=list[RoleRead])
def list_roles(admin: Admin, session: SessionDep) -> list[RoleRead]:
    return [_role_read(r, n) for r, n in service.roles_with_counts(session, admin.org_id)]


@router.post("/roles", response_model=RoleRead, status_code=201)
def create_role(body: RoleCreate, admin: Admin, session: SessionDep) -> RoleRead:
    role = service.create_role(session, admin.org_id, name=body.name, copy_from=body.copy_from)
    return _role_read(role, 0)


@router.put("/roles/{role_id}", response_model=RoleRead)
def update_role(role_id: DbId, body: RoleUpdate, admin: Admin, session: SessionDep) -> RoleRead:
    role = service.update_role(session, admin.org_id, role_id, name=body.name, permissions=body.permissions)
    return _role_read(role, _user_count(session, admin.org_id, role.id))


@router.delete("/roles/{role_id}", status_code=204)
def delete_role(role_id: DbId, admin: Admin, session: SessionDep) -> None:
    service.delete_role(session, admin.org_id, role_id)


@router.get("/users", response_model=list[AdminUserRead])
def list_users(admin: Admin, session: SessionDep) -> list[AdminUserRead]:
    return [_user_read(u) for u in service.list_users(session, admin.org_id)]


@router.post("/users", response_model=AdminUserRead, status_code=201)
def create_user(body: AdminUserCreate, admin: Admin, session: SessionDep) -> AdminUserRead:
    user = service.create_user(session, admin.org_id, username=body.username, display_name=body.display_name,
                               role_id=body.role_id, password=body.password)
    return _user_read(user)


@router.put("/users/{user_id}", response_model=AdminUserRead)
def update_user(user_id: DbId, body: AdminUserUpdate, admin: Admin, session: SessionDep) -> AdminUserRead:
    user = service.update_user(session, admin.org_id, user_id, display_name=body.display_name,
                               role_id=body.role_id, active=body.active)
    return _user_read(user)


@router.post("/users/{user_id}/reset-password", status_code=204)
def reset_password(user_id: DbId, body: PasswordReset, admin: Admin, session: SessionDep) -> None:
    service.reset_password(session, admin.org_id, user_id, body.password)


def _settings_read(admin: Principal) -> OrgSettings:
    org = admin.org
    return OrgSettings(name=org.name, package=org.package, timezone=org.timezone, refresh_time=org.refresh_time,
                       max_groups=org.max_groups, max_conditions_per_group=org.max_conditions_per_group,
                       max_depth=org.max_depth, evaluation_budget_seconds=org.evaluation_budget_seconds)


@router.get("/settings", response_model=OrgSettings)
def get_settings(admin: Admin) -> OrgSettings:
    return _settings_read(admin)


@router.put("/settings", response_model=OrgSettings,
            description="The package is read-only here (`segstudio-server set-package`). Lowering a rule limit "
                        "leaves saved segments valid; only new edits must fit.")
def update_settings(body: OrgSettingsUpdate, admin: Admin, session: SessionDep) -> OrgSettings:
    service.update_settings(session, admin.org, body)
    session.commit()  # the scheduler reads the new refresh time from the database
    events.settings_changed(admin.org_id)
    return _settings_read(admin)


@router.get("/alerts", response_model=list[AlertRead])
def list_alerts(admin: Admin, session: SessionDep, unread: bool = False) -> list[AlertRead]:
    alerts = service.list_alerts(session, admin.org_id, unread_only=unread)
    names = service.segment_names(session, admin.org_id, {a.segment_id for a in alerts if a.segment_id})
    return [_alert_read(a, names) for a in alerts]


@router.post("/alerts/{alert_id}/read", response_model=AlertRead)
def mark_alert_read(alert_id: DbId, admin: Admin, session: SessionDep) -> AlertRead:
    alert = service.mark_alert_read(session, admin.org_id, alert_id)
    names = service.segment_names(session, admin.org_id, {alert.segment_id} if alert.segment_id else set())
    return _alert_read(alert, names)


@router.get("/api-tokens", response_model=list[AdminTokenRead])
def list_tokens(admin: Admin, session: SessionDep) -> list[AdminTokenRead]:
    return [_token_read(t) for t in service.list_org_tokens(session, admin.org_id)]


@router.post("/api-tokens", response_model=AdminTokenCreated, status_code=201,
             description="The secret is in the response once; only its hash is stored.")
def create_token(body: ApiTokenCreate, admin: Admin, session: SessionDep) -> AdminTokenCreated:
    secret, token = auth_service.issue_token(session, session.merge(admin.user), kind=auth_service.API, name=body.name)
    return AdminTokenCreated(token=secret, **_token_read(token).model_dump())


@router.delete("/api-tokens/{token_id}", status_code=204)
def revoke_token(token_id: DbId, admin: Admin, session: SessionDep) -> None:
    auth_service.revoke(session, service.get_org_token(session, admin.org_id, token_id))
