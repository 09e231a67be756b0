"""The customer profile: every property, custom field and metric value, the latest associated records,
and the segments the customer is in. The customer's rows are read once per table (the reference
evaluator's loader, narrowed to one customer) and each field's value is its storage kind's
`python_value`, the value the rules test (the differential tests hold it to what the SQL and explain see)."""

from __future__ import annotations

import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.auth.permissions import SEGMENT_VIEW, Level
from backend.deps import Principal
from backend.evaluation.service import customer_segments
from backend.explain.service import visible_customer
from backend.rules import engine, reference
from backend.rules.fields import FieldDef
from backend.rules.storage import ASSOCIATION_TABLES

LATEST_RECORDS = 10
# Which of a record's dates says how recent it is (the contract's record-level date of each association).
RECENCY = {"conversations": "last_activity_at", "campaigns": "sent_at", "deals": "created_at",
           "tickets": "created_at"}
HIDDEN_COLUMNS = {"pk", "org_id", "customer_pk", "ext_id"}
CUSTOM_PREFIX = "custom."  # the organisation's own fields (the catalog's "Custom fields" group also has built-ins)
METRICS_GROUP = "Metrics"


def _section(field: FieldDef) -> str | None:
    """Where a catalog field's value goes in the profile; None for a column of each associated record
    (those are shown as the records themselves)."""
    if field.key.startswith(CUSTOM_PREFIX):
        return "custom_fields"
    if field.group == METRICS_GROUP or (not field.per_record and field.association is not None):
        return "metrics"
    if field.per_record and field.association in ASSOCIATION_TABLES:
        return None
    return "properties"


def latest_records(session: Session, org_id: int, customer_pk: int) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for name, table in ASSOCIATION_TABLES.items():
        recency = table.c[RECENCY[name]]
        rows = session.execute(select(table).where(table.c.customer_pk == customer_pk, table.c.org_id == org_id)
                               .order_by(recency.is_(None), recency.desc(), table.c.pk.desc())
                               .limit(LATEST_RECORDS)).mappings()
        out[name] = [{"id": r["ext_id"], **{k: v for k, v in r.items() if k not in HIDDEN_COLUMNS}} for r in rows]
    return out


def _may_see_segments(principal: Principal) -> bool:
    return principal.package.segmentation and principal.level(SEGMENT_VIEW) != Level.DISABLED


def customer_profile(session: Session, principal: Principal, customer_id: str, *,
                     today: datetime.date | None = None) -> dict[str, Any]:
    customer = visible_customer(session, principal, customer_id)
    registry = engine.build_registry(session, principal.org)
    ctx = engine.eval_context(principal.org, today)
    record = reference.load(session, principal.org_id, customer.pk)[customer.pk]
    sections: dict[str, dict[str, Any]] = {"properties": {}, "custom_fields": {}, "metrics": {}}
    for field in registry.fields.values():
        section = _section(field)
        if section is None:
            continue
        value = field.storage.python_value(record, ctx)
        if field.per_record:  # the company's columns: its one record's value
            value = value[0] if value else None
        sections[section][field.key] = value
    segments = customer_segments(session, principal, customer.ext_id)["segments"] if _may_see_segments(
        principal) else []
    return {"id": customer.ext_id, "full_name": customer.full_name, **sections,
            "associations": latest_records(session, principal.org_id, customer.pk), "segments": segments}
