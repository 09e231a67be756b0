"""Templates, audience estimates and recipient-list snapshots. Functions take the session; the caller commits.

A recipient list is the segment's full committed membership, whatever the sender's own customer
view (PRD: "campaign execution uses the full segment"), frozen with every default and custom
property so the campaign service never has to read back into segments. What a user may *read* of
it is scoped like members: an owned-only customer view sees only its own customers' rows, of any
list. Creating one needs the segment add permission. An organisation keeps its newest
`recipient_list_limit` lists, each for `recipient_list_days` days (docs/decisions.md).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, exists, func, insert, select, update
from sqlalchemy.orm import Session

from backend.auth import scoping
from backend.auth.models import Organisation
from backend.auth.permissions import SEGMENT_ADD, SEGMENT_VIEW, Level
from backend.auth.principal import Principal
from backend.campaigns.models import CHANNELS, EMAIL, WHATSAPP, CampaignTemplate, RecipientList, RecipientListRow
from backend.customers.models import Company, Customer
from backend.db import utcnow
from backend.errors import FieldError, bad_request, conflict, forbidden, not_found, validation_error
from backend.evaluation import properties
from backend.evaluation import service as results
from backend.evaluation.models import READY, EvaluationState
from backend.segments.models import Segment

NOT_READY_MESSAGE = "Segment is still being recalculated, please wait."
CHANNEL_NAME = {WHATSAPP: "WhatsApp", EMAIL: "email"}

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
    return results.reachable(channel)  # the one definition, shared with the Overview's reachability


def estimate(session: Session, segment: Segment, channel: str) -> dict[str, Any]:
    if channel not in CHANNELS:
        raise validation_error([FieldError("channel", "Choose whatsapp or email.")])
    state = _require_ready(session, segment)
    matched = state.member_count
    reachable = results.count_members(session, segment.id, reachable_condition(channel))
    return {"segment_id": segment.id, "channel": channel, "matched": matched, "reachable": reachable,
            "message": f"{reachable:,} of {matched:,} matched customers are reachable by {CHANNEL_NAME[channel]}"}


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
    # A list copies every member's contact details out of the segment: it is creating, not viewing.
    if not principal.can(SEGMENT_ADD):
        raise forbidden("You do not have permission to create recipient lists.")
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
        raise bad_request(f"None of the {state.member_count:,} matched customers is reachable by "
                          f"{CHANNEL_NAME[channel]}.", code="no_reachable_recipients")
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
    _expire_lists(session, principal.org, keep=recipients.id)
    return recipients


def _expiry_cutoff(org: Organisation, now: datetime | None = None) -> datetime:
    return (now or utcnow()) - timedelta(days=org.recipient_list_days)


def _expire_lists(session: Session, org: Organisation, *, keep: int) -> None:
    """Delete the organisation's lists past their days, and the oldest beyond its limit (never `keep`)."""
    # Serialise concurrent creations of one organisation so the limit holds: a no-op write takes its row lock.
    session.execute(update(Organisation).where(Organisation.id == org.id).values(id=Organisation.id)
                    .execution_options(synchronize_session=False))
    newest = (select(RecipientList.id).where(RecipientList.org_id == org.id)
              .order_by(RecipientList.created_at.desc(), RecipientList.id.desc())
              .limit(org.recipient_list_limit))
    kept = set(session.scalars(newest)) | {keep}
    cutoff = _expiry_cutoff(org)
    expired = [list_id for list_id, created in session.execute(
        select(RecipientList.id, RecipientList.created_at).where(RecipientList.org_id == org.id))
        if list_id != keep and (list_id not in kept or created < cutoff)]
    for chunk in range(0, len(expired), 500):
        ids = expired[chunk:chunk + 500]
        session.execute(delete(RecipientListRow).where(RecipientListRow.list_id.in_(ids)))
        session.execute(delete(RecipientList).where(RecipientList.id.in_(ids)))


def visible_recipient_list(session: Session, principal: Principal, list_id: int) -> RecipientList:
    scoping.require_view(principal)
    recipients = session.scalar(select(RecipientList).where(RecipientList.id == list_id,
                                                            RecipientList.org_id == principal.org_id,
                                                            RecipientList.created_at >= _expiry_cutoff(principal.org)))
    if recipients is None:
        raise not_found("Recipient list")
    if principal.level(SEGMENT_VIEW) != Level.ALL:
        creator = session.scalar(select(Segment.created_by_user_id).where(Segment.id == recipients.segment_id))
        if principal.user.id not in (recipients.created_by_user_id, creator):
            raise not_found("Recipient list")
    return recipients


def recipient_rows(session: Session, principal: Principal, recipients: RecipientList, *, page: int,
                   page_size: int) -> tuple[list[RecipientListRow], int]:
    """The page of rows this caller may read, and how many they are: the customers they may see as members."""
    where = RecipientListRow.list_id == recipients.id
    if not scoping.sees_every_customer(principal):
        where = where & exists().where(Customer.org_id == recipients.org_id,
                                       Customer.ext_id == RecipientListRow.customer_id,
                                       scoping.customer_filter(principal))
    total = session.scalar(select(func.count()).select_from(RecipientListRow).where(where)) or 0
    rows = list(session.scalars(select(RecipientListRow).where(where).order_by(RecipientListRow.position)
                                .limit(page_size).offset((page - 1) * page_size)))
    return rows, total

