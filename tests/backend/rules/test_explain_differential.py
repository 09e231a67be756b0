"""Per-node counts and explain agree with previewing each node alone, on SQLite and PostgreSQL.

For random organisations and trees (the differential test's strategies): every node's `matched` in
explain is exactly membership of the customer in that node's own match set, and `node_counts` are the
counts of those sets; the root's count is the preview's `matched`.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from backend.customers.models import Customer
from backend.rules import engine, service
from backend.rules.explain import explain
from backend.rules.fields import build_registry
from backend.rules.node_counts import node_counts, nodes_of
from tests.backend.rules import factories as fx
from tests.backend.rules.test_differential import TODAY, _seed, companies, customer, trees


def _flat(shaped: dict[str, Any]) -> list[dict[str, Any]]:
    """The wire tree's nodes in the order `nodes_of` walks the parsed tree."""
    out = [shaped]
    for child in shaped.get("rules", []):
        out += _flat(child)
    return out


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(data=st.data())
def test_node_counts_and_explain_agree_with_each_nodes_own_preview(db, data):
    people = data.draw(st.lists(customer, min_size=1, max_size=6), label="customers")
    with db.session() as session:
        org = fx.make_org(session, max_groups=5, max_conditions_per_group=5)
        _seed(session, org.id, people, data.draw(companies, label="companies"))
        registry = build_registry(session, org)
        ctx = engine.eval_context(org, TODAY)
        pks = list(session.scalars(select(Customer.pk).where(Customer.org_id == org.id)))
        for _ in range(3):
            rules = data.draw(trees(registry), label="rules")
            tree = engine.parse_and_validate(session, org, rules, registry=registry)
            nodes = list(nodes_of(tree.root))
            own = [set(session.scalars(select(Customer.pk).where(
                Customer.org_id == org.id, engine.compile_node(org, node, today=TODAY)))) for node in nodes]
            counts = _flat(node_counts(session, org.id, ctx, tree.root))
            assert [c["matched"] for c in counts] == [len(s) for s in own], rules
            assert counts[0]["matched"] == service.preview(session, org, rules, today=TODAY).matched
            for pk in pks:
                explained = _flat(explain(session, org.id, ctx, tree.root, pk)["tree"])
                assert [e["matched"] for e in explained] == [pk in s for s in own], (pk, rules)
