"""How the administration tables word things: times in the organisation's timezone, alert kinds, badges."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from segstudio.core import figures

ALERT_KINDS: dict[str, str] = {
    "evaluation_failed": "Evaluation failed",
    "evaluation_skipped": "Evaluation skipped",
}


def local_time(moment: datetime | None, tz: str, empty: str = "—") -> str:
    """A server time (aware UTC; naive is taken to be UTC) in the organisation's timezone, labelled."""
    return figures.local_time(moment, tz, dash=empty)


def alert_kind(kind: str) -> str:
    return ALERT_KINDS.get(kind, kind.replace("_", " ").capitalize())


def segment_label(segment_id: int | None, segment_name: str | None) -> str:
    """An alert's segment by name; by id when it has been deleted since."""
    if segment_id is None:
        return "—"
    return segment_name or f"Segment #{segment_id} (deleted)"


def unread(read_at: Iterable[datetime | None]) -> int:
    return sum(1 for r in read_at if r is None)


def badge(count: int) -> str:
    """The navigation badge's text: nothing at zero, and a cap so the pill keeps its size."""
    if count <= 0:
        return ""
    return "99+" if count > 99 else str(count)
