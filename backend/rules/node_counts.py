"""How many customers each node of a rule tree matches alone, in one statement.

Each condition's predicate (built by its storage kind, through the compiler) is computed once per
customer in a materialised CTE, one boolean column per condition; the outer select counts, for every
node, the customers whose columns combine to true the way that node combines them. So a condition
shared by a group and the root is evaluated once, not once per enclosing node, and the whole tree costs
one pass over the organisation's customers. The root's count equals the preview's `matched`: it is the
same boolean over the same rows (SQL's three-valued AND/OR over the columns is the AND/OR of the
predicates themselves).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any, TypeVar

from sqlalchemy import and_, false, func, or_, select, true
from sqlalchemy import not_ as sql_not
from sqlalchemy.orm import Session

from backend.rules.compiler import Compiler
from backend.rules.predicates import EvalContext, SqlBool
from backend.rules.storage import CUSTOMERS
from backend.rules.tree import Condition, Group, Node

T = TypeVar("T")


def conditions_of(node: Node) -> Iterator[Condition]:
    """The conditions under `node`, depth first in tree order."""
    if isinstance(node, Condition):
        yield node
        return
    for child in node.rules:
        yield from conditions_of(child)


def nodes_of(node: Node) -> Iterator[Node]:
    """Every node under `node` (itself first), depth first in tree order."""
    yield node
    if isinstance(node, Group):
        for child in node.rules:
            yield from nodes_of(child)


def combine(node: Node, leaf: Callable[[Condition], T], all_: Callable[[list[T]], T],
            any_: Callable[[list[T]], T], not_: Callable[[T], T]) -> T:
    """A node's truth built from its conditions' (SQL expressions or Python booleans alike): the one
    place that says how a group combines its children (and that a NOT group denies the result)."""
    if isinstance(node, Condition):
        return leaf(node)
    parts = [combine(child, leaf, all_, any_, not_) for child in node.rules]
    whole = all_(parts) if node.combinator == "and" else any_(parts)
    return not_(whole) if node.negate else whole


def _sql_all(parts: list[SqlBool]) -> SqlBool:
    return and_(*parts) if parts else true()


def _sql_any(parts: list[SqlBool]) -> SqlBool:
    return or_(*parts) if parts else false()


def shaped(node: Node, value: Callable[[Node], dict[str, Any]]) -> dict[str, Any]:
    """The tree mirrored as the wire shape: `value(node)` for each node, groups with their `rules`, and
    each node's `id` as sent (so the app matches answers to rows after moves)."""
    out = value(node)
    if node.id is not None:
        out = {"id": node.id, **out}
    if isinstance(node, Group):
        out["rules"] = [shaped(child, value) for child in node.rules]
    return out


def _per_customer(org_id: int, ctx: EvalContext, root: Group) -> tuple[Any, Callable[[Node], SqlBool]]:
    """The CTE of one boolean column per condition, and each node's truth over its columns."""
    compiler = Compiler(org_id, ctx)
    conditions = list(conditions_of(root))
    columns = {id(c): f"c{i}" for i, c in enumerate(conditions)}
    cte = (select(CUSTOMERS.c.pk.label("customer_pk"),
                  *[compiler.condition(c).label(columns[id(c)]) for c in conditions])
           .where(CUSTOMERS.c.org_id == org_id)
           .cte("node_conditions").prefix_with("MATERIALIZED"))

    def truth(node: Node) -> SqlBool:
        return combine(node, lambda c: cte.c[columns[id(c)]].is_(True), _sql_all, _sql_any, sql_not)

    return cte, truth


def node_counts(session: Session, org_id: int, ctx: EvalContext, root: Group) -> dict[str, Any]:
    """`{"matched": n, "rules": [...]}` mirroring the tree: each node's count as if it were the whole tree."""
    return counts_and_sample(session, org_id, ctx, root, [], [], 0)[0]


def counts_and_sample(session: Session, org_id: int, ctx: EvalContext, root: Group, columns: list[Any],
                      order_by: list[Any], limit: int) -> tuple[dict[str, Any], list[Any]]:
    """The node counts and the first `limit` matching customers (`columns` of `customers`, in `order_by`),
    in one statement over one computation of the conditions: the preview with node counts costs one pass."""
    cte, truth = _per_customer(org_id, ctx, root)
    nodes = list(nodes_of(root))
    counts = select(*[func.count().filter(truth(node)).label(f"n{i}") for i, node in enumerate(nodes)]) \
        .select_from(cte).subquery("counts")
    if limit:
        sample = (select(*columns).select_from(cte.join(CUSTOMERS, CUSTOMERS.c.pk == cte.c.customer_pk))
                  .where(truth(root)).order_by(*order_by).limit(limit).subquery("sample"))
        rows = session.execute(select(counts, sample).select_from(counts.outerjoin(sample, true()))).all()
    else:
        rows = session.execute(select(counts)).all()
    first = rows[0]
    by_node = {id(node): int(first[i] or 0) for i, node in enumerate(nodes)}
    keys = [c.key for c in columns]
    sampled = [SimpleNamespace(**{k: row._mapping[k] for k in keys}) for row in rows
               if limit and row._mapping[keys[0]] is not None]
    return shaped(root, lambda node: {"matched": by_node[id(node)]}), sampled
