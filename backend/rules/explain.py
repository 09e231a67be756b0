"""Why one customer is in or out: each node of the tree marked matched or not, with the customer's values.

A node's `matched` is whether the customer is among that node's own matches — the set node_counts
counts — so it comes from the same compiled predicates, all conditions in one statement over the
customer's row, combined per group by `node_counts.combine` (a NULL predicate is false, as in WHERE;
groups only AND and OR, so two-valued combination gives the same answer as SQL's three-valued one).
The values beside each condition come from its storage kind's `records`; whether one associated
record satisfies a condition is the reference evaluator's test of that record's value.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.rules.compiler import Compiler
from backend.rules.node_counts import combine, conditions_of, shaped
from backend.rules.predicates import EvalContext
from backend.rules.reference import value_matches
from backend.rules.storage import CUSTOMERS, FieldValue
from backend.rules.tree import Condition, Group, Node

MAX_RECORDS = 20


def condition_truths(session: Session, org_id: int, ctx: EvalContext, root: Group,
                     customer_pk: int) -> dict[int, bool]:
    """Each condition's truth for one customer (keyed by `id(condition)`), in one statement."""
    compiler = Compiler(org_id, ctx)
    conditions = list(conditions_of(root))
    if not conditions:
        return {}
    row = session.execute(select(*[compiler.condition(c).label(f"c{i}") for i, c in enumerate(conditions)])
                          .where(CUSTOMERS.c.pk == customer_pk, CUSTOMERS.c.org_id == org_id)).one()
    return {id(c): bool(v) for c, v in zip(conditions, row, strict=True)}


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
    truths = condition_truths(session, org_id, ctx, root, customer_pk)
    found: dict[str, list[FieldValue]] = {}
    for c in conditions_of(root):  # one read per field, however many conditions use it
        if c.field.key not in found:
            found[c.field.key] = c.field.storage.records(session, org_id, customer_pk, ctx)

    def matched(node: Node) -> bool:
        return combine(node, lambda c: truths[id(c)], all, any)

    def node_value(node: Node) -> dict[str, Any]:
        out: dict[str, Any] = {"matched": matched(node)}
        if isinstance(node, Condition):
            out.update(_values(node, found[node.field.key], ctx))
        return out

    tree = shaped(root, node_value)
    return {"matched": tree["matched"], "tree": tree}
