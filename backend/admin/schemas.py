"""Wire shapes of the administration API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from backend.params import RowRef


class RoleRead(BaseModel):
    id: int
    key: str
    name: str
    is_default: bool
    permissions: dict[str, str]
    user_count: int


class RoleCreate(BaseModel):
    name: str = Field(min_length=1, max_length=120)
    copy_from: RowRef = Field(description="id of the role whose permission levels the new role starts with")


class RoleUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    permissions: dict[str, str] | None = None


class AdminUserRead(BaseModel):
    id: int
    username: str
    display_name: str
    role_id: int
    role: str
    role_name: str
    active: bool
    created_at: datetime


class AdminUserCreate(BaseModel):
    username: str = Field(min_length=1, max_length=150)
    display_name: str | None = Field(default=None, max_length=150)
    role_id: RowRef
    password: str = Field(min_length=1, max_length=1024)


class AdminUserUpdate(BaseModel):
    display_name: str | None = Field(default=None, min_length=1, max_length=150)
    role_id: RowRef | None = None
    active: bool | None = None


class PasswordReset(BaseModel):
    password: str = Field(min_length=1, max_length=1024)


class OrgSettings(BaseModel):
    name: str
    package: str
    timezone: str
    refresh_time: str
    max_groups: int
    max_conditions_per_group: int
    max_depth: int
    evaluation_budget_seconds: int
    recipient_list_limit: int = Field(description="Recipient lists kept per organisation; creating one more "
                                                  "expires the oldest")
    recipient_list_days: int = Field(description="Days a recipient list is kept after it was created")


class OrgSettingsUpdate(BaseModel):
    timezone: str | None = None
    refresh_time: str | None = None
    max_groups: int | None = None
    max_conditions_per_group: int | None = None
    max_depth: int | None = None
    evaluation_budget_seconds: int | None = None
    recipient_list_limit: int | None = None
    recipient_list_days: int | None = None


class AlertRead(BaseModel):
    id: int
    kind: str
    segment_id: int | None
    segment_name: str | None = None
    message: str
    created_at: datetime
    read_at: datetime | None


class AdminTokenRead(BaseModel):
    id: int
    name: str | None
    username: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class AdminTokenCreated(AdminTokenRead):
    token: str
