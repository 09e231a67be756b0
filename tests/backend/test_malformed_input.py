"""Malformed input found by an adversarial run (issue 13, item 4): each is a 400 in the contract's error
shape naming the field, the same on SQLite and PostgreSQL, and nothing of it is stored."""

from __future__ import annotations

import json

import pytest

API = "/api/v1"
RULES = {"combinator": "and", "rules": [{"field": "source", "operator": "is", "value": "WhatsApp"}]}


def raw_json(body: object) -> bytes:
    """JSON as a hostile client writes it: ASCII escapes, so a lone surrogate travels as `\\ud800`."""
    return json.dumps(body, ensure_ascii=True).encode()


def big(digits: int) -> str:
    return "1" + "0" * (digits - 1)


def ingest_body(record: str) -> bytes:
    return ('{"records": [' + record + "]}").encode()


# (name, method, url, raw body or None, the field path the 400 must name)
CASES = [
    ("surrogate in ingested text", "POST", "/ingest/customers",
     raw_json({"records": [{"id": "c1", "full_name": "\ud800"}]}), "records.0.full_name"),
    ("surrogate in an ingested id", "POST", "/ingest/customers",
     raw_json({"records": [{"id": "\ud800"}]}), "records.0.id"),
    ("surrogate in a preview value", "POST", "/segments/preview",
     raw_json({"rules": {"combinator": "and", "rules": [{"field": "full_name", "operator": "is",
                                                          "value": "\ud800"}]}}), "rules.rules.0.value"),
    ("surrogate in a segment name", "POST", "/segments", raw_json({"name": "\ud800", "rules": RULES}), "name"),
    ("employees = 10^30", "POST", "/ingest/companies",
     ingest_body('{"id": "a", "employees": ' + big(31) + "}"), "records.0.employees"),
    ("a 4,000-digit number", "POST", "/ingest/companies",
     ingest_body('{"id": "a", "revenue": ' + big(4000) + "}"), "records.0.revenue"),
    ("amount = 10^400", "POST", "/ingest/orders",
     ingest_body('{"id": "o1", "customer_id": "c1", "amount": ' + big(401) + "}"), "records.0.amount"),
    ("amount = 10^20", "POST", "/ingest/orders",
     ingest_body('{"id": "o1", "customer_id": "c1", "amount": 1e20}'), "records.0.amount"),
    ("created_at = year 1", "POST", "/ingest/customers",
     raw_json({"records": [{"id": "c2", "created_at": "0001-01-01T00:00:00"}]}), "records.0.created_at"),
    ("created_at = year 9999 at -12:00", "POST", "/ingest/customers",
     raw_json({"records": [{"id": "c2", "created_at": "9999-12-31T23:59:59-12:00"}]}), "records.0.created_at"),
    ("created_to = 9999-12-31", "GET", "/segments?created_to=9999-12-31", None, "created_to"),
    ("created_from = 0001-01-01 at +14:00", "GET", "/segments?created_from=0001-01-01&tz=Etc/GMT-14", None,
     "created_from"),
    ("NUL in a segment name", "POST", "/segments", raw_json({"name": "a\x00b", "rules": RULES}), "name"),
    ("NUL in a token name", "POST", "/auth/api-tokens", raw_json({"name": "t\x00"}), "name"),
    ("NUL in a field label", "POST", "/custom-fields",
     raw_json({"key": "colour", "label": "Col\x00our", "type": "single_line_text"}), "label"),
]


@pytest.fixture
def org(client, make_org):
    handle = make_org()
    r = client.post(API + "/ingest/customers", headers=handle.headers(), json={"records": [{"id": "c1"}]})
    assert r.status_code == 200, r.text
    return handle


@pytest.mark.parametrize(("method", "url", "body", "path"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_malformed_input_is_a_400_naming_the_field(client, org, method, url, body, path):
    headers = {**org.headers(), "Content-Type": "application/json"}
    r = client.request(method, API + url, content=body, headers=headers)
    assert r.status_code == 400, r.text
    error = r.json()["error"]
    assert error["code"] == "validation_error", error
    assert path in [f["path"] for f in error["fields"]], error
    # Nothing of a refused request is kept.
    assert client.get(API + "/segments", headers=org.headers()).json()["total"] == 0
    assert [t["name"] for t in client.get(API + "/auth/api-tokens", headers=org.headers()).json()] == []
    assert client.get(API + "/custom-fields", headers=org.headers()).json() == []


def test_a_refused_value_keeps_the_keep_alive_connection(app, org):
    """Over a real server: a 500 made uvicorn drop the connection; a 400 keeps it for the next request."""
    import http.client
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False,
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
        headers = {**org.headers(), "Content-Type": "application/json"}
        sockets = set()
        for _, method, url, body, _path in CASES:
            conn.request(method, API + url, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            assert response.status == 400, (url, response.status)
            assert response.getheader("connection", "").lower() != "close"
            sockets.add(id(conn.sock))
        assert len(sockets) == 1, "every request went over the one connection"
        conn.close()
    finally:
        server.should_exit = True
        thread.join(timeout=20)
