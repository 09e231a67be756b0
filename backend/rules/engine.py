"""The rule engine's public interface (segments and evaluation code against these names)."""

from __future__ import annotations

import datetime

import sqlalchemy
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from backend.auth.org_settings import HasOrgSettings
from backend.auth.packages import require_segmentation
from backend.customers.models import Customer
from backend.rules.compiler import Compiler
from backend.rules.fields import Registry, build_registry
from backend.rules.predicates import EvalContext
from backend.rules.summary import node_text
from backend.rules.tree import (
    Condition,
    Group,
    Limits,
    Node,
    RuleTree,
    parse_and_validate,
    without_ids,
)

__all__ = [
    "Condition", "Group", "Limits", "Node", "Registry", "RuleTree", "build_registry", "compile_node", "count_matching",
    "eval_context", "matching_customer_pks", "parse_and_validate", "require_segmentation", "summarize", "without_ids",
]


def eval_context(org: HasOrgSettings, today: datetime.date | None = None) -> EvalContext:
    """"Today" in the organisation's timezone, fixed once per evaluation."""
    return EvalContext.for_timezone(org.timezone, today)


def compile_node(org: HasOrgSettings, node: Node, *, today: datetime.date | None = None) -> ColumnElement[bool]:
    """Any node (the root, a group, one condition) as a boolean over the `customers` row."""
    return Compiler(org.id, eval_context(org, today)).node(node)


def matching_customer_pks(session: Session, org: HasOrgSettings, tree: RuleTree, *,
                          today: datetime.date | None = None) -> sqlalchemy.Select:
    """SELECT customers.pk of the org's customers matching the tree, as one statement."""
    return select(Customer.pk).where(Customer.org_id == org.id, compile_node(org, tree.root, today=today))


def count_matching(session: Session, org: HasOrgSettings, node: Node, *,
                   today: datetime.date | None = None) -> int:
    """How many of the org's customers a node (whole tree, group or single condition) matches."""
    stmt = select(func.count()).select_from(Customer).where(Customer.org_id == org.id,
                                                            compile_node(org, node, today=today))
    return int(session.scalar(stmt) or 0)


def summarize(session: Session, org: HasOrgSettings, tree: RuleTree) -> str:
    """"Source is WhatsApp AND (Deal stage is Won OR Days since last conversation is greater than 90)"."""
    return node_text(tree.root)
