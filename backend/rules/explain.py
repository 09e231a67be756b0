"""Why one customer is in or out: each node of the tree marked matched or not, with the customer's values.

A node's `matched` is whether the customer is among that node's own matches — the set node_counts
counts. Each condition is decided from the values its storage kind's `records` reads for this one
customer (indexed reads of the customer's own rows), by the reference evaluator's test — rather than
by the compiled SQL, whose side-table sets are built over the whole organisation (the differential
tests hold the two to the same answer, and tests/backend/rules/test_explain_differential.py holds
explain to each node's own preview). Groups combine their conditions by `node_counts.combine`.
"""

from __future__ import annotations

import operator
from typing import Any

from sqlalchemy.orm import Session

from backend.rules.node_counts import combine, conditions_of, shaped
from backend.rules.predicates import EvalContext
from backend.rules.reference import found_matches, value_matches
from backend.rules.storage import FieldValue
from backend.rules.tree import Condition, Group, Node

MAX_RECORDS = 20


def _tested(c: Condition, found: list[FieldValue]) -> Any:
    """The value the reference evaluator tests: one per record for per-record kinds, else the one value."""
    if c.field.per_record:
        return [r.value for r in found]
    return found[0].value if found else None


def _values(c: Condition, found: list[FieldValue], ctx: EvalContext) -> dict[str, Any]:
    if not c.field.per_record:
        return {"value": found[0].value if found else None}
    records = [{"id": r.record, "value": r.value, "matched": value_matches(c, r.value, ctx)} for r in found]
    records.sort(key=lambda r: not r["matched"])  # stable: matching first, each part in record order
    records = records[:MAX_RECORDS]
    return {"value": [r["value"] for r in records], "records": records}


def explain(session: Session, org_id: int, ctx: EvalContext, root: Group, customer_pk: int) -> dict[str, Any]:
    """`{"matched", "tree"}`: the tree mirrored with each node's `matched`, conditions with `value` (and
    `records` for conditions on associated records)."""
    found: dict[str, list[FieldValue]] = {}
    for c in conditions_of(root):  # one read per field, however many conditions use it
        if c.field.key not in found:
            found[c.field.key] = c.field.storage.records(session, org_id, customer_pk, ctx)
    truths = {id(c): found_matches(c, _tested(c, found[c.field.key]), ctx) for c in conditions_of(root)}

    def matched(node: Node) -> bool:
        return combine(node, lambda c: truths[id(c)], all, any, operator.not_)

    def node_value(node: Node) -> dict[str, Any]:
        out: dict[str, Any] = {"matched": matched(node)}
        if isinstance(node, Condition):
            out.update(_values(node, found[node.field.key], ctx))
        return out

    tree = shaped(root, node_value)
    return {"matched": tree["matched"], "tree": tree}
