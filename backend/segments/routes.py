"""Segment definition routes: thin — parse, check who may, call the service, shape the answer."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, status
from sqlalchemy.orm import Session

from backend.auth import scoping
from backend.deps import CurrentPrincipal, Principal, SegmentViewer, SessionDep, VisibleSegment
from backend.evaluation.clock import NowDep
from backend.evaluation.models import PENDING, EvaluationState
from backend.segments import service
from backend.segments.models import Segment
from backend.segments.schemas import (
    DbId,
    RefreshAccepted,
    SegmentCreate,
    SegmentList,
    SegmentRead,
    SegmentUpdate,
    error_responses,
)

router = APIRouter(tags=["segments"])


def segment_read(segment: Segment, state: EvaluationState | None, principal: Principal,
                 summary: str | None = None) -> SegmentRead:
    return SegmentRead(
        id=segment.id, name=segment.name, description=segment.description, rules=segment.rules,
        status=segment.status, readiness=state.readiness if state else PENDING,
        member_count=state.member_count if state else 0,
        last_evaluated_at=state.last_evaluated_at if state else None,
        created_by=segment.created_by_name, created_by_user_id=segment.created_by_user_id,
        created_at=segment.created_at, updated_at=segment.updated_at, archived_at=segment.archived_at,
        summary=summary, can_edit=scoping.can_manage(principal, segment),
        can_archive=scoping.can_archive(principal, segment), can_delete=scoping.can_manage(principal, segment))


def _detail(session: Session, principal: Principal, segment: Segment) -> SegmentRead:
    return segment_read(segment, service.state_of(session, segment.id), principal,
                        service.summary_text(session, principal, segment))


@router.post("/segments", status_code=status.HTTP_201_CREATED, response_model=SegmentRead,
             responses=error_responses(409))
def create_segment(body: SegmentCreate, session: SessionDep, principal: CurrentPrincipal) -> SegmentRead:
    segment = service.create_segment(session, principal, name=body.name, description=body.description,
                                     rules=body.rules)
    return _detail(session, principal, segment)


@router.get("/segments", response_model=SegmentList, responses=error_responses())
def list_segments(
    session: SessionDep, principal: SegmentViewer, now: NowDep,
    search: Annotated[str | None, Query(max_length=200, description="Ignored under 3 characters")] = None,
    status_: Annotated[Literal["active", "archived"] | None, Query(alias="status")] = None,
    created: Annotated[Literal["all", "today", "last_7_days"] | None,
                       Query(description="A preset of the created-date filter, in `tz`")] = None,
    created_from: Annotated[date | None, Query(description="Inclusive, a day in `tz`")] = None,
    created_to: Annotated[date | None, Query(description="Inclusive, a day in `tz`")] = None,
    tz: Annotated[str | None, Query(max_length=64, description="IANA timezone of the dates; UTC when omitted")] = None,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> SegmentList:
    f = service.ListFilter(search=search, status=status_, created=created, created_from=created_from,
                           created_to=created_to, tz=tz, page=page, page_size=page_size)
    rows, total = service.list_segments(session, principal, f, now=now)
    summaries = service.summary_texts(session, principal, [seg for seg, _ in rows])
    return SegmentList(items=[segment_read(seg, state, principal, summaries[seg.id]) for seg, state in rows],
                       total=total, page=page, page_size=page_size)


@router.get("/segments/{segment_id}", response_model=SegmentRead, responses=error_responses(404))
def get_segment(segment: VisibleSegment, session: SessionDep, principal: CurrentPrincipal) -> SegmentRead:
    return _detail(session, principal, segment)


@router.put("/segments/{segment_id}", response_model=SegmentRead, responses=error_responses(404, 409))
def update_segment(segment_id: DbId, body: SegmentUpdate, session: SessionDep,
                   principal: CurrentPrincipal) -> SegmentRead:
    # Looked up after the body is valid (a 400 names every bad value before a 404), so not a dependency.
    segment = scoping.visible_segment(session, principal, segment_id)
    changes = {key: getattr(body, key) for key in body.model_fields_set}
    segment = service.update_segment(session, principal, segment, changes)
    return _detail(session, principal, segment)


@router.delete("/segments/{segment_id}", response_model=SegmentRead, responses=error_responses(404))
def delete_segment(segment: VisibleSegment, session: SessionDep, principal: CurrentPrincipal) -> SegmentRead:
    gone = segment_read(segment, service.state_of(session, segment.id), principal)
    service.delete_segment(session, principal, segment)
    return gone


@router.post("/segments/{segment_id}/duplicate", status_code=status.HTTP_201_CREATED, response_model=SegmentRead,
             responses=error_responses(404, 409))
def duplicate_segment(source: VisibleSegment, session: SessionDep, principal: CurrentPrincipal) -> SegmentRead:
    return _detail(session, principal, service.duplicate_segment(session, principal, source))


@router.post("/segments/{segment_id}/archive", response_model=SegmentRead, responses=error_responses(404))
def archive_segment(segment: VisibleSegment, session: SessionDep, principal: CurrentPrincipal) -> SegmentRead:
    return _detail(session, principal, service.archive_segment(session, principal, segment))


@router.post("/segments/{segment_id}/unarchive", response_model=SegmentRead, responses=error_responses(404, 409))
def unarchive_segment(segment: VisibleSegment, session: SessionDep, principal: CurrentPrincipal) -> SegmentRead:
    return _detail(session, principal, service.unarchive_segment(session, principal, segment))


@router.post("/segments/{segment_id}/refresh", status_code=status.HTTP_202_ACCEPTED, response_model=RefreshAccepted,
             responses=error_responses(404, 409, 429))
def refresh_segment(segment: VisibleSegment, session: SessionDep, principal: CurrentPrincipal,
                    now: NowDep) -> RefreshAccepted:
    job = service.request_refresh(session, principal, segment, now=now)
    return RefreshAccepted(segment_id=segment.id, job_id=job.id, queued_at=job.queued_at)
