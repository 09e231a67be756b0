"""Fixtures for the detail, performance, campaign, export, customers and compare screens: signed-in clients
on the shared live backend, and segments created over HTTP and waited for until evaluated."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from backend.campaigns.service import ensure_demo_templates
from backend.db import Database
from segstudio.client import ApiClient
from segstudio.client.models import Me, Segment
from segstudio.services.access import Access
from segstudio.services.network import ConnectionStatus
from tests.desktop.conftest import PASSWORD, LiveServer

TZ = "Asia/Jakarta"
WHATSAPP = {"combinator": "and", "rules": [{"field": "source", "operator": "is", "value": "WhatsApp"}]}
EVERYONE = {"combinator": "and", "rules": [{"field": "full_name", "operator": "is_not_empty"}]}
NOBODY = {"combinator": "and", "rules": [{"field": "source", "operator": "is", "value": "Carrier pigeon"}]}


class Api:
    """Blocking HTTP calls as a user, to arrange data outside the app under test."""

    def __init__(self, server: LiveServer, username: str) -> None:
        self.server = server
        self.headers = {"Authorization": f"Bearer {server.token(username)}"}

    def call(self, method: str, path: str, **kw: Any) -> httpx.Response:
        return httpx.request(method, f"{self.server.url}/api/v1{path}", headers=self.headers, timeout=30, **kw)

    def create_segment(self, name: str, rules: dict, *, wait: bool = True) -> dict:
        r = self.call("POST", "/segments", json={"name": name, "rules": rules, "description": f"About {name}"})
        assert r.status_code == 201, r.text
        segment = r.json()
        return self.wait_ready(segment["id"]) if wait else segment

    def wait_ready(self, segment_id: int, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            body = self.call("GET", f"/segments/{segment_id}").json()
            if body["readiness"] in ("ready", "failed"):
                return body
            time.sleep(0.1)
        raise AssertionError(f"segment {segment_id} was not evaluated in {timeout}s")


@pytest.fixture(scope="session")
def admin_api(live_server: LiveServer) -> Api:
    return Api(live_server, live_server.users["org_admin"])


@pytest.fixture(scope="session")
def templates(live_server: LiveServer) -> None:
    """The demo templates, as the demo seed gives them (create-org makes an organisation without any)."""
    db = Database(live_server.process.database_url)
    try:
        with db.session() as session:
            ensure_demo_templates(session, live_server.org_id)
    finally:
        db.dispose()


@pytest.fixture
def signed_in(live_server: LiveServer, run_async):
    """signed_in(role) -> (ApiClient, Me, Access) for that role's user; closed after the test."""
    clients: list[ApiClient] = []

    def make(role: str = "org_admin") -> tuple[ApiClient, Me, Access]:
        client = ApiClient(live_server.url)
        clients.append(client)
        run_async(client.login(live_server.users[role], PASSWORD))
        me = run_async(client.me())
        return client, me, Access(me)

    yield make
    for client in clients:
        run_async(client.aclose())


@pytest.fixture
def connection() -> Iterator[ConnectionStatus]:
    yield ConnectionStatus()


def as_segment(body: dict) -> Segment:
    return Segment.model_validate(body)
