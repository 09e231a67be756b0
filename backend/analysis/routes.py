"""Analysis routes: compare segments, and the customers index. Thin: parse, call the service, shape."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from backend.analysis import service
from backend.analysis.schemas import CompareRequest, CompareResult, CustomerList
from backend.deps import CurrentPrincipal, SessionDep
from backend.evaluation.clock import NowDep
from backend.segments.schemas import error_responses

router = APIRouter(tags=["analysis"])


@router.post("/segments/compare", response_model=CompareResult, responses=error_responses(404))
def compare_segments(body: CompareRequest, session: SessionDep, principal: CurrentPrincipal,
                     now: NowDep) -> dict:
    """Size, reach, growth, distributions, key metrics and overlaps of 2–6 segments side by side."""
    return service.compare(session, principal, body.segment_ids, now=now)


@router.get("/customers", response_model=CustomerList, responses=error_responses())
def list_customers(session: SessionDep, principal: CurrentPrincipal,
                   search: Annotated[str | None, Query(max_length=200, description="Ignored under 3 characters; "
                                                       "matches name, id, email or phone")] = None,
                   page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
                   page_size: Annotated[int, Query(ge=1, le=100)] = 20) -> dict:
    """Customers the caller may see (owned-only viewers: those they own or are assigned), newest first."""
    return service.list_customers(session, principal, search=search, page=page, page_size=page_size)
