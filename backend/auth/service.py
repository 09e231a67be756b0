"""Organisations, users, login, tokens. Functions take the session; the caller commits."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.auth import passwords
from backend.auth import throttle as throttles
from backend.auth.models import AccessToken, Organisation, Role, RolePermission, User
from backend.auth.packages import PACKAGES
from backend.auth.permissions import DEFAULT_ROLES
from backend.auth.throttle import Throttle
from backend.db import utcnow
from backend.errors import FieldError, unauthorized, validation_error

SESSION = "session"
API = "api"


def valid_timezone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def create_org(session: Session, *, name: str, package: str, timezone: str = "Asia/Jakarta") -> Organisation:
    problems = []
    if not name.strip():
        problems.append(FieldError("name", "Enter an organisation name."))
    if package not in PACKAGES:
        problems.append(FieldError("package", f"Choose one of {', '.join(PACKAGES)}."))
    if not valid_timezone(timezone):
        problems.append(FieldError("timezone", f"Unknown timezone {timezone!r}."))
    if problems:
        raise validation_error(problems)
    org = Organisation(name=name.strip(), package=package, timezone=timezone)
    session.add(org)
    session.flush()
    for key, (label, levels) in DEFAULT_ROLES.items():
        role = Role(org_id=org.id, key=key, name=label, is_default=True,
                    permissions=[RolePermission(key=k, level=str(v)) for k, v in levels.items()])
        session.add(role)
    session.flush()
    return org


def role_by_key(session: Session, org_id: int, key: str) -> Role | None:
    return session.scalar(select(Role).where(Role.org_id == org_id, Role.key == key))


def create_user(session: Session, *, org_id: int, username: str, password: str, role: str,
                display_name: str | None = None, bootstrap: bool = False) -> User:
    """`bootstrap`: the command line's contract password rule (see `passwords`)."""
    problems = []
    username = username.strip()
    if not username:
        problems.append(FieldError("username", "Enter a username."))
    elif session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
        problems.append(FieldError("username", f"The username {username!r} is taken."))
    if (why := passwords.password_problem(password, bootstrap=bootstrap)) is not None:
        problems.append(FieldError("password", why))
    role_row = role_by_key(session, org_id, role)
    if role_row is None:
        problems.append(FieldError("role", f"Unknown role {role!r}."))
    if problems:
        raise validation_error(problems)
    user = User(org_id=org_id, username=username, display_name=display_name or username,
                password_hash=passwords.hash_password(password), role_id=role_row.id)
    session.add(user)
    session.flush()
    return user


def _hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(session: Session, user: User, *, kind: str, hours: int | None = None,
                name: str | None = None) -> tuple[str, AccessToken]:
    secret = ("sst_" if kind == SESSION else "ssa_") + secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(hours=hours) if hours else None
    row = AccessToken(user_id=user.id, token_hash=_hash_token(secret), kind=kind, name=name,
                      expires_at=expires)
    session.add(row)
    session.flush()
    return secret, row


def login(session: Session, *, username: str, password: str, hours: int, throttle: Throttle,
          address: str | None = None, now: datetime | None = None) -> tuple[str, AccessToken]:
    """Checks the password under the sign-in throttle (backend.auth.throttle).

    The throttle's claims are committed before the password is hashed, so concurrent attempts see
    each other; an unknown username costs the same hash as a known one, so timing tells nothing.
    """
    now = now or utcnow()
    key = username.strip().lower()
    known = throttles.is_known(session, key, address, now, throttle)
    claims = throttles.take(session, key, address, known, throttle, now.timestamp())
    session.commit()
    user = session.scalar(select(User).where(func.lower(User.username) == key))
    if user is None:
        passwords.spend_verification_time(password)
        raise unauthorized("Wrong username or password.")
    if not passwords.verify_password(user.password_hash, password) or not user.active:
        raise unauthorized("Wrong username or password.")
    for done in claims:
        throttles.release(session, done.key, now=now.timestamp())
    throttles.remember(session, user, address, now)
    return issue_token(session, user, kind=SESSION, hours=hours)


def authenticate(session: Session, secret: str) -> tuple[User, AccessToken]:
    row = session.scalar(select(AccessToken).where(AccessToken.token_hash == _hash_token(secret)))
    now = utcnow()
    if row is None or row.revoked_at is not None:
        raise unauthorized("Your session is not valid. Sign in again.")
    if row.expires_at is not None and row.expires_at <= now:
        raise unauthorized("Your session has expired. Sign in again.")
    if not row.user.active:
        raise unauthorized("This account is deactivated.")
    if row.kind == API:
        row.last_used_at = now
    return row.user, row


def revoke(session: Session, token: AccessToken) -> None:
    token.revoked_at = utcnow()
