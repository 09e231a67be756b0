"""Recording alerts; evaluation calls this when it skips or fails a segment."""

from __future__ import annotations

from sqlalchemy.orm import Session

from backend.admin.models import Alert

EVALUATION_FAILED = "evaluation_failed"
EVALUATION_SKIPPED = "evaluation_skipped"


def record_alert(session: Session, *, org_id: int, kind: str, message: str, segment_id: int | None = None) -> Alert:
    alert = Alert(org_id=org_id, kind=kind, message=message, segment_id=segment_id)
    session.add(alert)
    session.flush()
    return alert
