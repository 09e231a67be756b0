"""Hostile values at every operation (issue 13, item 4): hypothesis puts a lone surrogate, a NUL, numbers beyond
64 bits or beyond a double, and dates at the ends of the calendar into each path parameter, query parameter and
body property the served OpenAPI schema declares (and into ingested records and rule values), on SQLite and on
PostgreSQL. No answer may be a 5xx; every 4xx is in the contract's error shape."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from backend.campaigns.service import ensure_demo_templates
from backend.evaluation.worker import run_pending
from backend.ingest.fields import ENTITIES

HUGE = 10**4000
MALFORMED: list[Any] = [
    "\ud800", "a\x00b", "\x00", 10**30, -(10**30), HUGE, 10**400, 1e20, 1e308, float("nan"), float("inf"),
    "0001-01-01T00:00:00", "9999-12-31T23:59:59-12:00", "9999-12-31", "0001-01-01", {"\ud800": 1}, ["\x00"],
]
SKIPPED = {("POST", "/api/v1/auth/logout")}
RULE_FIELDS = [("full_name", "is"), ("metric.total_spend", "gt"), ("created_at", "on"), ("deal.stage", "is"),
               ("custom.score", "gt"), ("created_at", "in_last_days")]
EXAMPLES = 6


@pytest.fixture
def seeded(db, app, make_org, client) -> tuple[dict[str, str], dict[str, int]]:
    org = make_org(package="ultimate")
    headers = org.headers()
    client.post("/api/v1/custom-fields", headers=headers, json={"key": "score", "label": "Score", "type": "number"})
    client.post("/api/v1/ingest/customers", headers=headers, json={"records": [
        {"id": "k1", "full_name": "Kartika", "source": "WhatsApp", "phone": "+62811", "custom": {"score": 7}}]})
    with db.session() as session:
        ensure_demo_templates(session, org.id)
    segment = client.post("/api/v1/segments", headers=headers, json={"name": "WhatsApp", "rules": {
        "combinator": "and", "rules": [{"field": "source", "operator": "is", "value": "WhatsApp"}]}}).json()
    run_pending(db)
    template = client.get("/api/v1/campaign-templates", headers=headers).json()[0]["id"]
    recipients = client.post(f"/api/v1/segments/{segment['id']}/recipient-lists", headers=headers,
                             json={"channel": "whatsapp", "template_id": template}).json()
    ids = {"segment_id": segment["id"], "list_id": recipients.get("id", 1), "template_id": template}
    return headers, ids


def _schema_of(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    out = []
    for path, methods in spec["paths"].items():
        for method, op in methods.items():
            if (method.upper(), path) not in SKIPPED:
                out.append((method.upper(), path, op))
    return out


def _plain(schema: dict[str, Any]) -> Any:
    kind = schema.get("type") or next((s.get("type") for s in schema.get("anyOf", []) if s.get("type") != "null"),
                                      "string")
    if "enum" in schema:
        return schema["enum"][0]
    return {"integer": 1, "number": 1, "boolean": True, "array": [], "object": {}}.get(kind, "x")


def _slots(spec: dict[str, Any], path: str, op: dict[str, Any]) -> list[tuple[str, tuple[Any, ...]]]:
    """Every place a value can be put: ("path"|"query", (name,)) and ("body", key path)."""
    slots: list[tuple[str, tuple[Any, ...]]] = [(p["in"], (p["name"],)) for p in op.get("parameters", [])
                                                if p["in"] in ("path", "query")]
    content = op.get("requestBody", {}).get("content", {}).get("application/json")
    if content is not None:
        body = _schema_of(spec, content.get("schema", {}))
        slots += [("body", (name,)) for name in body.get("properties", {})]
        if "rules" in body.get("properties", {}) or path.endswith("/preview"):
            slots += [("body", ("rules", "rules", 0, "value")), ("body", ("rules", "rules", 0, "field"))]
    if path.startswith("/api/v1/ingest/"):
        for spec_ in ENTITIES.values():
            slots += [("body", ("records", 0, name)) for name in spec_.fields]
        slots.append(("body", ("records", 0, "custom", "score")))
    return slots or [("query", ("extra",))]


def _base_body(spec: dict[str, Any], path: str, op: dict[str, Any], ids: dict[str, int]) -> Any:
    content = op.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return None
    schema = _schema_of(spec, content.get("schema", {}))
    body = {name: _plain(_schema_of(spec, prop)) for name, prop in schema.get("properties", {}).items()}
    if "template_id" in body:
        body["template_id"] = ids["template_id"]
    if "rules" in body or path.endswith("/preview"):
        body["rules"] = {"combinator": "and", "rules": [{"field": "full_name", "operator": "is", "value": "x"}]}
    if path.startswith("/api/v1/ingest/"):
        body = {"records": [{"id": "fuzz"}]}
    return body


def _put(body: Any, keys: tuple[Any, ...], value: Any) -> Any:
    target = body
    for key in keys[:-1]:
        target = target[key]
    target[keys[-1]] = value
    return body


def _url_value(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value) if isinstance(value, dict | list) else str(value)
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def _fuzz(client: TestClient, spec: dict[str, Any], headers: dict[str, str], ids: dict[str, int], method: str,
          path: str, op: dict[str, Any], failures: list[str]) -> None:
    slots = _slots(spec, path, op)

    @given(slot=st.sampled_from(slots), value=st.sampled_from(MALFORMED),
           rule=st.sampled_from(RULE_FIELDS), entity=st.sampled_from(sorted(ENTITIES)))
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
    def exercise(slot, value, rule, entity) -> None:
        where, keys = slot
        url_params = {p["name"]: str(ids.get(p["name"], 1)) if p["schema"].get("type") == "integer"
                      or "integer" in str(p["schema"]) else "k1"
                      for p in op.get("parameters", []) if p["in"] == "path"}
        if "entity" in url_params:
            url_params["entity"] = entity
        query: dict[str, str] = {}
        body = _base_body(spec, path, op, ids)
        if body is not None and "rules" in body:
            body["rules"]["rules"][0].update(field=rule[0], operator=rule[1])
        if where == "path":
            url_params[keys[0]] = _url_value(value)
        elif where == "query":
            query[keys[0]] = _url_value(value)
        elif keys[0] == "records":
            field = keys[2]
            if field == "custom" and len(keys) == 4:
                if entity != "customers":
                    return
                body["records"][0]["custom"] = {"score": value}
            elif field not in ENTITIES[entity].fields:
                return  # a field of another entity is only an unknown-field 400
            else:
                body["records"][0][field] = value
        else:
            body = _put(body, keys, value)
        url = path.format(**url_params)
        if query:
            url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
        content = None if body is None else json.dumps(body, ensure_ascii=True, allow_nan=True).encode()
        r = client.request(method, url, content=content,
                           headers={**headers, "Content-Type": "application/json"})
        label = f"{method} {url[:120]} {where}:{'.'.join(map(str, keys))}={str(value)[:40]!r}"
        if r.status_code >= 500:
            failures.append(f"{label} -> {r.status_code} {r.text[:300]}")
        elif r.status_code >= 400 and "error" not in r.json():
            failures.append(f"{label} -> {r.status_code} outside the error shape: {r.text[:200]}")

    exercise()


def test_no_operation_answers_5xx_to_malformed_values(db, app, seeded):
    headers, ids = seeded
    spec = app.openapi()
    failures: list[str] = []
    with TestClient(app, raise_server_exceptions=False) as client:
        for method, path, op in _operations(spec):
            _fuzz(client, spec, headers, ids, method, path, op, failures)
    assert not failures, "\n".join(failures[:40])
