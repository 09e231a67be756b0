"""Campaign hand-off routes: templates, per-channel estimate, recipient-list snapshots."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from backend.auth import scoping
from backend.campaigns import service
from backend.campaigns.schemas import (
    CampaignEstimate,
    Channel,
    RecipientListCreate,
    RecipientListCreated,
    RecipientListPage,
    RecipientRow,
    TemplateRead,
)
from backend.deps import CurrentPrincipal, SessionDep
from backend.segments.schemas import DbId, error_responses

router = APIRouter(tags=["campaigns"])


@router.get("/campaign-templates", response_model=list[TemplateRead], responses=error_responses())
def campaign_templates(session: SessionDep, principal: CurrentPrincipal, channel: Channel | None = None) -> list:
    return [TemplateRead(id=t.id, name=t.name, channel=t.channel, variables=list(t.variables), body=t.body)
            for t in service.list_templates(session, principal, channel)]


@router.get("/segments/{segment_id}/campaign-estimate", response_model=CampaignEstimate,
            responses=error_responses(404, 409))
def campaign_estimate(segment_id: DbId, channel: Channel, session: SessionDep,
                      principal: CurrentPrincipal) -> dict:
    """"850 of 1,050 matched customers have filled phone numbers"; 409 while the segment is not ready."""
    segment = scoping.visible_segment(session, principal, segment_id)
    return service.estimate(session, segment, channel)


@router.post("/segments/{segment_id}/recipient-lists", status_code=status.HTTP_201_CREATED,
             response_model=RecipientListCreated, responses=error_responses(404, 409))
def create_recipient_list(segment_id: DbId, body: RecipientListCreate, session: SessionDep,
                          principal: CurrentPrincipal) -> RecipientListCreated:
    segment = scoping.visible_segment(session, principal, segment_id)
    recipients = service.create_recipient_list(session, principal, segment, channel=body.channel,
                                               template_id=body.template_id, variables=body.variables)
    return RecipientListCreated(id=recipients.id, segment_id=recipients.segment_id, channel=recipients.channel,
                                size=recipients.size, reachable=recipients.reachable,
                                created_at=recipients.created_at)


@router.get("/recipient-lists/{list_id}", response_model=RecipientListPage, responses=error_responses(404))
def recipient_list(list_id: DbId, session: SessionDep, principal: CurrentPrincipal,
                   page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
                   page_size: Annotated[int, Query(ge=1, le=1000)] = 100) -> RecipientListPage:
    recipients = service.visible_recipient_list(session, principal, list_id)
    rows, total = service.recipient_rows(session, recipients, page=page, page_size=page_size)
    return RecipientListPage(
        id=recipients.id, segment_id=recipients.segment_id, segment_name=recipients.segment_name,
        channel=recipients.channel, template_id=recipients.template_id, variables=recipients.variables,
        size=recipients.size, reachable=recipients.reachable, created_at=recipients.created_at,
        items=[RecipientRow(position=r.position, customer_id=r.customer_id, reachable=r.reachable,
                            properties=r.properties, variables=r.variables) for r in rows],
        total=total, page=page, page_size=page_size)
