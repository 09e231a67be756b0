"""Property-based run over the served /openapi.json: every operation, signed in, bounded examples.

It must find no server error (5xx) and no response outside the documented schema (body shape and
content type of each documented status). Runs in process through the ASGI app.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance

from backend.campaigns.service import ensure_demo_templates
from backend.evaluation.worker import run_pending

MAX_EXAMPLES = 15
# Signing out would revoke the token the rest of the run uses; everything else is exercised.
SKIPPED = {("POST", "/api/v1/auth/logout")}
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


@pytest.fixture
def seeded(db, app, make_org, client):
    org = make_org(package="ultimate")
    headers = org.headers()
    client.post("/api/v1/custom-fields", headers=headers,
                json={"key": "score", "label": "Score", "type": "number"})
    client.post("/api/v1/ingest/customers", headers=headers, json={"records": [
        {"id": "k1", "full_name": "Kartika", "source": "WhatsApp", "phone": "+62811", "email": "k@example.com",
         "custom": {"score": 7}},
        {"id": "k2", "full_name": "Joko", "source": "Email", "custom": {"score": 3}}]})
    with db.session() as session:
        ensure_demo_templates(session, org.id)
    r = client.post("/api/v1/segments", headers=headers, json={"name": "WhatsApp", "rules": {
        "combinator": "and", "rules": [{"field": "source", "operator": "is", "value": "WhatsApp"}]}})
    assert r.status_code == 201, r.text
    run_pending(db)
    return headers


def test_no_operation_answers_5xx_or_outside_its_schema(db, app, seeded):
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: list[str] = []
    ran = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) in SKIPPED:
            continue
        ran += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def exercise(case) -> None:
            response = case.call(headers=seeded)
            case.validate_response(response, checks=CHECKS)

        try:
            exercise()
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report them all
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:800]}")
    assert ran >= 30
    assert not failures, "\n\n".join(failures)
