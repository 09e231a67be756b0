"""Templates, audience estimates and recipient-list snapshots. Functions take the session; the caller commits.

A recipient list is the segment's full committed membership, whatever the sender's own customer
view (PRD: "campaign execution uses the full segment"), frozen with every default and custom
property so the campaign service never has to read back into segments.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from backend.auth import scoping
from backend.auth.permissions import SEGMENT_VIEW, Level
from backend.auth.principal import Principal
from backend.campaigns.models import CHANNELS, EMAIL, WHATSAPP, CampaignTemplate, RecipientList, RecipientListRow
from backend.customers.models import Company, Customer
from backend.errors import FieldError, bad_request, conflict, not_found, validation_error
from backend.evaluation import properties
from backend.evaluation import service as results
from backend.evaluation.models import READY, EvaluationState
from backend.segments.models import Segment

NOT_READY_MESSAGE = "Segment is still being recalculated, please wait."
CHANNEL_NOUN = {WHATSAPP: "phone numbers", EMAIL: "email"}

DEMO_TEMPLATES: tuple[tuple[str, str, str, list[str]], ...] = (
    (WHATSAPP, "Store announcement", "Our new store is open! Visit us this weekend.", []),
    (WHATSAPP, "Personal offer", "Hi {{first_name}}, enjoy {{discount}} off your next order.",
     ["first_name", "discount"]),
    (WHATSAPP, "Loyalty tier update", "Hi {{first_name}}, you are now a {{tier}} member.", ["first_name", "tier"]),
    (EMAIL, "Monthly newsletter", "This month at our store: new arrivals and events.", []),
    (EMAIL, "Welcome email", "Dear {{full_name}}, welcome aboard. Your account email is {{email}}.",
     ["full_name", "email"]),
)


def ensure_demo_templates(session: Session, org_id: int) -> list[CampaignTemplate]:
    """Create the demo templates an organisation lacks (idempotent; the demo seed calls it)."""
    have = {(t.channel, t.name) for t in session.scalars(select(CampaignTemplate)
                                                          .where(CampaignTemplate.org_id == org_id))}
    made = []
    for channel, name, body, variables in DEMO_TEMPLATES:
        if (channel, name) not in have:
            template = CampaignTemplate(org_id=org_id, channel=channel, name=name, body=body, variables=variables)
            session.add(template)
            made.append(template)
    session.flush()
    return made


def list_templates(session: Session, principal: Principal, channel: str | None) -> list[CampaignTemplate]:
    scoping.require_view(principal)
    stmt = select(CampaignTemplate).where(CampaignTemplate.org_id == principal.org_id)
    if channel:
        stmt = stmt.where(CampaignTemplate.channel == channel)
    return list(session.scalars(stmt.order_by(CampaignTemplate.channel, CampaignTemplate.name)))


def _require_ready(session: Session, segment: Segment) -> EvaluationState:
    state = results.state(session, segment.id)
    if state is None or state.readiness != READY or state.current_evaluation_id is None:
        raise conflict(NOT_READY_MESSAGE, code="segment_not_ready")
    return state


def reachable_condition(channel: str):
    return results.phone_filled() if channel == WHATSAPP else results.valid_email()


def estimate(session: Session, segment: Segment, channel: str) -> dict[str, Any]:
    if channel not in CHANNELS:
        raise validation_error([FieldError("channel", "Choose whatsapp or email.")])
    state = _require_ready(session, segment)
    matched = state.member_count
    reachable = results.count_members(session, segment.id, reachable_condition(channel))
    return {"segment_id": segment.id, "channel": channel, "matched": matched, "reachable": reachable,
            "message": f"{reachable:,} of {matched:,} matched customers have filled {CHANNEL_NOUN[channel]}"}


def _check_variables(template: CampaignTemplate, mapping: dict[str, str], allowed: set[str]) -> None:
    problems = []
    for var in template.variables:
        prop = mapping.get(var)
        if not prop:
            problems.append(FieldError(f"variables.{var}",
                                       f"Map the template variable {var!r} to a customer property."))
        elif prop not in allowed:
            problems.append(FieldError(f"variables.{var}", f"Unknown customer property {prop!r}."))
    for extra in sorted(set(mapping) - set(template.variables)):
        problems.append(FieldError(f"variables.{extra}", f"The template has no variable {extra!r}."))
    if problems:
        raise validation_error(problems)


def create_recipient_list(session: Session, principal: Principal, segment: Segment, *, channel: str,
                          template_id: int, variables: dict[str, str]) -> RecipientList:
    template = session.scalar(select(CampaignTemplate).where(CampaignTemplate.id == template_id,
                                                             CampaignTemplate.org_id == principal.org_id))
    if template is None or template.channel != channel:
        raise validation_error([FieldError("template_id", f"Choose a {channel} template of this organisation.")])
    fields = properties.custom_fields(session, segment.org_id)
    _check_variables(template, variables, set(properties.property_keys(fields)))
    state = _require_ready(session, segment)
    reach = reachable_condition(channel)
    reachable = results.count_members(session, segment.id, reach)
    if reachable == 0:
        raise bad_request(f"None of the {state.member_count:,} matched customers have filled {CHANNEL_NOUN[channel]}.",
                          code="no_reachable_recipients")
    recipients = RecipientList(org_id=segment.org_id, segment_id=segment.id, segment_name=segment.name,
                               evaluation_id=state.current_evaluation_id, channel=channel, template_id=template.id,
                               variables=dict(variables), created_by_user_id=principal.user.id)
    session.add(recipients)
    session.flush()
    # One statement reads the committed membership, so the snapshot is of exactly one evaluation.
    stmt = (select(Customer, Company.ext_id, reach.label("reachable"))
            .outerjoin(Company, Company.pk == Customer.company_pk)
            .where(Customer.pk.in_(results.members_of(segment.id).scalar_subquery()))
            .order_by(Customer.ext_id).execution_options(yield_per=1000))
    batch: list[dict[str, Any]] = []
    size = 0
    for customer, company, is_reachable in session.execute(stmt):
        props = properties.customer_properties(customer, company, fields)
        batch.append({"list_id": recipients.id, "position": size + 1, "customer_id": customer.ext_id,
                      "reachable": bool(is_reachable), "properties": props,
                      "variables": {var: props.get(prop) for var, prop in variables.items()}})
        size += 1
        if len(batch) >= 1000:
            session.execute(insert(RecipientListRow), batch)
            batch = []
    if batch:
        session.execute(insert(RecipientListRow), batch)
    recipients.size = size
    recipients.reachable = reachable
    session.flush()
    return recipients


def visible_recipient_list(session: Session, principal: Principal, list_id: int) -> RecipientList:
    scoping.require_view(principal)
    recipients = session.scalar(select(RecipientList).where(RecipientList.id == list_id,
                                                            RecipientList.org_id == principal.org_id))
    if recipients is None:
        raise not_found("Recipient list")
    if principal.level(SEGMENT_VIEW) != Level.ALL:
        creator = session.scalar(select(Segment.created_by_user_id).where(Segment.id == recipients.segment_id))
        if principal.user.id not in (recipients.created_by_user_id, creator):
            raise not_found("Recipient list")
    return recipients


def recipient_rows(session: Session, recipients: RecipientList, *, page: int,
                   page_size: int) -> tuple[list[RecipientListRow], int]:
    where = RecipientListRow.list_id == recipients.id
    total = session.scalar(select(func.count()).select_from(RecipientListRow).where(where)) or 0
    rows = list(session.scalars(select(RecipientListRow).where(where).order_by(RecipientListRow.position)
                                .limit(page_size).offset((page - 1) * page_size)))
    return rows, total

