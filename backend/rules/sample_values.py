"""The values of the fields a tree uses, for the preview's sample: the reason a customer matched, visible
beside their name without opening anything. Each value comes from the field's storage kind (`records`, as
explain reads it); a field on associated records gives its records' distinct values (at most
`MAX_VALUES`), a short summary rather than every record."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.rules.node_counts import conditions_of
from backend.rules.predicates import EvalContext
from backend.rules.storage import CUSTOMERS
from backend.rules.tree import Group

MAX_VALUES = 5
MAX_FIELDS = 6  # the first fields of the tree, in tree order; the table shows a few columns at most


def _summary(values: list[Any]) -> list[Any]:
    distinct: list[Any] = []
    for v in values:
        if v not in distinct and v not in (None, "", []):
            distinct.append(v)
    return distinct[:MAX_VALUES]


def rule_values(session: Session, org_id: int, ctx: EvalContext, root: Group,
                customer_ids: list[str]) -> dict[str, dict[str, Any]]:
    """`{customer ext_id: {field key: value}}` for the sample's customers and the tree's fields."""
    fields = []
    for c in conditions_of(root):
        if c.field not in fields:
            fields.append(c.field)
    fields = fields[:MAX_FIELDS]
    if not customer_ids or not fields:
        return {}
    pks = dict(session.execute(select(CUSTOMERS.c.ext_id, CUSTOMERS.c.pk).where(
        CUSTOMERS.c.org_id == org_id, CUSTOMERS.c.ext_id.in_(customer_ids))).all())
    out: dict[str, dict[str, Any]] = {}
    for ext_id, pk in pks.items():
        values: dict[str, Any] = {}
        for field in fields:
            found = field.storage.records(session, org_id, pk, ctx)
            if field.per_record:
                values[field.key] = _summary([r.value for r in found])
            else:
                values[field.key] = found[0].value if found else None
        out[ext_id] = values
    return out
