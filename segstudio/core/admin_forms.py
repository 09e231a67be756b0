"""Administration forms without Qt: local validation, dirty tracking, and the server's 400 paths → inputs.

The rules mirror the server's (backend/admin/service.py, backend/auth/passwords.py) so most mistakes show
before a request; whatever only the server knows (a taken username, a limit above its ceiling) comes back as
`fields[].path` and `split_field_errors` puts it beside the same input.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def split_field_errors(fields: Mapping[str, str], inputs: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """Map each server path onto the input it names (exactly, or a deeper path under it).

    Returns (input → message, messages for paths no input owns); the latter are shown above the form so
    nothing the server said is lost.
    """
    names = sorted(set(inputs), key=len, reverse=True)  # the most specific input wins
    by_input: dict[str, str] = {}
    other: list[str] = []
    for path, message in fields.items():
        owner = next((n for n in names if path == n or path.startswith(n + ".")), None)
        if owner is None:
            other.append(message)
        elif owner in by_input:
            by_input[owner] = f"{by_input[owner]} {message}"
        else:
            by_input[owner] = message
    return by_input, other


# --- organisation settings ----------------------------------------------------------------------------

SETTINGS_FIELDS: tuple[str, ...] = ("timezone", "refresh_time", "max_groups", "max_conditions_per_group",
                                    "max_depth", "evaluation_budget_seconds", "recipient_list_limit",
                                    "recipient_list_days")
LIMIT_FIELDS: tuple[str, ...] = ("max_groups", "max_conditions_per_group", "max_depth", "evaluation_budget_seconds",
                                 "recipient_list_limit", "recipient_list_days")
SETTINGS_LABELS: dict[str, str] = {
    "timezone": "Timezone",
    "refresh_time": "Daily refresh time",
    "max_groups": "Groups under the root",
    "max_conditions_per_group": "Conditions per group",
    "max_depth": "Nesting depth",
    "evaluation_budget_seconds": "Evaluation time budget",
    "recipient_list_limit": "Recipient lists kept",
    "recipient_list_days": "Recipient list lifetime",
}


def validate_settings(values: Mapping[str, Any], timezones: Collection[str]) -> dict[str, str]:
    """Field → message for every setting that cannot be sent as it is."""
    problems: dict[str, str] = {}
    tz = str(values.get("timezone", "")).strip()
    if not tz:
        problems["timezone"] = "Choose a timezone."
    elif tz not in timezones:
        problems["timezone"] = f"Unknown timezone {tz!r}; use an IANA name such as Asia/Jakarta."
    if not HHMM.match(str(values.get("refresh_time", "")).strip()):
        problems["refresh_time"] = "Enter a time as HH:MM (24-hour), e.g. 08:00."
    for name in LIMIT_FIELDS:
        value = values.get(name)
        if isinstance(value, bool) or not isinstance(value, int):
            problems[name] = "Enter a whole number."
        elif value < 1:
            problems[name] = "Enter a number of at least 1."
    return problems


@dataclass
class SettingsDraft:
    """The Settings form's state: what the server has, what is typed, and the messages per field."""

    saved: dict[str, Any] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def load(self, settings: Mapping[str, Any]) -> None:
        self.saved = {k: settings[k] for k in SETTINGS_FIELDS if k in settings}
        self.values = dict(self.saved)
        self.errors = {}
        self.general = []

    def set(self, name: str, value: Any) -> None:
        if name not in SETTINGS_FIELDS:
            raise KeyError(name)
        if isinstance(value, str):
            value = value.strip()
        self.values[name] = value
        self.errors.pop(name, None)

    def changes(self) -> dict[str, Any]:
        return {k: v for k, v in self.values.items() if self.saved.get(k) != v}

    @property
    def dirty(self) -> bool:
        return bool(self.changes())

    def validate(self, timezones: Collection[str]) -> bool:
        """Check every field; only the changed ones block saving (a stored odd value is the server's business)."""
        changed = self.changes()
        self.errors = {k: v for k, v in validate_settings(self.values, timezones).items() if k in changed}
        self.general = []
        return not self.errors

    def rejected(self, fields: Mapping[str, str], message: str) -> None:
        self.errors, other = split_field_errors(fields, SETTINGS_FIELDS)
        self.general = other or ([] if self.errors else [message])

    def discard(self) -> None:
        self.values = dict(self.saved)
        self.errors = {}
        self.general = []


# --- users, roles, tokens -----------------------------------------------------------------------------

def password_problem(password: str) -> str | None:
    """What can be told before sending: 12+ characters, not only spaces. Whether it is a common password is
    the server's check (its list is there); its 400 lands beside the same input."""
    if password and not password.strip():
        return "Enter a password that is not only spaces."
    if len(password) < 12:
        return "Use at least 12 characters."
    return None


def validate_new_user(username: str, password: str, role_id: int | None) -> dict[str, str]:
    problems: dict[str, str] = {}
    name = username.strip()
    if not name:
        problems["username"] = "Enter a username."
    elif len(name) > 150:
        problems["username"] = "Use at most 150 characters."
    if role_id is None:
        problems["role_id"] = "Choose a role."
    if (why := password_problem(password)) is not None:
        problems["password"] = why
    return problems


def validate_role_name(name: str, taken: Iterable[str]) -> str | None:
    clean = name.strip()
    if not clean:
        return "Enter a name for the role."
    if len(clean) > 120:
        return "Use at most 120 characters."
    if clean.lower() in {t.strip().lower() for t in taken}:
        return f"A role named {clean!r} already exists."
    return None


def validate_token_name(name: str) -> str | None:
    clean = name.strip()
    if not clean:
        return "Name the token after the service that will use it."
    if len(clean) > 120:
        return "Use at most 120 characters."
    return None
