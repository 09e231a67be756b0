"""Segment comparison and the customers index, computed with SQL aggregates over committed memberships.

Figures over members are counted over every member (as the segment summary counts them), whatever the
caller's customer view level: they are aggregates, not customer rows. The customers index lists rows and
so goes through the one scoping function.
"""

from __future__ import annotations

from datetime import datetime
from itertools import combinations
from typing import Any

from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.orm import Session

from backend.analysis.schemas import MAX_COMPARED, MIN_COMPARED
from backend.auth import scoping
from backend.auth.permissions import CUSTOMERS_VIEW, Level
from backend.auth.principal import Principal
from backend.customers.models import Customer, Deal
from backend.errors import FieldError, forbidden, validation_error
from backend.evaluation import service as results
from backend.metrics.models import CustomerMetrics
from backend.segments.models import Segment

MAX_DB_ID = 2_147_483_647
MIN_SEARCH = 3


# ----- compare


def _check_ids(segment_ids: list[int]) -> None:
    problems: list[FieldError] = []
    if len(segment_ids) < MIN_COMPARED:
        problems.append(FieldError("segment_ids", f"Choose at least {MIN_COMPARED} segments to compare."))
    elif len(segment_ids) > MAX_COMPARED:
        problems.append(FieldError("segment_ids", f"Choose at most {MAX_COMPARED} segments to compare."))
    seen: set[int] = set()
    for i, sid in enumerate(segment_ids):
        if not 1 <= sid <= MAX_DB_ID:
            problems.append(FieldError(f"segment_ids.{i}", "Enter a valid segment id."))
        elif sid in seen:
            problems.append(FieldError(f"segment_ids.{i}", f"Segment {sid} is listed twice."))
        seen.add(sid)
    if problems:
        raise validation_error(problems)


def _in(segment_id: int) -> ColumnElement[bool]:
    return Customer.pk.in_(results.members_of(segment_id).scalar_subquery())


def key_metrics(session: Session, segment_id: int) -> dict[str, Any]:
    members = results.members_of(segment_id).subquery()
    m = CustomerMetrics
    count, spend, csat_sum, csat_n = session.execute(
        select(func.count(members.c.customer_pk), func.sum(func.coalesce(m.spend_sum, 0)),
               func.sum(m.conv_csat_sum), func.sum(m.conv_csat_n))
        .select_from(members).outerjoin(m, m.customer_pk == members.c.customer_pk)).one()
    # AVG skips deals without a size, so the average is over deals that have one.
    avg_deal = session.scalar(select(func.avg(Deal.size)).where(Deal.customer_pk.in_(select(members.c.customer_pk))))
    open_n = session.scalar(
        select(func.count()).select_from(members)
        .where(exists().where(Deal.customer_pk == members.c.customer_pk, Deal.outcome == "open"))) or 0
    count = int(count or 0)
    return {
        "avg_total_spend": round(float(spend or 0) / count, 2) if count else None,
        "avg_deal_size": round(float(avg_deal), 2) if avg_deal is not None else None,
        "avg_csat": round(float(csat_sum) / float(csat_n), 2) if csat_n else None,
        "open_deal_percent": results.percent(open_n, count),
        "open_deal_count": int(open_n),
    }


def overlap_count(session: Session, segment_ids: list[int]) -> int:
    return session.scalar(select(func.count()).select_from(Customer)
                          .where(*[_in(sid) for sid in segment_ids])) or 0


def compare(session: Session, principal: Principal, segment_ids: list[int], *, now: datetime) -> dict[str, Any]:
    """Side-by-side figures of visible segments; an id the caller may not see is a 404 like viewing it."""
    scoping.require_view(principal)
    _check_ids(segment_ids)
    segments: list[Segment] = [scoping.visible_segment(session, principal, sid) for sid in segment_ids]
    compared: list[dict[str, Any]] = []
    sizes: dict[int, int] = {}
    for segment in segments:
        summary = results.summary(session, principal, segment, None)
        perf = results.performance(session, segment, range_key="all", now=now)
        sizes[segment.id] = summary["total_matched"]
        compared.append({
            "segment_id": segment.id, "name": segment.name, "status": segment.status,
            "readiness": summary["readiness"], "member_count": summary["total_matched"],
            "total_customers": summary["total_customers"], "reach_percent": summary["reach_percent"],
            "last_updated": summary["last_updated"], "growth": perf["growth"],
            "distributions": {k: perf[k] for k in ("source", "province", "age", "gender")},
            "metrics": key_metrics(session, segment.id),
        })
    overlaps = []
    for pair in combinations(segment_ids, 2):
        n = overlap_count(session, list(pair))
        overlaps.append({"segment_ids": list(pair), "count": n,
                         "percent_of_each": [results.percent(n, sizes[sid]) for sid in pair]})
    in_all = overlaps[0]["count"] if len(segment_ids) == 2 else overlap_count(session, segment_ids)
    return {"segments": compared, "overlaps": overlaps, "in_all": in_all}


# ----- customers index


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_customers(session: Session, principal: Principal, *, search: str | None, page: int,
                   page_size: int) -> dict[str, Any]:
    """The customers this caller may see, newest first; a search under 3 characters is ignored."""
    if principal.level(CUSTOMERS_VIEW) == Level.DISABLED:
        raise forbidden("You do not have permission to view customers.")
    conditions: list[ColumnElement[bool]] = [scoping.customer_filter(principal)]
    text = (search or "").strip()
    if len(text) >= MIN_SEARCH:
        pattern = _like(text)
        conditions.append(or_(*[func.lower(column).like(pattern, escape="\\")
                                for column in (Customer.full_name, Customer.ext_id, Customer.email, Customer.phone)]))
    total = session.scalar(select(func.count()).select_from(Customer).where(*conditions)) or 0
    rows = session.execute(select(Customer, results.last_activity().label("last_activity_at"))
                           .where(*conditions).order_by(Customer.pk.desc())
                           .limit(page_size).offset((page - 1) * page_size)).all()
    items = [{"id": c.ext_id, "full_name": c.full_name, "phone": c.phone, "email": c.email, "source": c.source,
              "province": c.province, "owner": c.owner, "assignee": c.assignee, "created_at": c.created_at,
              "last_activity_at": activity} for c, activity in rows]
    return {"items": items, "total": total, "page": page, "page_size": page_size}
