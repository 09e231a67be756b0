"""Administration services. Every lookup is scoped to the administrator's organisation."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from backend.admin.models import Alert
from backend.admin.schemas import OrgSettingsUpdate
from backend.auth import passwords
from backend.auth import service as auth_service
from backend.auth.models import AccessToken, Organisation, Role, RolePermission, User
from backend.auth.permissions import PERMISSION_LEVELS, ROLE_ORG_ADMIN
from backend.customers.models import Customer
from backend.db import utcnow
from backend.errors import ApiError, FieldError, conflict, not_found, validation_error
from backend.segments.models import Segment

LAST_ADMIN = "An organisation needs at least one active Org Admin. Make another user Org Admin first."


def roles_with_counts(session: Session, org_id: int) -> list[tuple[Role, int]]:
    counts = dict(session.execute(select(User.role_id, func.count()).join(Role, Role.id == User.role_id)
                                  .where(Role.org_id == org_id).group_by(User.role_id)).all())
    roles = session.scalars(select(Role).where(Role.org_id == org_id).order_by(Role.id)).all()
    return [(r, counts.get(r.id, 0)) for r in roles]


def get_role(session: Session, org_id: int, role_id: int) -> Role:
    role = session.get(Role, role_id)
    if role is None or role.org_id != org_id:
        raise not_found("Role")
    return role


def _role_key(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "role"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def _check_name_free(session: Session, org_id: int, name: str, except_id: int | None = None) -> None:
    clash = session.scalar(select(Role.id).where(Role.org_id == org_id, func.lower(Role.name) == name.lower().strip()))
    if clash is not None and clash != except_id:
        raise validation_error([FieldError("name", f"A role named {name.strip()!r} already exists.")])


def create_role(session: Session, org_id: int, *, name: str, copy_from: int) -> Role:
    try:
        source = get_role(session, org_id, copy_from)
    except ApiError:
        raise validation_error([FieldError("copy_from", "Choose an existing role to copy.")]) from None
    _check_name_free(session, org_id, name)
    taken = set(session.scalars(select(Role.key).where(Role.org_id == org_id)))
    role = Role(org_id=org_id, key=_role_key(name, taken), name=name.strip(), is_default=False,
                permissions=[RolePermission(key=p.key, level=p.level) for p in source.permissions])
    session.add(role)
    session.flush()
    return role


def validate_levels(levels: dict[str, Any]) -> list[FieldError]:
    problems = []
    for key, level in levels.items():
        allowed = PERMISSION_LEVELS.get(key)
        if allowed is None:
            problems.append(FieldError(f"permissions.{key}", f"Unknown permission key {key!r}."))
        elif level not in allowed:
            problems.append(FieldError(f"permissions.{key}",
                                       f"Choose one of {', '.join(str(a) for a in allowed)}."))
    return problems


def update_role(session: Session, org_id: int, role_id: int, *, name: str | None,
                permissions: dict[str, str] | None) -> Role:
    role = get_role(session, org_id, role_id)
    if permissions:
        problems = validate_levels(permissions)
        if problems:
            raise validation_error(problems)
    if name is not None:
        _check_name_free(session, org_id, name, except_id=role.id)
        role.name = name.strip()
    if permissions:
        current = {p.key: p for p in role.permissions}
        for key, level in permissions.items():
            if key in current:
                current[key].level = level
            else:
                role.permissions.append(RolePermission(key=key, level=level))
    session.flush()
    return role


def delete_role(session: Session, org_id: int, role_id: int) -> None:
    role = get_role(session, org_id, role_id)
    if role.key == ROLE_ORG_ADMIN:
        raise conflict("The Org Admin role cannot be deleted.")
    in_use = session.scalar(select(func.count()).select_from(User).where(User.role_id == role.id))
    if in_use:
        raise conflict(f"{in_use} user(s) have the role {role.name}. Give them another role first.")
    session.delete(role)


def list_users(session: Session, org_id: int) -> list[User]:
    return list(session.scalars(select(User).where(User.org_id == org_id).order_by(User.username)))


def get_user(session: Session, org_id: int, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or user.org_id != org_id:
        raise not_found("User")
    return user


def _role_for(session: Session, org_id: int, role_id: int, path: str = "role_id") -> Role:
    role = session.get(Role, role_id)
    if role is None or role.org_id != org_id:
        raise validation_error([FieldError(path, "Choose a role of this organisation.")])
    return role


def link_customers_to_user(session: Session, user: User) -> None:
    """Customers whose owner/assignee names this user become theirs (owned-only views use the link)."""
    name = user.username.lower()
    session.execute(update(Customer).where(Customer.org_id == user.org_id, func.lower(Customer.owner) == name)
                    .values(owner_user_id=user.id))
    session.execute(update(Customer).where(Customer.org_id == user.org_id, func.lower(Customer.assignee) == name)
                    .values(assignee_user_id=user.id))


def create_user(session: Session, org_id: int, *, username: str, display_name: str | None, role_id: int,
                password: str) -> User:
    role = _role_for(session, org_id, role_id)
    user = auth_service.create_user(session, org_id=org_id, username=username, password=password,
                                    role=role.key, display_name=display_name)
    link_customers_to_user(session, user)
    return user


def _active_admins(session: Session, org_id: int) -> int:
    return session.scalar(select(func.count()).select_from(User).join(Role, Role.id == User.role_id)
                          .where(User.org_id == org_id, User.active.is_(True), Role.key == ROLE_ORG_ADMIN)) or 0


def update_user(session: Session, org_id: int, user_id: int, *, display_name: str | None, role_id: int | None,
                active: bool | None) -> User:
    user = get_user(session, org_id, user_id)
    new_role = _role_for(session, org_id, role_id) if role_id is not None else user.role
    stays_admin = new_role.key == ROLE_ORG_ADMIN and (active if active is not None else user.active)
    if user.active and user.role.key == ROLE_ORG_ADMIN and not stays_admin and _active_admins(session, org_id) <= 1:
        raise conflict(LAST_ADMIN, "last_admin")
    if display_name is not None:
        user.display_name = display_name.strip()
    if role_id is not None:
        user.role_id = new_role.id
        user.role = new_role
    if active is not None:
        user.active = active
        if not active:
            revoke_user_tokens(session, user.id)
    session.flush()
    return user


def revoke_user_tokens(session: Session, user_id: int) -> None:
    session.execute(update(AccessToken).where(AccessToken.user_id == user_id, AccessToken.revoked_at.is_(None))
                    .values(revoked_at=utcnow()))


def reset_password(session: Session, org_id: int, user_id: int, password: str) -> None:
    user = get_user(session, org_id, user_id)
    if (why := passwords.password_problem(password)) is not None:
        raise validation_error([FieldError("password", why)])
    user.password_hash = passwords.hash_password(password)
    # A reset password means the old sessions may be in the wrong hands.
    revoke_user_tokens(session, user.id)


_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
# Every whole-number setting runs from 1 to its ceiling.
SETTING_CEILINGS = {"max_groups": 20, "max_conditions_per_group": 50, "max_depth": 5,
                    "evaluation_budget_seconds": 86_400, "recipient_list_limit": 500, "recipient_list_days": 365}


def update_settings(session: Session, org: Organisation, changes: OrgSettingsUpdate) -> Organisation:
    problems = []
    if changes.timezone is not None and not auth_service.valid_timezone(changes.timezone):
        problems.append(FieldError("timezone", f"Unknown timezone {changes.timezone!r}; use an IANA name."))
    if changes.refresh_time is not None and not _HHMM.match(changes.refresh_time):
        problems.append(FieldError("refresh_time", "Enter a time as HH:MM (24-hour), e.g. 08:00."))
    for name in SETTING_CEILINGS:
        value = getattr(changes, name)
        if value is not None and value < 1:
            problems.append(FieldError(name, "Enter a number of at least 1."))
    for name, ceiling in SETTING_CEILINGS.items():
        value = getattr(changes, name)
        if value is not None and value > ceiling:
            problems.append(FieldError(name, f"Enter a number of at most {ceiling}."))
    if problems:
        raise validation_error(problems)
    for name, value in changes.model_dump(exclude_none=True).items():
        setattr(org, name, value)
    session.flush()
    return org


def list_alerts(session: Session, org_id: int, *, unread_only: bool = False) -> list[Alert]:
    stmt = select(Alert).where(Alert.org_id == org_id)
    if unread_only:
        stmt = stmt.where(Alert.read_at.is_(None))
    return list(session.scalars(stmt.order_by(Alert.created_at.desc(), Alert.id.desc()).limit(500)))


def segment_names(session: Session, org_id: int, segment_ids: set[int]) -> dict[int, str]:
    """Names of the org's segments an alert names; a deleted segment simply has none."""
    if not segment_ids:
        return {}
    rows = session.execute(select(Segment.id, Segment.name).where(Segment.org_id == org_id,
                                                                  Segment.id.in_(segment_ids)))
    return {sid: name for sid, name in rows}


def mark_alert_read(session: Session, org_id: int, alert_id: int) -> Alert:
    alert = session.get(Alert, alert_id)
    if alert is None or alert.org_id != org_id:
        raise not_found("Alert")
    if alert.read_at is None:
        alert.read_at = utcnow()
    return alert


def list_org_tokens(session: Session, org_id: int) -> list[AccessToken]:
    return list(session.scalars(select(AccessToken).join(User, User.id == AccessToken.user_id)
                                .where(User.org_id == org_id, AccessToken.kind == auth_service.API)
                                .order_by(AccessToken.id)))


def get_org_token(session: Session, org_id: int, token_id: int) -> AccessToken:
    token = session.get(AccessToken, token_id)
    if token is None or token.kind != auth_service.API or token.user.org_id != org_id:
        raise not_found("API token")
    return token
