"""Signing in and `GET /me`: the user, their organisation, package and permissions; API tokens."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from segstudio.client.models.base import WireModel


class TokenResponse(WireModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime | None = None


class UserInfo(WireModel):
    id: int
    username: str
    display_name: str = ""
    role: str
    role_name: str = ""

    @property
    def name(self) -> str:
        return self.display_name or self.username


class OrganisationInfo(WireModel):
    id: int
    cid: str = ""
    name: str
    package: str
    timezone: str
    refresh_time: str = "08:00"
    max_groups: int = 2
    max_conditions_per_group: int = 3
    max_depth: int = 1


class PackageInfo(WireModel):
    tier: str
    segmentation: bool
    max_active_segments: int | None = None
    use_case_fields: bool = False


class Me(WireModel):
    user: UserInfo
    organisation: OrganisationInfo
    package: PackageInfo
    permissions: dict[str, str] = Field(default_factory=dict)

    def level(self, key: str) -> str:
        return self.permissions.get(key, "disabled")

    def can(self, key: str, *, owner_id: int | None = None) -> bool:
        """Same rule as the server: "owned" allows only things this user created."""
        level = self.level(key)
        if level == "all":
            return True
        if level == "owned":
            return owner_id is None or owner_id == self.user.id
        return False


class ApiToken(WireModel):
    id: int
    name: str | None = None
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class ApiTokenCreated(ApiToken):
    token: str
