"""Password hashing (argon2) and the password policy of the contract."""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str) -> str | None:
    """Why a password is refused, or None: 10+ characters mixing letters, digits and a symbol."""
    if len(password) < 10:
        return "Use at least 10 characters."
    if not re.search(r"[A-Za-z]", password) or not re.search(r"\d", password) \
            or not re.search(r"[^A-Za-z0-9]", password):
        return "Mix letters, digits and at least one symbol."
    return None
