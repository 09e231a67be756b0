"""Segment revisions: every save of a segment's name, description or rules is kept with who, when and its summary.

Segments saved before revisions existed get their first revision lazily: from their current state, the first
time their history is read or they are saved again (docs/decisions.md, "Segment revisions"). Functions never commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from backend.auth.models import User
from backend.db import utcnow
from backend.deps import Principal
from backend.errors import ApiError, FieldError, not_found, validation_error
from backend.rules import engine
from backend.segments.models import Segment, SegmentRevision


def _summary(session: Session, principal: Principal, rules: Any) -> str | None:
    """The server's one summarizer's words; None when the rules no longer validate (a removed field)."""
    try:
        tree = engine.parse_and_validate(session, principal.org, rules, enforce_limits=False)
        return engine.summarize(session, principal.org, tree)
    except ApiError:
        return None


def _lock(session: Session, segment: Segment) -> None:
    """Serialise revision numbering of one segment: a no-op write takes the row (PG) or database (SQLite) lock."""
    session.execute(update(Segment).where(Segment.id == segment.id).values(id=Segment.id)
                    .execution_options(synchronize_session=False))


def _latest(session: Session, segment_id: int) -> int:
    return session.scalar(select(func.max(SegmentRevision.revision))
                          .where(SegmentRevision.segment_id == segment_id)) or 0


def _add(session: Session, principal: Principal, segment: Segment, *, number: int, user_id: int | None,
         user_name: str, restored_from: int | None = None) -> SegmentRevision:
    revision = SegmentRevision(
        org_id=segment.org_id, segment_id=segment.id, revision=number, name=segment.name,
        description=segment.description, rules=segment.rules, summary=_summary(session, principal, segment.rules),
        restored_from=restored_from, edited_by_user_id=user_id, edited_by_name=user_name,
        edited_at=segment.updated_at or utcnow())
    session.add(revision)
    session.flush()
    return revision


def ensure_first(session: Session, principal: Principal, segment: Segment) -> None:
    """Give a segment saved before revisions existed its first revision: its current state, by its last editor."""
    if _latest(session, segment.id):
        return  # the common case reads without taking the write lock
    _lock(session, segment)
    if _latest(session, segment.id):
        return
    editor = session.get(User, segment.updated_by_user_id) if segment.updated_by_user_id else None
    name = (editor.display_name or editor.username) if editor else segment.created_by_name
    _add(session, principal, segment, number=1, user_id=editor.id if editor else None, user_name=name)


def record(session: Session, principal: Principal, segment: Segment, *,
           restored_from: int | None = None) -> SegmentRevision:
    """The segment as just saved by the caller, as its next revision (call after the segment row is written)."""
    _lock(session, segment)
    user = principal.user
    return _add(session, principal, segment, number=_latest(session, segment.id) + 1, user_id=user.id,
                user_name=user.display_name or user.username, restored_from=restored_from)


def list_revisions(session: Session, principal: Principal, segment: Segment) -> list[SegmentRevision]:
    """Newest first."""
    ensure_first(session, principal, segment)
    return list(session.scalars(select(SegmentRevision).where(SegmentRevision.segment_id == segment.id)
                                .order_by(SegmentRevision.revision.desc())))


def get_revision(session: Session, principal: Principal, segment: Segment, number: int) -> SegmentRevision:
    ensure_first(session, principal, segment)
    revision = session.scalar(select(SegmentRevision).where(SegmentRevision.segment_id == segment.id,
                                                            SegmentRevision.revision == number))
    if revision is None:
        raise not_found("Revision")
    return revision


def _at(rules: Any, path: str) -> Any:
    """The value at an error path such as "rules.rules.0.field" inside the tree, or None."""
    node: Any = {"rules": rules}
    for part in path.split("."):
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def not_restorable(revision: SegmentRevision, exc: ApiError) -> ApiError:
    """The validation error of a revision's rules, each message naming the field it is about."""
    fields = []
    for f in exc.fields:
        key = _at(revision.rules, f.path.rsplit(".", 1)[0] + ".field") if f.path.count(".") else None
        fields.append(FieldError(f.path, f"{f.message} ({key})" if isinstance(key, str) else f.message))
    first = fields[0].message if fields else exc.message
    return validation_error(fields or [FieldError("rules", exc.message)],
                            f"Revision {revision.revision} cannot be restored: {first}")
