"""What evaluation produced, as callers read it: members, summary, performance, history, events, export.

Every read of members joins through the state's current evaluation id in the same statement, so it
sees one committed membership, never a mix of an old and a new one.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from openpyxl import Workbook
from sqlalchemy import ColumnElement, Select, and_, case, func, literal, or_, select
from sqlalchemy.orm import Session

from backend.auth import scoping
from backend.auth.models import Organisation
from backend.auth.permissions import SEGMENT_VIEW, Level
from backend.customers.models import Company, Conversation, Customer
from backend.db import Database
from backend.deps import Principal
from backend.errors import not_found
from backend.evaluation import properties
from backend.evaluation.evaluator import org_today
from backend.evaluation.models import (
    EVAL_SUCCEEDED,
    EvaluationState,
    MembershipChange,
    SegmentEvaluation,
    SegmentEvent,
    SegmentMember,
)
from backend.segments.models import ACTIVE, ARCHIVED, Segment

RANGES = {"all": None, "7d": 7, "30d": 30}
AGE_BUCKETS = ("<21", "21-30", "31-40", "41-50", ">50", "Unknown")
GENDERS = ("Male", "Female", "Unknown")


def members_of(segment_id: int) -> Select:
    """Customer pks of the segment's committed membership (one statement, one snapshot)."""
    return (select(SegmentMember.customer_pk)
            .join(EvaluationState, EvaluationState.current_evaluation_id == SegmentMember.evaluation_id)
            .where(EvaluationState.segment_id == segment_id))


def _in_segment(segment_id: int) -> ColumnElement[bool]:
    return Customer.pk.in_(members_of(segment_id).scalar_subquery())


def state(session: Session, segment_id: int) -> EvaluationState | None:
    return session.get(EvaluationState, segment_id, populate_existing=True)


def percent(part: int, whole: int) -> float:
    return round(part * 100.0 / whole, 1) if whole else 0.0


def shares(counts: list[int]) -> list[float]:
    """Percentages to one decimal that add up to exactly 100 (largest remainder), or all 0."""
    total = sum(counts)
    if not total:
        return [0.0 for _ in counts]
    tenths = [c * 1000 / total for c in counts]
    floors = [int(t) for t in tenths]
    short = 1000 - sum(floors)
    order = sorted(range(len(counts)), key=lambda i: tenths[i] - floors[i], reverse=True)
    for i in order[:short]:
        floors[i] += 1
    return [f / 10 for f in floors]


# ----- members


def last_activity() -> Any:
    latest = (select(func.max(Conversation.last_activity_at)).where(Conversation.customer_pk == Customer.pk)
              .correlate(Customer).scalar_subquery())
    return func.coalesce(latest, Customer.updated_at)


def members_page(session: Session, principal: Principal, segment: Segment, *, page: int,
                 page_size: int) -> dict[str, Any]:
    st = state(session, segment.id)
    visible_filter = and_(_in_segment(segment.id), scoping.customer_filter(principal))
    total_matched = st.member_count if st and st.current_evaluation_id else 0
    if scoping.sees_every_customer(principal):
        visible = total_matched
    else:
        visible = session.scalar(select(func.count()).select_from(Customer).where(visible_filter)) or 0
    rows = session.execute(select(Customer, last_activity().label("last_activity_at"))
                           .where(visible_filter).order_by(Customer.ext_id)
                           .limit(page_size).offset((page - 1) * page_size)).all()
    items = [{"id": c.ext_id, "full_name": c.full_name, "source": c.source, "last_activity_at": activity,
              "added_by": c.created_by, "phone": c.phone, "email": c.email, "owner": c.owner,
              "assignee": c.assignee} for c, activity in rows]
    return {"items": items, "total_matched": total_matched, "visible": visible, "page": page,
            "page_size": page_size, "readiness": st.readiness if st else "pending",
            "last_evaluated_at": st.last_evaluated_at if st else None}


# ----- summary and reachability


def _filled(column: Any) -> ColumnElement[bool]:
    return and_(column.is_not(None), func.trim(column) != "")


def valid_email() -> ColumnElement[bool]:
    return and_(_filled(Customer.email), Customer.email.like("%_@_%._%"), ~Customer.email.contains(" "))


def whatsapp_reachable() -> ColumnElement[bool]:
    return and_(or_(_filled(Customer.phone), _filled(Customer.bsuid)), Customer.has_chatroom.is_(True))


def reachable(channel: str) -> ColumnElement[bool]:
    """THE definition of "reachable by <channel>" (docs/metrics.md, Reachability): the Overview's figures,
    the campaign estimate and a recipient list's per-row flag all use it, so they always agree.
    WhatsApp: a phone number or BSUID and an existing chatroom (PRD SEG-S11 AC-5); email: a valid address."""
    return whatsapp_reachable() if channel == "whatsapp" else valid_email()


def count_members(session: Session, segment_id: int, condition: ColumnElement[bool] | None = None) -> int:
    stmt = select(func.count()).select_from(Customer).where(_in_segment(segment_id))
    if condition is not None:
        stmt = stmt.where(condition)
    return session.scalar(stmt) or 0


def summary(session: Session, principal: Principal, segment: Segment, filter_summary: str | None) -> dict[str, Any]:
    st = state(session, segment.id)
    total_customers = session.scalar(select(func.count()).select_from(Customer)
                                     .where(Customer.org_id == segment.org_id)) or 0
    matched = st.member_count if st and st.current_evaluation_id else 0
    out: dict[str, Any] = {
        "segment_id": segment.id, "status": segment.status, "readiness": st.readiness if st else "pending",
        "total_matched": matched, "total_customers": total_customers,
        "reach_percent": percent(matched, total_customers),
        "last_updated": st.last_evaluated_at if st else None, "filter_summary": filter_summary,
        "reachability": None,
    }
    if segment.status != ARCHIVED:
        counts = session.execute(
            select(func.count(), func.sum(case((reachable("whatsapp"), 1), else_=0)),
                   func.sum(case((reachable("email"), 1), else_=0)))
            .select_from(Customer).where(_in_segment(segment.id))).one()
        whatsapp, email = int(counts[1] or 0), int(counts[2] or 0)
        out["reachability"] = {
            "whatsapp": {"count": whatsapp, "percent": percent(whatsapp, matched)},
            "email": {"count": email, "percent": percent(email, matched)},
        }
    return out


# ----- performance


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def _distribution(session: Session, segment_id: int, label: Any, order: tuple[str, ...] | None) -> list[dict]:
    rows = session.execute(select(label.label("label"), func.count()).select_from(Customer)
                           .where(_in_segment(segment_id)).group_by(label)).all()
    counts: dict[str, int] = {}
    for name, n in rows:
        counts[name] = counts.get(name, 0) + int(n)
    names = list(order) if order is not None else sorted(counts, key=lambda k: (-counts[k], k))
    values = [counts.get(n, 0) for n in names]
    return [{"label": n, "count": c, "percent": p} for n, c, p in zip(names, values, shares(values), strict=True)]


def _blank_as(column: Any, fallback: str) -> Any:
    return case((or_(column.is_(None), func.trim(column) == ""), literal(fallback)), else_=column)


def performance(session: Session, segment: Segment, *, range_key: str, now: datetime) -> dict[str, Any]:
    days = RANGES[range_key]
    history = select(SegmentEvaluation).where(SegmentEvaluation.segment_id == segment.id,
                                              SegmentEvaluation.status == EVAL_SUCCEEDED)
    if days is not None:
        history = history.where(SegmentEvaluation.finished_at >= now - timedelta(days=days))
    growth = [{"at": e.finished_at, "member_count": e.member_count, "entered": e.entered_count, "left": e.left_count}
              for e in session.scalars(history.order_by(SegmentEvaluation.finished_at, SegmentEvaluation.id))]
    org = segment_org(session, segment)
    today = org_today(org, now)
    dob = Customer.date_of_birth
    cut = {n: years_before(today, n) for n in (21, 31, 41, 51)}
    age = case((dob.is_(None), literal("Unknown")), (dob > cut[21], literal("<21")), (dob > cut[31], literal("21-30")),
               (dob > cut[41], literal("31-40")), (dob > cut[51], literal("41-50")), else_=literal(">50"))
    sex = func.lower(Customer.sex)
    gender = case((sex == "male", literal("Male")), (sex == "female", literal("Female")), else_=literal("Unknown"))
    st = state(session, segment.id)
    return {
        "segment_id": segment.id, "range": range_key, "growth": growth,
        "total": st.member_count if st and st.current_evaluation_id else 0,
        "last_updated": st.last_evaluated_at if st else None,
        "source": _distribution(session, segment.id, _blank_as(Customer.source, "Other"), None),
        "province": _distribution(session, segment.id, _blank_as(Customer.province, "Unknown"), None),
        "age": _distribution(session, segment.id, age, AGE_BUCKETS),
        "gender": _distribution(session, segment.id, gender, GENDERS),
    }


def segment_org(session: Session, segment: Segment) -> Organisation:
    org = session.get(Organisation, segment.org_id)
    assert org is not None
    return org


# ----- customer -> segments


def customer_segments(session: Session, principal: Principal, customer_ext_id: str) -> dict[str, Any]:
    scoping.require_view(principal)
    customer = session.scalar(select(Customer).where(Customer.org_id == principal.org_id,
                                                     Customer.ext_id == customer_ext_id,
                                                     scoping.customer_filter(principal)))
    if customer is None:
        raise not_found("Customer")
    rows = session.execute(
        select(Segment.id, Segment.name)
        .join(EvaluationState, EvaluationState.segment_id == Segment.id)
        .join(SegmentMember, and_(SegmentMember.evaluation_id == EvaluationState.current_evaluation_id,
                                  SegmentMember.customer_pk == customer.pk))
        .where(scoping.segment_filter(principal), Segment.status == ACTIVE)
        .order_by(Segment.id)).all()
    return {"customer_id": customer.ext_id, "customer_name": customer.full_name,
            "segments": [{"segment_id": sid, "segment_name": name} for sid, name in rows]}


# ----- history and events


def evaluations_page(session: Session, segment: Segment, *, page: int, page_size: int) -> dict[str, Any]:
    where = SegmentEvaluation.segment_id == segment.id
    total = session.scalar(select(func.count()).select_from(SegmentEvaluation).where(where)) or 0
    rows = session.scalars(select(SegmentEvaluation).where(where)
                           .order_by(SegmentEvaluation.started_at.desc(), SegmentEvaluation.id.desc())
                           .limit(page_size).offset((page - 1) * page_size))
    items = [{"id": e.id, "reason": e.reason, "status": e.status, "started_at": e.started_at,
              "finished_at": e.finished_at, "member_count": e.member_count, "entered": e.entered_count,
              "left": e.left_count, "duration_ms": e.duration_ms, "error": e.error} for e in rows]
    return {"items": items, "total": total, "page": page, "page_size": page_size}


def changes_page(session: Session, principal: Principal, segment: Segment, evaluation_id: int, *,
                 change: str | None, page: int, page_size: int) -> dict[str, Any]:
    evaluation = session.scalar(select(SegmentEvaluation).where(SegmentEvaluation.id == evaluation_id,
                                                                SegmentEvaluation.segment_id == segment.id))
    if evaluation is None:
        raise not_found("Evaluation")
    conditions = [MembershipChange.evaluation_id == evaluation_id, scoping.customer_filter(principal)]
    if change:
        conditions.append(MembershipChange.change == change)
    base = select(MembershipChange, Customer).join(Customer, Customer.pk == MembershipChange.customer_pk)
    total = session.scalar(select(func.count()).select_from(MembershipChange)
                           .join(Customer, Customer.pk == MembershipChange.customer_pk).where(*conditions)) or 0
    rows = session.execute(base.where(*conditions).order_by(MembershipChange.change, Customer.ext_id)
                           .limit(page_size).offset((page - 1) * page_size)).all()
    items = [{"customer_id": c.ext_id, "full_name": c.full_name, "change": m.change, "recorded_at": m.recorded_at}
             for m, c in rows]
    return {"evaluation_id": evaluation_id, "entered": evaluation.entered_count, "left": evaluation.left_count,
            "items": items, "total": total, "page": page, "page_size": page_size}


def _event_item(e: SegmentEvent) -> dict[str, Any]:
    return {"id": e.id, "name": e.name, "segment_id": e.segment_id, "payload": e.payload, "created_at": e.created_at}


def events_page(session: Session, principal: Principal, *, segment_id: int | None, name: str | None, page: int,
                page_size: int) -> dict[str, Any]:
    """Events of segments the caller may see; org-wide alerts (no segment) only for view-all callers."""
    conditions: list[ColumnElement[bool]] = [SegmentEvent.org_id == principal.org_id]
    if segment_id is not None:
        conditions.append(SegmentEvent.segment_id == segment_id)
    else:
        visible = select(Segment.id).where(scoping.segment_filter(principal)).scalar_subquery()
        if principal.level(SEGMENT_VIEW) == Level.ALL:
            conditions.append(or_(SegmentEvent.segment_id.is_(None), SegmentEvent.segment_id.in_(visible)))
        else:
            conditions.append(SegmentEvent.segment_id.in_(visible))
    if name:
        conditions.append(SegmentEvent.name == name)
    total = session.scalar(select(func.count()).select_from(SegmentEvent).where(*conditions)) or 0
    rows = session.scalars(select(SegmentEvent).where(*conditions)
                           .order_by(SegmentEvent.created_at.desc(), SegmentEvent.id.desc())
                           .limit(page_size).offset((page - 1) * page_size))
    return {"items": [_event_item(e) for e in rows], "total": total, "page": page, "page_size": page_size}


# ----- export


@dataclass(frozen=True)
class ExportQuery:
    org_id: int
    segment_id: int
    visible: ColumnElement[bool]


def export_query(principal: Principal, segment: Segment) -> ExportQuery:
    return ExportQuery(org_id=segment.org_id, segment_id=segment.id, visible=scoping.customer_filter(principal))


def _export_rows(db: Database, q: ExportQuery) -> Iterator[tuple[list[str], Iterator[list[Any]]]]:
    with db.session() as session:
        fields = properties.custom_fields(session, q.org_id)
        stmt = (select(Customer, Company.ext_id).outerjoin(Company, Company.pk == Customer.company_pk)
                .where(_in_segment(q.segment_id), q.visible).order_by(Customer.ext_id)
                .execution_options(yield_per=1000))

        def rows() -> Iterator[list[Any]]:
            for customer, company in session.execute(stmt):
                props = properties.customer_properties(customer, company, fields)
                yield [properties.flat_cell(v) for v in props.values()]

        yield properties.headers(fields), rows()


def stream_csv(db: Database, q: ExportQuery) -> Iterator[bytes]:
    for header, rows in _export_rows(db, q):
        buf = io.StringIO()
        writer = csv.writer(buf)
        buf.write("\ufeff")  # spreadsheet apps read UTF-8 names correctly with a BOM
        writer.writerow(header)
        for i, row in enumerate(rows, 1):
            writer.writerow(row)
            if i % 500 == 0:
                yield buf.getvalue().encode()
                buf.seek(0)
                buf.truncate()
        yield buf.getvalue().encode()


def stream_xlsx(db: Database, q: ExportQuery) -> Iterator[bytes]:
    """A write-only workbook (constant memory) spooled to a temporary file, then streamed out."""
    with tempfile.TemporaryFile() as tmp:
        for header, rows in _export_rows(db, q):
            wb = Workbook(write_only=True)
            ws = wb.create_sheet("Members")
            ws.append(header)
            for row in rows:
                ws.append(row)
            wb.save(tmp)
        tmp.seek(0)
        while chunk := tmp.read(64 * 1024):
            yield chunk
