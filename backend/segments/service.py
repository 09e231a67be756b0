"""Segment definitions: create, list, edit, duplicate, archive, delete, refresh requests.

Functions take the session and the caller and never commit. Evaluation is only ever queued
(backend.evaluation.queue); this module never evaluates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from backend.auth import scoping
from backend.auth.models import Organisation
from backend.auth.principal import Principal
from backend.db import utcnow
from backend.errors import ApiError, FieldError, conflict, validation_error
from backend.evaluation import membership, queue
from backend.evaluation.models import (
    REASON_CREATE,
    REASON_EDIT,
    REASON_MANUAL,
    REASON_UNARCHIVE,
    EvaluationJob,
    EvaluationState,
)
from backend.rules import engine
from backend.segments import revisions
from backend.segments.models import ACTIVE, ARCHIVED, DESCRIPTION_MAX, NAME_MAX, STATUSES, Segment

LIMIT_MESSAGE = "Segment limit reached. Delete an existing segment to create a new one."
REFRESH_WINDOW_SECONDS = 30 * 60
SEARCH_MIN_CHARS = 3
COPY_PREFIX = "Copy of "
CREATED_PRESETS = ("all", "today", "last_7_days")


def _clean_name(name: str | None, problems: list[FieldError]) -> str:
    name = (name or "").strip()
    if not name:
        problems.append(FieldError("name", "Enter a segment name."))
    elif len(name) > NAME_MAX:
        problems.append(FieldError("name", f"Use at most {NAME_MAX} characters for the name."))
    return name


def _clean_description(description: str | None, problems: list[FieldError]) -> str | None:
    description = (description or "").strip() or None
    if description is not None and len(description) > DESCRIPTION_MAX:
        problems.append(FieldError("description", f"Use at most {DESCRIPTION_MAX} characters for the description."))
    return description


def _validate_rules(session: Session, principal: Principal, rules: Any, *, saved: Any = None) -> None:
    """New trees fit the org's limits; an edited tree may keep the shape it was saved with (a lowered limit
    must not lock a saved segment), but may not grow beyond both."""
    limits = engine.Limits.of(principal.org)
    if saved is not None:
        limits = limits.widen(engine.Limits.shape_of(saved))
    engine.parse_and_validate(session, principal.org, rules, path_prefix="rules", enforce_limits=True,
                              limits=limits)


def _lock_org(session: Session, org_id: int) -> None:
    """Serialise quota checks of one organisation: a no-op write takes the row (PG) or database (SQLite) lock."""
    session.execute(update(Organisation).where(Organisation.id == org_id).values(id=Organisation.id)
                    .execution_options(synchronize_session=False))


def _check_quota(session: Session, principal: Principal) -> None:
    limit = principal.package.max_active_segments
    if limit is None:
        return
    _lock_org(session, principal.org_id)
    active = session.scalar(select(func.count()).select_from(Segment)
                            .where(Segment.org_id == principal.org_id, Segment.status == ACTIVE)) or 0
    if active >= limit:
        raise conflict(LIMIT_MESSAGE, code="segment_limit_reached")


def create_segment(session: Session, principal: Principal, *, name: str | None, description: str | None,
                   rules: Any) -> Segment:
    scoping.require_add(principal)
    problems: list[FieldError] = []
    name = _clean_name(name, problems)
    description = _clean_description(description, problems)
    if problems:
        raise validation_error(problems)
    _validate_rules(session, principal, rules)
    _check_quota(session, principal)
    return _insert(session, principal, name=name, description=description, rules=rules, reason=REASON_CREATE)


def _insert(session: Session, principal: Principal, *, name: str, description: str | None, rules: Any,
            reason: str) -> Segment:
    now = utcnow()
    user = principal.user
    segment = Segment(org_id=principal.org_id, name=name, description=description, rules=rules, rules_version=1,
                      status=ACTIVE, created_by_user_id=user.id, created_by_name=user.display_name or user.username,
                      created_at=now, updated_at=now, updated_by_user_id=user.id)
    session.add(segment)
    session.flush()
    revisions.record(session, principal, segment)
    queue.segment_created(session, org_id=principal.org_id, segment_id=segment.id, reason=reason,
                          requested_by=user.id)
    return segment


def update_segment(session: Session, principal: Principal, segment: Segment, changes: dict[str, Any], *,
                   restored_from: int | None = None) -> Segment:
    """A save that changes the name, description or the rules' meaning is a new revision."""
    scoping.require_manage(principal, segment)
    if segment.status == ARCHIVED:
        raise conflict("Unarchive the segment before editing it.", code="segment_archived")
    problems: list[FieldError] = []
    name = _clean_name(changes["name"], problems) if "name" in changes else segment.name
    description = (_clean_description(changes["description"], problems) if "description" in changes
                   else segment.description)
    if "rules" in changes and changes["rules"] is None:
        problems.append(FieldError("rules", "Rules cannot be removed; send a condition tree."))
    if problems:
        raise validation_error(problems)
    rules_sent = "rules" in changes and changes["rules"] != segment.rules
    rules_changed = False
    if rules_sent:
        _validate_rules(session, principal, changes["rules"], saved=segment.rules)
        # New node ids alone (the app numbering its rows) keep the meaning: stored, but no new version to evaluate.
        rules_changed = engine.without_ids(changes["rules"]) != engine.without_ids(segment.rules)
    revised = rules_changed or name != segment.name or description != segment.description
    if revised:
        revisions.ensure_first(session, principal, segment)  # before the edit: the old state is revision 1
    segment.name = name
    segment.description = description
    segment.updated_at = utcnow()
    segment.updated_by_user_id = principal.user.id
    if rules_sent:
        segment.rules = changes["rules"]
    if rules_changed:
        segment.rules_version += 1
    session.flush()
    if revised:
        revisions.record(session, principal, segment, restored_from=restored_from)
    if rules_changed:
        queue.rules_changed(session, org_id=segment.org_id, segment_id=segment.id, reason=REASON_EDIT,
                            requested_by=principal.user.id)
    return segment


def restore_revision(session: Session, principal: Principal, segment: Segment, number: int) -> Segment:
    """Make a revision current again, as a new revision. Its rules must fit the organisation as it is now
    (fields, limits): a restore is a new save, so a lowered limit is not widened as it is for an edit."""
    scoping.require_manage(principal, segment)
    revision = revisions.get_revision(session, principal, segment, number)
    try:
        _validate_rules(session, principal, revision.rules)
    except ApiError as exc:
        raise revisions.not_restorable(revision, exc) from exc
    return update_segment(session, principal, segment, {"name": revision.name, "description": revision.description,
                                                        "rules": revision.rules}, restored_from=revision.revision)


def delete_segment(session: Session, principal: Principal, segment: Segment) -> None:
    scoping.require_manage(principal, segment)
    membership.forget_segment(session, segment.id)  # no foreign keys cascade these (evaluation/models.py)
    session.delete(segment)
    session.flush()


def duplicate_segment(session: Session, principal: Principal, segment: Segment) -> Segment:
    scoping.require_add(principal)
    _check_quota(session, principal)
    name = (COPY_PREFIX + segment.name)[:NAME_MAX].rstrip()
    return _insert(session, principal, name=name, description=segment.description, rules=segment.rules,
                   reason=REASON_CREATE)


def archive_segment(session: Session, principal: Principal, segment: Segment) -> Segment:
    scoping.require_archive(principal, segment)
    if segment.status != ARCHIVED:
        segment.status = ARCHIVED
        segment.archived_at = utcnow()
        segment.updated_at = segment.archived_at
        segment.updated_by_user_id = principal.user.id
        session.flush()
    return segment


def unarchive_segment(session: Session, principal: Principal, segment: Segment) -> Segment:
    scoping.require_archive(principal, segment)
    if segment.status == ARCHIVED:
        _check_quota(session, principal)
        segment.status = ACTIVE
        segment.archived_at = None
        segment.updated_at = utcnow()
        segment.updated_by_user_id = principal.user.id
        session.flush()
        # Archived segments are not re-evaluated, so the membership is stale by now.
        queue.enqueue(session, org_id=segment.org_id, segment_id=segment.id, reason=REASON_UNARCHIVE,
                      requested_by=principal.user.id)
    return segment


def refresh_too_soon(remaining_seconds: float) -> ApiError:
    seconds = max(1, math.ceil(remaining_seconds))
    minutes = max(1, math.ceil(seconds / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return ApiError(429, "refresh_too_soon", f"Segment was recently refreshed. Try again in {minutes} {unit}.",
                    headers={"Retry-After": str(seconds)})


def request_refresh(session: Session, principal: Principal, segment: Segment, *, now: datetime) -> EvaluationJob:
    """A manual refresh: at most one per segment per 30 minutes; only manual refreshes start the window.

    A refresh that cannot start now (another evaluation, or a dead worker's lease, holds the segment)
    does not use the window up: it starts when the refresh's evaluation starts."""
    if segment.status == ARCHIVED:
        raise conflict("Archived segments are not refreshed. Unarchive the segment first.", code="segment_archived")
    remaining = queue.manual_refresh_wait(session, segment_id=segment.id, now=now,
                                          window_seconds=REFRESH_WINDOW_SECONDS)
    if remaining is not None:
        raise refresh_too_soon(remaining)
    if queue.segment_held(session, segment.id):
        return queue.request_manual_refresh(session, org_id=segment.org_id, segment_id=segment.id,
                                            requested_by=principal.user.id, now=now)
    if not queue.claim_refresh_window(session, segment_id=segment.id, now=now,
                                      window_seconds=REFRESH_WINDOW_SECONDS):
        raise refresh_too_soon(queue.manual_refresh_wait(session, segment_id=segment.id, now=now,
                                                         window_seconds=REFRESH_WINDOW_SECONDS)
                               or REFRESH_WINDOW_SECONDS)
    return queue.enqueue(session, org_id=segment.org_id, segment_id=segment.id, reason=REASON_MANUAL,
                         requested_by=principal.user.id, now=now)


@dataclass
class ListFilter:
    search: str | None = None
    status: str | None = None
    created: str | None = None
    created_from: date | None = None
    created_to: date | None = None
    tz: str | None = None
    page: int = 1
    page_size: int = 20


def _zone(name: str | None) -> ZoneInfo:
    if not name:
        return ZoneInfo("UTC")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise validation_error([FieldError("tz", f"Unknown timezone {name!r}.")]) from exc


def created_window(f: ListFilter, *, now: datetime) -> tuple[datetime | None, datetime | None]:
    """The [start, end) UTC instants of the caller's created-date filter, days taken in the caller's zone."""
    zone = _zone(f.tz)
    first, last = f.created_from, f.created_to
    if f.created and f.created != "all":
        today = now.astimezone(zone).date()
        first, last = (today, today) if f.created == "today" else (today - timedelta(days=6), today)
    if first and last and first > last:
        raise validation_error([FieldError("created_to", "The end date is before the start date.")])
    start = datetime.combine(first, time.min, tzinfo=zone).astimezone(UTC) if first else None
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone).astimezone(UTC) if last else None
    return start, end


def list_segments(session: Session, principal: Principal, f: ListFilter, *,
                  now: datetime) -> tuple[list[tuple[Segment, EvaluationState | None]], int]:
    scoping.require_view(principal)
    problems = []
    if f.status is not None and f.status not in STATUSES:
        problems.append(FieldError("status", "Choose active or archived."))
    if f.created is not None and f.created not in CREATED_PRESETS:
        problems.append(FieldError("created", f"Choose one of {', '.join(CREATED_PRESETS)}."))
    if problems:
        raise validation_error(problems)
    conditions = [scoping.segment_filter(principal)]
    if f.status:
        conditions.append(Segment.status == f.status)
    term = (f.search or "").strip()
    if len(term) >= SEARCH_MIN_CHARS:
        conditions.append(func.lower(Segment.name).contains(term.lower(), autoescape=True))
    start, end = created_window(f, now=now)
    if start is not None:
        conditions.append(Segment.created_at >= start)
    if end is not None:
        conditions.append(Segment.created_at < end)
    total = session.scalar(select(func.count()).select_from(Segment).where(*conditions)) or 0
    rows = session.execute(
        select(Segment, EvaluationState)
        .outerjoin(EvaluationState, EvaluationState.segment_id == Segment.id)
        .where(*conditions)
        .order_by(Segment.created_at.desc(), Segment.id.desc())
        .limit(f.page_size).offset((f.page - 1) * f.page_size)).all()
    return [(seg, state) for seg, state in rows], total


def state_of(session: Session, segment_id: int) -> EvaluationState | None:
    return session.get(EvaluationState, segment_id, populate_existing=True)


def summary_text(session: Session, principal: Principal, segment: Segment,
                 registry: engine.Registry | None = None) -> str | None:
    """The filter pattern in words; None when the stored rules no longer validate (e.g. a removed field).
    A page of segments passes one `registry` for all of them."""
    try:
        tree = engine.parse_and_validate(session, principal.org, segment.rules, enforce_limits=False,
                                         registry=registry)
        return engine.summarize(session, principal.org, tree)
    except ApiError:
        return None


def summary_texts(session: Session, principal: Principal, segments: list[Segment]) -> dict[int, str | None]:
    """`summary_text` of a page of segments (the list's side panel shows them), over one field registry."""
    registry = engine.build_registry(session, principal.org) if segments else None
    return {seg.id: summary_text(session, principal, seg, registry) for seg in segments}
