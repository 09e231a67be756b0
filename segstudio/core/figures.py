"""How the detail, performance and compare screens write numbers, percentages, money and times (no Qt)."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

DASH = "—"


def count(n: int | None) -> str:
    return DASH if n is None else f"{n:,}"


def percent(p: float | None) -> str:
    """One decimal, without a trailing ".0": 50%, 66.7%."""
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return DASH
    text = f"{p:,.1f}"
    return (text[:-2] if text.endswith(".0") else text) + "%"


def share(part: int, whole: int) -> float:
    return round(part * 100.0 / whole, 1) if whole else 0.0


def money(amount: float | None, currency: str = "IDR") -> str:
    if amount is None:
        return DASH
    return f"{currency} {amount:,.0f}"


def score(value: float | None) -> str:
    return DASH if value is None else f"{value:.2f}".rstrip("0").rstrip(".")


def zone_label(tz: str | None, at: datetime | None = None) -> str:
    """The organisation's zone as people read it at `at`: "WIB", "CET"; "UTC+07" where the zone has no
    abbreviation."""
    zone = ZoneInfo(tz) if tz else UTC
    name = (at or datetime.now(UTC)).astimezone(zone).strftime("%Z")
    return f"UTC{name}" if name[:1] in "+-" else name


def local_time(at: datetime | None, tz: str | None, *, seconds: bool = False, dash: str = DASH) -> str:
    """A server time in the organisation's timezone, labelled with the zone: "18 Mar 2026 14:35 WIB".

    Every time the app shows goes through here (issue 14: a bare time read as machine time). A naive time
    is taken to be UTC, as the server sends UTC."""
    if at is None:
        return dash
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    zone = ZoneInfo(tz) if tz else UTC
    local = at.astimezone(zone)
    return f"{local.strftime('%d %b %Y %H:%M:%S' if seconds else '%d %b %Y %H:%M')} {zone_label(tz, at)}"


def members_note(total_matched: int, visible: int) -> str | None:
    """Said when the user's customer access shows fewer rows than the segment matched."""
    if visible >= total_matched:
        return None
    return (f"Showing {visible:,} of {total_matched:,} matched — your access shows customers you own")


def reach_line(matched: int, total_customers: int, reach_percent: float) -> str:
    return f"{count(matched)} of {count(total_customers)} customers ({percent(reach_percent)})"


CHANNEL_NAMES = {"whatsapp": "WhatsApp", "email": "email"}


def recipient_list_created(list_id: int | str, size: int, reachable: int | None, channel: str) -> str:
    """The send panel's confirmation, in the estimate's words: the list holds every member and says who of them
    the channel reaches (the same "reachable" as the estimate and the Overview)."""
    reach = "" if reachable is None else (
        f": {reachable:,} of {size:,} recipients are reachable by {CHANNEL_NAMES.get(channel, channel)}")
    return f"Recipient list {list_id} created{reach}. The campaign service picks it up from here."


def minutes_from_seconds(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))


def refresh_too_soon(message: str | None, retry_after: int | None) -> str:
    """The server's own 429 sentence, or one built from Retry-After when the body had none."""
    if message and "recently refreshed" in message:
        return message
    if retry_after is not None:
        minutes = minutes_from_seconds(retry_after)
        unit = "minute" if minutes == 1 else "minutes"
        return f"Segment was recently refreshed. Try again in {minutes} {unit}."
    return "Segment was recently refreshed. Try again later."


def page_label(page: int, page_size: int, total: int, noun: str = "customers") -> str:
    if total == 0:
        return f"No {noun}"
    first = (page - 1) * page_size + 1
    last = min(total, page * page_size)
    return f"{first:,}–{last:,} of {total:,} {noun}"


def page_count(total: int, page_size: int) -> int:
    return max(1, -(-total // page_size))
