"""Helpers for segment tests: ingest customers, create segments, run queued evaluations."""

from __future__ import annotations

from typing import Any

import pytest

from backend.evaluation.worker import run_pending

WHATSAPP = {"combinator": "and", "rules": [{"field": "source", "operator": "is", "value": "WhatsApp"}]}
EMAIL = {"combinator": "and", "rules": [{"field": "source", "operator": "is", "value": "Email"}]}
API = "/api/v1"


@pytest.fixture
def api(client):
    """api(method, path, org, role="org_admin", **kw) -> response, with the org's token."""

    def _call(method: str, path: str, org, role: str = "org_admin", **kw: Any):
        return client.request(method, API + path, headers=org.headers(role), **kw)

    return _call


@pytest.fixture
def ingest(api):
    def _ingest(org, records: list[dict[str, Any]], entity: str = "customers") -> None:
        r = api("POST", f"/ingest/{entity}", org, json={"records": records})
        assert r.status_code == 200, r.text

    return _ingest


@pytest.fixture
def make_segment(api):
    def _make(org, name: str = "WhatsApp people", rules: dict | None = None, role: str = "org_admin",
              description: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {"name": name, "rules": rules or WHATSAPP}
        if description is not None:
            body["description"] = description
        r = api("POST", "/segments", org, role, json=body)
        assert r.status_code == 201, r.text
        return r.json()

    return _make


@pytest.fixture
def run_jobs(db):
    def _run(**kw):
        return run_pending(db, **kw)

    return _run


def people(*specs: tuple[str, str]) -> list[dict[str, Any]]:
    """people(("k1", "WhatsApp"), ...) -> customer records with a name and a source."""
    return [{"id": ext, "full_name": f"Customer {ext}", "source": source} for ext, source in specs]
