"""Catalog, operators, value suggestions and preview routes: parse, check who may, call the service."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from backend.auth.packages import require_segmentation
from backend.auth.permissions import SEGMENT_ADD, SEGMENT_VIEW
from backend.auth.scoping import customer_filter, sees_every_customer
from backend.deps import CurrentPrincipal, Principal, SessionDep
from backend.errors import FieldError, bad_request, forbidden, validation_error
from backend.rules import service
from backend.rules.operators import served_operators
from backend.rules.schemas import PREVIEW_BODY, FieldRead, OperatorRead, PreviewRead, SuggestionsRead

router = APIRouter(tags=["rules"])
MAX_BODY = 1_000_000


def _may_segment(principal: Principal) -> Principal:
    require_segmentation(principal.org)
    if not (principal.can(SEGMENT_VIEW) or principal.can(SEGMENT_ADD)):
        raise forbidden("You do not have permission to use segments.")
    return principal


def segment_user(principal: CurrentPrincipal) -> Principal:
    return _may_segment(principal)


async def rules_body(request: Request) -> Any:
    """The body's `rules`, parsed here so hostile JSON (huge, too deep) is a 400, never a 500."""
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise bad_request("The request body is too large.", "too_large")
    try:
        body = json.loads(raw)
    except RecursionError:
        raise bad_request("The request body nests too deeply.", "malformed_json") from None
    except ValueError:
        raise bad_request("The request body is not valid JSON.", "malformed_json") from None
    if not isinstance(body, dict) or "rules" not in body:
        raise validation_error([FieldError("rules", "This value is required.")])
    return body["rules"]


@router.get("/fields", response_model=list[FieldRead], response_model_exclude_none=False)
def list_fields(session: SessionDep, principal: Annotated[Principal, Depends(segment_user)]) -> list[dict[str, Any]]:
    return service.catalog(session, principal.org)


@router.get("/operators", response_model=list[OperatorRead])
def list_operators(principal: Annotated[Principal, Depends(segment_user)]) -> list[dict[str, str]]:
    """Every operator the catalog uses, with the words the app shows and the shape of value it takes."""
    return served_operators()


@router.get("/fields/{key}/suggestions", response_model=SuggestionsRead)
def field_suggestions(key: str, session: SessionDep, principal: Annotated[Principal, Depends(segment_user)],
                      q: Annotated[str | None, Query(description="Prefix, any case")] = None,
                      limit: Annotated[int, Query(description="1-100")] = 20) -> SuggestionsRead:
    visible = None if sees_every_customer(principal) else customer_filter(principal)
    return SuggestionsRead(values=service.suggestions(session, principal.org, key, q, limit, visible=visible))


@router.post("/segments/preview", response_model=PreviewRead, openapi_extra=PREVIEW_BODY)
def preview_segment(session: SessionDep, principal: Annotated[Principal, Depends(segment_user)],
                    rules: Annotated[Any, Depends(rules_body)]) -> PreviewRead:
    visible = None if sees_every_customer(principal) else customer_filter(principal)
    result = service.preview(session, principal.org, rules, visible=visible)
    return PreviewRead(matched=result.matched, total_customers=result.total_customers, summary=result.summary,
                       sample=result.sample, visible=result.visible)
