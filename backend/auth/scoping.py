"""The one place that decides which segments and which customers a caller may see or change (plain
functions; backend/deps.py wraps them as route dependencies, and the services call them directly).

Segment levels "owned" mean segments the caller created; the customer view level "owned" means
customers the caller owns or is assigned. A segment the caller may not see is a 404, so its
existence does not leak; a feature the caller has no access to at all is a 403.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, select
from sqlalchemy.orm import Session

from backend.auth.packages import require_segmentation
from backend.auth.permissions import (
    CUSTOMERS_VIEW,
    SEGMENT_ADD,
    SEGMENT_ARCHIVED,
    SEGMENT_MANAGE,
    SEGMENT_VIEW,
    Level,
)
from backend.auth.principal import Principal
from backend.customers.models import Customer
from backend.errors import forbidden, not_found
from backend.segments.models import Segment


def require_view(principal: Principal) -> None:
    require_segmentation(principal.org)
    if principal.level(SEGMENT_VIEW) == Level.DISABLED:
        raise forbidden("You do not have permission to view segments.")


def segment_filter(principal: Principal) -> ColumnElement[bool]:
    """Rows of `segments` this caller may see (org first, then the view level)."""
    level = principal.level(SEGMENT_VIEW)
    in_org = Segment.org_id == principal.org_id
    if level == Level.ALL:
        return in_org
    if level == Level.OWNED:
        return in_org & (Segment.created_by_user_id == principal.user.id)
    return false()


def visible_segment(session: Session, principal: Principal, segment_id: int) -> Segment:
    require_view(principal)
    segment = session.scalar(select(Segment).where(Segment.id == segment_id, segment_filter(principal)))
    if segment is None:
        raise not_found("Segment")
    return segment


def require_add(principal: Principal) -> None:
    require_segmentation(principal.org)
    if principal.level(SEGMENT_ADD) == Level.DISABLED:
        raise forbidden("You do not have permission to create segments.")


def require_manage(principal: Principal, segment: Segment) -> None:
    if not principal.can(SEGMENT_MANAGE, owner_id=segment.created_by_user_id):
        raise forbidden("You do not have permission to change this segment.")


def require_archive(principal: Principal, segment: Segment) -> None:
    if not principal.can(SEGMENT_ARCHIVED, owner_id=segment.created_by_user_id):
        raise forbidden("You do not have permission to archive or unarchive this segment.")


def can_manage(principal: Principal, segment: Segment) -> bool:
    return principal.can(SEGMENT_MANAGE, owner_id=segment.created_by_user_id)


def can_archive(principal: Principal, segment: Segment) -> bool:
    return principal.can(SEGMENT_ARCHIVED, owner_id=segment.created_by_user_id)


def customer_filter(principal: Principal) -> ColumnElement[bool]:
    """Customers this caller may see listed (members, exports, history); counts stay global."""
    level = principal.level(CUSTOMERS_VIEW)
    in_org = Customer.org_id == principal.org_id
    if level == Level.ALL:
        return in_org
    if level == Level.OWNED:
        me = principal.user.id
        return in_org & or_(Customer.owner_user_id == me, Customer.assignee_user_id == me)
    return in_org & false()


def sees_every_customer(principal: Principal) -> bool:
    return principal.level(CUSTOMERS_VIEW) == Level.ALL

