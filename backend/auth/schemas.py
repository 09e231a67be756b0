"""Wire shapes of the auth domain."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=150)
    password: str = Field(min_length=1, max_length=1024)


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime | None


class OrgRead(BaseModel):
    id: int
    cid: str
    name: str
    package: str
    timezone: str
    refresh_time: str
    max_groups: int
    max_conditions_per_group: int
    max_depth: int


class UserRead(BaseModel):
    id: int
    username: str
    display_name: str
    role: str
    role_name: str


class PackageRead(BaseModel):
    tier: str
    segmentation: bool
    max_active_segments: int | None
    use_case_fields: bool


class MeResponse(BaseModel):
    user: UserRead
    organisation: OrgRead
    package: PackageRead
    permissions: dict[str, str]


class ApiTokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=120)


class ApiTokenRead(BaseModel):
    id: int
    name: str | None
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class ApiTokenCreated(ApiTokenRead):
    token: str
