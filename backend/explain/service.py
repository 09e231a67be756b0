"""Explain one customer against a rule tree or a saved segment. Functions take the session; read only."""

from __future__ import annotations

import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.auth import scoping
from backend.customers.models import Customer
from backend.deps import Principal
from backend.errors import not_found
from backend.evaluation.models import EvaluationState, SegmentMember
from backend.rules import engine
from backend.rules.explain import explain
from backend.segments.models import Segment


def visible_customer(session: Session, principal: Principal, customer_id: str) -> Customer:
    """The caller's customer by its own id; 404 for an unknown one and one the caller may not see alike."""
    customer = session.scalar(select(Customer).where(Customer.org_id == principal.org_id,
                                                     Customer.ext_id == customer_id,
                                                     scoping.customer_filter(principal)))
    if customer is None:
        raise not_found("Customer")
    return customer


def explain_rules(session: Session, principal: Principal, rules: Any, customer_id: Any, *,
                  today: datetime.date | None = None) -> dict[str, Any]:
    """An unsaved tree (the builder's): parsed under the organisation's limits, like a preview."""
    tree = engine.parse_and_validate(session, principal.org, rules)
    customer = visible_customer(session, principal, str(customer_id))
    ctx = engine.eval_context(principal.org, today)
    return {"customer_id": customer.ext_id, **explain(session, principal.org_id, ctx, tree.root, customer.pk)}


def explain_segment(session: Session, principal: Principal, segment: Segment, customer_id: str, *,
                    today: datetime.date | None = None) -> dict[str, Any]:
    """A saved segment's current rules (stored trees keep the limits they were saved under), and whether
    the customer is in the committed membership: when that differs from `matched`, the data changed since
    the last evaluation."""
    customer = visible_customer(session, principal, customer_id)
    tree = engine.parse_and_validate(session, principal.org, segment.rules, enforce_limits=False)
    ctx = engine.eval_context(principal.org, today)
    member = session.scalar(
        select(SegmentMember.customer_pk)
        .join(EvaluationState, EvaluationState.current_evaluation_id == SegmentMember.evaluation_id)
        .where(EvaluationState.segment_id == segment.id, SegmentMember.customer_pk == customer.pk))
    return {"customer_id": customer.ext_id, "segment_id": segment.id, "in_segment": member is not None,
            **explain(session, principal.org_id, ctx, tree.root, customer.pk)}
