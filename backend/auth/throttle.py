"""Sign-in throttling: atomic claims on counters, per client address and per username.

Every attempt first *claims* a slot on its counters with one conditional UPDATE (a row lock on
PostgreSQL, the write lock on SQLite), and commits that before the password is hashed, so fifty
concurrent attempts cannot all read "4 failures so far": exactly `limit` of them get a slot, the rest
are refused without a password check. A successful sign-in gives its slots back; a failed one keeps
them until the window ends.

- `a:<address>`: failed attempts from one client address for usernames it is not known for,
  whatever the usernames (hard limit).
- `u:<username>`: failed attempts for one username from addresses it has not signed in from (hard
  limit), so anyone can lock a username only for strangers.
- `k:<username>|<address>`: attempts for the username from an address it signed in from before (and
  only this counter): past the limit each further failure doubles a wait (1, 2, 4 … 60 s) instead of
  locking out, so the owner with the right password at their usual machine is slowed down, never shut out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from backend.auth.models import KnownLoginAddress, LoginThrottle, User
from backend.errors import ApiError

MAX_BACKOFF_SECONDS = 60


@dataclass(frozen=True)
class Throttle:
    window_seconds: int = 300
    limit: int = 5  # failed attempts per username (from unknown addresses) in a window
    address_limit: int = 20  # failed attempts per client address in a window
    known_days: int = 90  # an address stays known this long after a successful sign-in


@dataclass(frozen=True)
class Claim:
    key: str
    backoff: bool


def backoff_seconds(failures: int, limit: int) -> int:
    """The wait after `failures` at a known address: none below the limit, then doubling to the cap."""
    if failures < limit:
        return 0
    return min(2 ** (failures - limit), MAX_BACKOFF_SECONDS)


def _ladder(failures, limit: int):
    """backoff_seconds as SQL over a column expression (a CASE ladder: no POW on every SQLite)."""
    steps = [(failures < limit, 0)]
    n = limit
    while backoff_seconds(n, limit) < MAX_BACKOFF_SECONDS:
        steps.append((failures == n, backoff_seconds(n, limit)))
        n += 1
    return case(*steps, else_=MAX_BACKOFF_SECONDS)


def _ensure_row(session: Session, key: str, now: float) -> None:
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    session.execute(dialect.insert(LoginThrottle).values(key=key, window_start=now, failures=0, not_before=0.0)
                    .on_conflict_do_nothing(index_elements=["key"]))


def claim(session: Session, key: str, *, limit: int, window: int, backoff: bool, now: float) -> int | None:
    """Take one attempt on the counter; None when taken, else the seconds until one can be."""
    _ensure_row(session, key, now)
    t = LoginThrottle
    expired = t.window_start <= now - window
    failures = case((expired, 1), else_=t.failures + 1)
    allowed = expired | ((t.not_before <= now) if backoff else (t.failures < limit))
    stmt = (update(t).where(t.key == key, allowed)
            .values(failures=failures, window_start=case((expired, now), else_=t.window_start),
                    not_before=now + _ladder(failures, limit) if backoff else 0.0)
            .execution_options(synchronize_session=False))
    if session.execute(stmt).rowcount == 1:
        return None
    row = session.execute(select(t.window_start, t.not_before).where(t.key == key)).one()
    wait = row.not_before - now if backoff else row.window_start + window - now
    return max(1, math.ceil(wait))


def release(session: Session, key: str, *, now: float) -> None:
    """Give back a claimed attempt that did not fail (success, or refused by another counter)."""
    t = LoginThrottle
    session.execute(update(t).where(t.key == key, t.failures > 0)
                    .values(failures=t.failures - 1, not_before=now)
                    .execution_options(synchronize_session=False))


def is_known(session: Session, username: str, address: str | None, now: datetime, policy: Throttle) -> bool:
    if address is None:
        return False
    return session.scalar(select(KnownLoginAddress.user_id).join(User, User.id == KnownLoginAddress.user_id)
                          .where(func.lower(User.username) == username, KnownLoginAddress.address == address,
                                 KnownLoginAddress.last_success_at >= now - timedelta(days=policy.known_days))
                          .limit(1)) is not None


def remember(session: Session, user: User, address: str | None, now: datetime) -> None:
    if address is None:
        return
    row = session.get(KnownLoginAddress, (user.id, address))
    if row is None:
        session.add(KnownLoginAddress(user_id=user.id, address=address[:64], org_id=user.org_id,
                                      last_success_at=now))
    else:
        row.last_success_at = now


def claims_for(username: str, address: str | None, known: bool) -> list[tuple[Claim, str]]:
    """The counters an attempt claims, in order, each with the message its refusal gives."""
    if known:  # the owner's own address: neither the address's nor the username's lock, only the backoff
        return [(Claim(f"k:{username}|{address}", backoff=True), "Too many failed sign-ins.")]
    out = []
    if address is not None:
        out.append((Claim(f"a:{address}", backoff=False), "Too many failed sign-ins from this address."))
    out.append((Claim(f"u:{username}", backoff=False), "Too many failed sign-ins for this account."))
    return out


def take(session: Session, username: str, address: str | None, known: bool, policy: Throttle,
         now: float) -> list[Claim]:
    """Claim every counter of the attempt, or none: a refusal gives back what was taken and raises 429."""
    taken: list[Claim] = []
    for item, message in claims_for(username, address, known):
        limit = policy.address_limit if item.key.startswith("a:") else policy.limit
        wait = claim(session, item.key, limit=limit, window=policy.window_seconds, backoff=item.backoff, now=now)
        if wait is not None:
            for done in taken:
                release(session, done.key, now=now)
            raise ApiError(429, "too_many_attempts", f"{message} Try again in {wait} seconds.",
                           headers={"Retry-After": str(wait)})
        taken.append(item)
    return taken
