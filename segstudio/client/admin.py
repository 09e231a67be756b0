"""The administration API (`/api/v1/admin/...`, Org Admins only): typed models and `AdminApi`.

`AdminApi` wraps a signed-in `ApiClient`, so its calls share the client's token, banner hooks and error types
(`ApiError` with `.fields` path → message for 400s, `.message` for 409s such as the last-Org-Admin rule).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from segstudio.client.api import ApiClient
from segstudio.client.models import WireModel

ADMIN = "/admin"


class Role(WireModel):
    id: int
    key: str
    name: str
    is_default: bool = False
    permissions: dict[str, str]
    user_count: int = 0


class AdminUser(WireModel):
    id: int
    username: str
    display_name: str = ""
    role_id: int
    role: str
    role_name: str = ""
    active: bool = True
    created_at: datetime | None = None


class OrgSettings(WireModel):
    name: str
    package: str
    timezone: str
    refresh_time: str
    max_groups: int
    max_conditions_per_group: int
    max_depth: int
    evaluation_budget_seconds: int
    recipient_list_limit: int = 20
    recipient_list_days: int = 30


class Alert(WireModel):
    id: int
    kind: str
    segment_id: int | None = None
    segment_name: str | None = None
    message: str
    created_at: datetime
    read_at: datetime | None = None


class AdminToken(WireModel):
    id: int
    name: str | None = None
    username: str
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


class AdminTokenCreated(AdminToken):
    token: str


class AdminApi:
    """One method per administration endpoint; a non-admin gets ApiError 403 from every one."""

    def __init__(self, client: ApiClient) -> None:
        self.client = client

    async def _call(self, method: str, path: str, model: Any = None, *, json: Any = None,
                    params: Mapping[str, Any] | None = None) -> Any:
        response = await self.client.request(method, ADMIN + path, json=json, params=params)
        return None if model is None else self.client._parse(response, model)

    # --- roles ----------------------------------------------------------------------------------------

    async def roles(self) -> list[Role]:
        return await self._call("GET", "/roles", list[Role])

    async def create_role(self, name: str, copy_from: int) -> Role:
        return await self._call("POST", "/roles", Role, json={"name": name, "copy_from": copy_from})

    async def update_role(self, role_id: int, *, name: str | None = None,
                          permissions: Mapping[str, str] | None = None) -> Role:
        body: dict[str, Any] = {}
        if name is not None:
            body["name"] = name
        if permissions is not None:
            body["permissions"] = dict(permissions)
        return await self._call("PUT", f"/roles/{role_id}", Role, json=body)

    async def delete_role(self, role_id: int) -> None:
        await self._call("DELETE", f"/roles/{role_id}")

    # --- users ----------------------------------------------------------------------------------------

    async def users(self) -> list[AdminUser]:
        return await self._call("GET", "/users", list[AdminUser])

    async def create_user(self, *, username: str, role_id: int, password: str,
                          display_name: str | None = None) -> AdminUser:
        body: dict[str, Any] = {"username": username, "role_id": role_id, "password": password}
        if display_name:
            body["display_name"] = display_name
        return await self._call("POST", "/users", AdminUser, json=body)

    async def update_user(self, user_id: int, *, display_name: str | None = None, role_id: int | None = None,
                          active: bool | None = None) -> AdminUser:
        body = {k: v for k, v in (("display_name", display_name), ("role_id", role_id), ("active", active))
                if v is not None}
        return await self._call("PUT", f"/users/{user_id}", AdminUser, json=body)

    async def reset_password(self, user_id: int, password: str) -> None:
        await self._call("POST", f"/users/{user_id}/reset-password", json={"password": password})

    # --- settings -------------------------------------------------------------------------------------

    async def settings(self) -> OrgSettings:
        return await self._call("GET", "/settings", OrgSettings)

    async def update_settings(self, changes: Mapping[str, Any]) -> OrgSettings:
        """PUT only the changed settings; the server validates each and applies none when one is wrong."""
        return await self._call("PUT", "/settings", OrgSettings, json=dict(changes))

    # --- alerts ---------------------------------------------------------------------------------------

    async def alerts(self, *, unread: bool = False) -> list[Alert]:
        return await self._call("GET", "/alerts", list[Alert], params={"unread": "true" if unread else None})

    async def mark_alert_read(self, alert_id: int) -> Alert:
        return await self._call("POST", f"/alerts/{alert_id}/read", Alert)

    # --- API tokens -----------------------------------------------------------------------------------

    async def tokens(self) -> list[AdminToken]:
        return await self._call("GET", "/api-tokens", list[AdminToken])

    async def create_token(self, name: str) -> AdminTokenCreated:
        return await self._call("POST", "/api-tokens", AdminTokenCreated, json={"name": name})

    async def revoke_token(self, token_id: int) -> None:
        await self._call("DELETE", f"/api-tokens/{token_id}")
