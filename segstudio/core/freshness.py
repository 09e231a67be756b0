"""Whether a segment's members are up to date: the "Realtime" indicator of SEG-S13 AC-1 (no Qt).

Segments refresh once a day, so "Realtime" means evaluated less than a day ago; an evaluation in progress
says so; anything older (or a failed last run) is stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

FRESH_FOR = timedelta(days=1)


@dataclass(frozen=True)
class Freshness:
    text: str
    tone: str  # "fresh", "busy", "stale" or "muted": the view picks the colour
    tooltip: str


def freshness(readiness: str, status: str, last_evaluated_at: datetime | None,
              now: datetime | None = None) -> Freshness:
    now = now or datetime.now(UTC)
    if status == "archived":
        return Freshness("Not updated (archived)", "muted", "Archived segments are no longer evaluated.")
    if readiness in ("pending", "not_ready"):
        return Freshness("Evaluating now", "busy", "The members are being computed; they update by themselves.")
    if last_evaluated_at is None:
        return Freshness("Not evaluated yet", "stale", "This segment has not been evaluated yet.")
    if last_evaluated_at.tzinfo is None:
        last_evaluated_at = last_evaluated_at.replace(tzinfo=UTC)
    age = now - last_evaluated_at
    if readiness == "failed":
        return Freshness("Stale: the last evaluation failed", "stale",
                         "The members are from the last evaluation that succeeded.")
    if age < FRESH_FOR:
        return Freshness("● Realtime", "fresh", f"Updated {_ago(age)}; segments refresh once a day.")
    return Freshness(f"Stale: updated {_ago(age)}", "stale",
                     "The daily refresh has not run since; use Refresh now to update the members.")


def _ago(age: timedelta) -> str:
    minutes = int(age.total_seconds() // 60)
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min ago"
    hours = minutes // 60
    if hours < 24:
        return f"{hours} h ago"
    days = hours // 24
    return f"{days} day{'s' if days != 1 else ''} ago"
