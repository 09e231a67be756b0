"""Routes over evaluation results: members, summary, performance, history, events, export, customer segments."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from backend.auth import scoping
from backend.deps import CurrentPrincipal, DatabaseDep, SessionDep
from backend.evaluation import service
from backend.evaluation.clock import NowDep
from backend.evaluation.schemas import (
    ChangesPage,
    CustomerSegments,
    EvaluationsPage,
    EventsPage,
    MembersPage,
    SegmentPerformance,
    SegmentSummary,
)
from backend.segments import service as segment_service
from backend.segments.schemas import DbId, error_responses

router = APIRouter(tags=["segment results"])

Page = Annotated[int, Query(ge=1, le=1_000_000)]
PageSize = Annotated[int, Query(ge=1, le=100)]


@router.get("/segments/{segment_id}/members", response_model=MembersPage, responses=error_responses(404))
def segment_members(segment_id: DbId, session: SessionDep, principal: CurrentPrincipal, page: Page = 1,
                    page_size: PageSize = 20) -> dict:
    """The committed membership; owned-only viewers see their customers, and `visible` says how many."""
    segment = scoping.visible_segment(session, principal, segment_id)
    return service.members_page(session, principal, segment, page=page, page_size=page_size)


@router.get("/segments/{segment_id}/summary", response_model=SegmentSummary, responses=error_responses(404))
def segment_summary(segment_id: DbId, session: SessionDep, principal: CurrentPrincipal) -> dict:
    segment = scoping.visible_segment(session, principal, segment_id)
    return service.summary(session, principal, segment, segment_service.summary_text(session, principal, segment))


@router.get("/segments/{segment_id}/performance", response_model=SegmentPerformance, responses=error_responses(404))
def segment_performance(segment_id: DbId, session: SessionDep, principal: CurrentPrincipal, now: NowDep,
                        range_: Annotated[Literal["all", "7d", "30d"], Query(alias="range")] = "all") -> dict:
    segment = scoping.visible_segment(session, principal, segment_id)
    return service.performance(session, segment, range_key=range_, now=now)


@router.get("/segments/{segment_id}/evaluations", response_model=EvaluationsPage, responses=error_responses(404))
def segment_evaluations(segment_id: DbId, session: SessionDep, principal: CurrentPrincipal, page: Page = 1,
                        page_size: PageSize = 20) -> dict:
    segment = scoping.visible_segment(session, principal, segment_id)
    return service.evaluations_page(session, segment, page=page, page_size=page_size)


@router.get("/segments/{segment_id}/evaluations/{evaluation_id}/changes", response_model=ChangesPage,
            responses=error_responses(404))
def evaluation_changes(segment_id: DbId, evaluation_id: DbId, session: SessionDep, principal: CurrentPrincipal,
                       change: Literal["entered", "left"] | None = None, page: Page = 1,
                       page_size: PageSize = 50) -> dict:
    """Who entered and who left in one evaluation (kept at least 90 days)."""
    segment = scoping.visible_segment(session, principal, segment_id)
    return service.changes_page(session, principal, segment, evaluation_id, change=change, page=page,
                                page_size=page_size)


@router.get("/segments/{segment_id}/events", response_model=EventsPage, responses=error_responses(404))
def segment_events(segment_id: DbId, session: SessionDep, principal: CurrentPrincipal,
                   name: Annotated[str | None, Query(max_length=64)] = None, page: Page = 1,
                   page_size: PageSize = 20) -> dict:
    segment = scoping.visible_segment(session, principal, segment_id)
    return service.events_page(session, principal, segment_id=segment.id, name=name, page=page,
                               page_size=page_size)


@router.get("/segment-events", response_model=EventsPage, responses=error_responses())
def org_segment_events(session: SessionDep, principal: CurrentPrincipal,
                       name: Annotated[str | None, Query(max_length=64)] = None, page: Page = 1,
                       page_size: PageSize = 20) -> dict:
    """Evaluation events of visible segments, and org alerts such as a spent evaluation budget."""
    scoping.require_view(principal)
    return service.events_page(session, principal, segment_id=None, name=name, page=page, page_size=page_size)


@router.get("/segments/{segment_id}/export", responses={
    **error_responses(404),
    200: {"content": {"text/csv": {}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}},
          "description": "Every default and custom property of the members the caller may see"}})
def export_members(segment_id: DbId, session: SessionDep, db: DatabaseDep, principal: CurrentPrincipal,
                   format_: Annotated[Literal["csv", "xlsx"], Query(alias="format")] = "csv") -> StreamingResponse:
    segment = scoping.visible_segment(session, principal, segment_id)
    query = service.export_query(principal, segment)
    filename = f"segment-{segment.id}-members.{format_}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if format_ == "xlsx":
        return StreamingResponse(service.stream_xlsx(db, query), headers=headers,
                                 media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return StreamingResponse(service.stream_csv(db, query), headers=headers, media_type="text/csv; charset=utf-8")


@router.get("/customers/{customer_id}/segments", response_model=CustomerSegments, responses=error_responses(404))
def customer_segments(customer_id: str, session: SessionDep, principal: CurrentPrincipal) -> dict:
    """Active segments the customer (by the caller's own id) belongs to, from the latest committed evaluations."""
    return service.customer_segments(session, principal, customer_id)
