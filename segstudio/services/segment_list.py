"""The segment list's state and its calls: search, created-date filter, paging, actions, readiness polling.

`SegmentQuery` turns the controls into list parameters (pure, tested without Qt); `SegmentListController`
loads pages through the client, newest load wins, and emits `changed` for the Qt model to translate.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from segstudio.client import ApiClient, ApiError, ClientError, LatestTask
from segstudio.client.models import Segment, SegmentPage
from segstudio.services.access import LIMIT_REACHED
from segstudio.services.events import Event

log = logging.getLogger(__name__)

MIN_SEARCH = 3
POLL_SECONDS = 3.0


class DateFilter(StrEnum):
    ALL = "all"
    TODAY = "today"
    LAST_7_DAYS = "last_7_days"
    DAY = "day"  # the day of `custom_from`
    WEEK = "week"  # the Monday-to-Sunday week holding `custom_from`
    MONTH = "month"  # the calendar month holding `custom_from`
    CUSTOM = "custom"


def period(kind: DateFilter, day: date) -> tuple[date, date]:
    """The day, week (Monday to Sunday, ISO) or month that holds `day` (Index AC-4's per day/week/month)."""
    if kind == DateFilter.WEEK:
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)
    if kind == DateFilter.MONTH:
        first = day.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        return first, following - timedelta(days=1)
    return day, day


class StatusFilter(StrEnum):
    ACTIVE = "active"
    ARCHIVED = "archived"


@dataclass(frozen=True)
class SegmentQuery:
    search: str = ""
    date_filter: DateFilter = DateFilter.ALL
    custom_from: date | None = None
    custom_to: date | None = None
    status: StatusFilter = StatusFilter.ACTIVE
    page: int = 1
    page_size: int = 20

    @property
    def effective_search(self) -> str | None:
        """Shorter than three characters searches nothing, as the server does."""
        text = self.search.strip()
        return text if len(text) >= MIN_SEARCH else None

    def date_range(self, today: date) -> tuple[date | None, date | None]:
        if self.date_filter == DateFilter.TODAY:
            return today, today
        if self.date_filter == DateFilter.LAST_7_DAYS:
            return today - timedelta(days=6), today
        if self.date_filter in (DateFilter.DAY, DateFilter.WEEK, DateFilter.MONTH):
            return period(self.date_filter, self.custom_from or today)
        if self.date_filter == DateFilter.CUSTOM:
            low, high = self.custom_from, self.custom_to
            if low and high and low > high:
                low, high = high, low
            return low, high
        return None, None

    def params(self, tz: str, today: date | None = None) -> dict[str, Any]:
        """Keyword arguments for `ApiClient.list_segments`; dates are days in the organisation's timezone `tz`."""
        today = today or datetime.now(ZoneInfo(tz)).date()
        created_from, created_to = self.date_range(today)
        has_dates = created_from is not None or created_to is not None
        return {
            "search": self.effective_search,
            "status": self.status.value,
            "created_from": created_from,
            "created_to": created_to,
            "tz": tz if has_dates else None,
            "page": self.page,
            "page_size": self.page_size,
        }


class SegmentListController:
    """State of one segment list page. Events: `changed()`, `error(ClientError)`, `notice(str)`."""

    def __init__(self, client: ApiClient, tz: str, *, page_size: int = 20,
                 max_active_segments: int | None = None) -> None:
        self.client = client
        self.tz = tz
        self.max_active_segments = max_active_segments
        self.query = SegmentQuery(page_size=page_size)
        self.items: list[Segment] = []
        self.total = 0
        self.loading = False
        self.loaded = False
        self.error: ClientError | None = None
        self.limit_message: str | None = None
        self.changed = Event()
        self.failed = Event()
        self._load = LatestTask[SegmentPage](self._loaded, self._load_failed)

    # --- queries --------------------------------------------------------------------------------------

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.query.page_size))

    @property
    def filtered(self) -> bool:
        q = self.query
        return q.effective_search is not None or q.date_filter != DateFilter.ALL

    @property
    def needs_polling(self) -> bool:
        """Rows still being evaluated are polled until every visible one is ready or failed."""
        return any(item.evaluating for item in self.items)

    def _set_query(self, query: SegmentQuery) -> asyncio.Task[SegmentPage] | None:
        if query == self.query:
            return None
        self.query = query
        return self.reload()

    def set_search(self, text: str) -> asyncio.Task[SegmentPage] | None:
        """Reloads (from page 1) only when the effective search changes: typing "ab" does nothing."""
        new = replace(self.query, search=text)
        if new.effective_search == self.query.effective_search:
            self.query = new
            return None
        return self._set_query(replace(new, page=1))

    def set_date_filter(self, kind: DateFilter, custom_from: date | None = None,
                        custom_to: date | None = None) -> asyncio.Task[SegmentPage] | None:
        if kind in (DateFilter.DAY, DateFilter.WEEK, DateFilter.MONTH):
            custom_to = None  # one picked day stands for its day, week or month
        elif kind != DateFilter.CUSTOM:
            custom_from = custom_to = None
        return self._set_query(replace(self.query, date_filter=kind, custom_from=custom_from,
                                       custom_to=custom_to, page=1))

    def set_status(self, status: StatusFilter) -> asyncio.Task[SegmentPage] | None:
        return self._set_query(replace(self.query, status=status, page=1))

    def set_page(self, page: int) -> asyncio.Task[SegmentPage] | None:
        page = max(1, min(page, self.page_count))
        return self._set_query(replace(self.query, page=page))

    # --- loading --------------------------------------------------------------------------------------

    def reload(self, *, quiet: bool = False) -> asyncio.Task[SegmentPage]:
        """Load the current page; a newer reload cancels this one. `quiet` (polling) keeps the spinner off."""
        if not quiet:
            self.loading = True
            self.changed.emit()
        return self._load.start(self.client.list_segments(**self.query.params(self.tz)))

    def cancel(self) -> None:
        self._load.cancel()
        if self.loading:
            self.loading = False
            self.changed.emit()

    def _loaded(self, page: SegmentPage) -> None:
        self.loading = False
        self.loaded = True
        self.error = None
        self.items = list(page.items)
        self.total = page.total
        if not self.items and self.total and self.query.page > 1:
            # The last page emptied (an archive elsewhere): step back instead of showing nothing.
            self.query = replace(self.query, page=self.page_count)
            self.reload()
            return
        self.changed.emit()

    def _load_failed(self, error: BaseException) -> None:
        self.loading = False
        if not isinstance(error, ClientError):
            log.error("segment list failed", exc_info=error)
            error = ApiError(0, "client_error", "The segment list could not be loaded.")
        self.error = error
        self.changed.emit()
        self.failed.emit(error)

    def replace_item(self, segment: Segment) -> None:
        for i, item in enumerate(self.items):
            if item.id == segment.id:
                self.items[i] = segment
                self.changed.emit()
                return

    # --- actions --------------------------------------------------------------------------------------

    async def check_limit(self) -> bool:
        """True when another active segment fits the package; otherwise shows the PRD message in place."""
        if self.max_active_segments is None:
            self.limit_message = None
            return True
        page = await self.client.list_segments(status=StatusFilter.ACTIVE.value, page=1, page_size=1)
        full = page.total >= self.max_active_segments
        self.limit_message = LIMIT_REACHED if full else None
        self.changed.emit()
        return not full

    async def archive(self, segment: Segment) -> Segment:
        archived = await self.client.archive_segment(segment.id)
        self.limit_message = None
        self.reload()
        return archived

    async def delete(self, segment: Segment) -> None:
        await self.client.delete_segment(segment.id)
        # A freed place in the package's quota: the limit message no longer applies.
        self.limit_message = None
        self.reload()

    async def unarchive(self, segment: Segment) -> Segment:
        try:
            restored = await self.client.unarchive_segment(segment.id)
        except ApiError as exc:
            self._limit_from(exc)
            raise
        self.reload()
        return restored

    async def duplicate(self, segment: Segment) -> Segment:
        try:
            copy = await self.client.duplicate_segment(segment.id)
        except ApiError as exc:
            self._limit_from(exc)
            raise
        self.reload()
        return copy

    def _limit_from(self, exc: ApiError) -> None:
        if exc.status == 409:
            self.limit_message = LIMIT_REACHED
            self.changed.emit()

    def clear_limit_message(self) -> None:
        if self.limit_message is not None:
            self.limit_message = None
            self.changed.emit()
