"""Administration tests run against the live bundled backend (tests/desktop/conftest.py), each module in an
organisation of its own so role and settings changes never leak into other tests."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import pytest

from backend.admin.alerts import record_alert
from backend.db import Database
from segstudio.client import ApiClient
from segstudio.client.admin import AdminApi
from segstudio.services.network import ConnectionStatus
from tests.desktop.conftest import PASSWORD, LiveServer, make_org

TZ = "Asia/Jakarta"


@dataclass
class AdminOrg:
    server: LiveServer
    org_id: int
    users: dict[str, str]

    def headers(self, role: str = "org_admin") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.server.token(self.users[role])}"}

    def api(self, method: str, path: str, role: str = "org_admin", **kwargs) -> httpx.Response:
        """A direct call, as another person at another computer would make it."""
        return httpx.request(method, f"{self.server.url}/api/v1{path}", headers=self.headers(role), timeout=30,
                             **kwargs)

    def role_id(self, key: str) -> int:
        return next(r["id"] for r in self.api("GET", "/admin/roles").json() if r["key"] == key)

    def user_id(self, username: str) -> int:
        return next(u["id"] for u in self.api("GET", "/admin/users").json() if u["username"] == username)

    def record_alert(self, kind: str, message: str, segment_id: int | None = None) -> int:
        """Write an alert through the server's own database, as the evaluator does."""
        db = Database(self.server.process.database_url)
        try:
            with db.session() as session:
                return record_alert(session, org_id=self.org_id, kind=kind, message=message,
                                    segment_id=segment_id).id
        finally:
            db.engine.dispose()


@pytest.fixture(scope="module")
def admin_org(live_server: LiveServer, request) -> AdminOrg:
    prefix = "a" + hashlib.sha1(request.module.__name__.encode()).hexdigest()[:6]
    org_id, users = make_org(live_server.process.database_url, prefix)
    return AdminOrg(live_server, org_id, users)


@pytest.fixture
def sign_in(admin_org: AdminOrg, run_async) -> Iterator[Callable[..., ApiClient]]:
    """sign_in(role or username, password=PASSWORD) -> a signed-in ApiClient, closed after the test."""
    clients: list[ApiClient] = []

    def make(who: str = "org_admin", password: str = PASSWORD) -> ApiClient:
        client = ApiClient(admin_org.server.url)
        clients.append(client)
        run_async(client.login(admin_org.users.get(who, who), password))
        return client

    yield make
    for client in clients:
        run_async(client.aclose())


@pytest.fixture
def admin_api(sign_in) -> AdminApi:
    return AdminApi(sign_in("org_admin"))


@pytest.fixture
def connection() -> ConnectionStatus:
    return ConnectionStatus()


def idle(page) -> Callable[[], bool]:
    return lambda: not page.busy
