"""Password hashing (argon2) and the password policy.

A password is at least 12 characters, not only whitespace, and not a common password: not in
zxcvbn's list of the 30,000 most used ones (a maintained package's list), nor one of them with
digits or symbols stuck around it ("qwerty123456!"). The contract's command-line bootstrap
promises that "any password of 10 or more characters mixing letters, digits and a symbol is
accepted"; `create-org`/`create-user` keep that promise (`bootstrap=True`), every other way of
setting a password (administration, demo seeding) holds the 12-character rule.
"""

from __future__ import annotations

import re
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from backend.inputs import text_problem

MIN_LENGTH = 12
BOOTSTRAP_MIN_LENGTH = 10
_hasher = PasswordHasher()
_EDGES = re.compile(r"^[\W\d_]+|[\W\d_]+$")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    return _hasher.hash("not a password anyone has: it only spends the time a real check takes")


def spend_verification_time(password: str) -> None:
    """Do the work of a real check, so an unknown username answers as slowly as a known one."""
    verify_password(_dummy_hash(), password)


@cache
def _common() -> frozenset[str]:
    return frozenset(FREQUENCY_LISTS["passwords"])


def is_common(password: str) -> bool:
    lowered = password.lower()
    return lowered in _common() or _EDGES.sub("", lowered) in _common()


def _mixes_letters_digits_and_symbols(password: str) -> bool:
    return bool(re.search(r"[^\W\d_]", password) and re.search(r"\d", password)
                and re.search(r"[\W_]", password))


def password_problem(password: str, *, bootstrap: bool = False) -> str | None:
    """Why a password is refused, or None."""
    if (why := text_problem(password)) is not None:
        return why
    if not password.strip():
        return "Enter a password that is not only spaces."
    short = len(password) < MIN_LENGTH
    if short and bootstrap and len(password) >= BOOTSTRAP_MIN_LENGTH:
        short = not _mixes_letters_digits_and_symbols(password)
    if short:
        return f"Use at least {MIN_LENGTH} characters."
    if is_common(password):
        return "This password is too common; choose one that is harder to guess."
    return None
