"""Explain and profile routes: thin — parse, check who may, call the service."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from backend.auth import scoping
from backend.deps import CurrentPrincipal, Principal, SessionDep
from backend.errors import FieldError, validation_error
from backend.explain import profile, service
from backend.explain.schemas import EXPLAIN_BODY, CustomerProfile, Explanation, SegmentExplanation
from backend.rules.routes import rules_request, segment_user
from backend.segments.schemas import DbId, error_responses

router = APIRouter(tags=["explain"])


@router.post("/segments/explain", response_model=Explanation, openapi_extra=EXPLAIN_BODY,
             responses=error_responses(404))
def explain_rules(session: SessionDep, principal: Annotated[Principal, Depends(segment_user)],
                  body: Annotated[dict[str, Any], Depends(rules_request)]) -> dict[str, Any]:
    """Each node of the tree marked matched or not for one customer, with the customer's values."""
    customer_id = body.get("customer_id")
    if not isinstance(customer_id, str | int) or isinstance(customer_id, bool) or not str(customer_id).strip():
        raise validation_error([FieldError("customer_id", "Enter the customer's id.")])
    return service.explain_rules(session, principal, body["rules"], customer_id)


@router.get("/segments/{segment_id}/explain/{customer_id}", response_model=SegmentExplanation,
            responses=error_responses(404))
def explain_segment(segment_id: DbId, customer_id: str, session: SessionDep,
                    principal: CurrentPrincipal) -> dict[str, Any]:
    """The same for the segment's current rules, and whether the committed membership has the customer."""
    segment = scoping.visible_segment(session, principal, segment_id)
    return service.explain_segment(session, principal, segment, customer_id)


@router.get("/customers/{customer_id}", response_model=CustomerProfile, responses=error_responses(404))
def customer_profile(customer_id: str, session: SessionDep, principal: CurrentPrincipal) -> dict[str, Any]:
    """Every property, custom field and metric value, the latest records per association, the segments."""
    return profile.customer_profile(session, principal, customer_id)
