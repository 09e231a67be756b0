"""Re-reading /me while the app runs, so a role or package change shows without a restart.

The main window asks for a read when it regains focus; the client's 403 hook asks too (a 403 usually means
the permissions the app shows are stale). One read runs at a time: asking again while one is in flight
joins it, so a burst of focus changes or 403s costs one request.
"""

from __future__ import annotations

import asyncio
import logging
import time

from segstudio.client import ApiClient, ApiError, ClientError
from segstudio.client.models import Me
from segstudio.services.access import Access
from segstudio.services.events import Event

log = logging.getLogger(__name__)


class MeWatcher:
    """Events: `expired()` when the server no longer accepts the token (401: deactivated, password reset)."""

    def __init__(self, client: ApiClient, access: Access) -> None:
        self.client = client
        self.access = access
        self.expired = Event()
        self.reads = 0
        # The /me the shell starts with was just read.
        self.read_at = time.monotonic()
        self._task: asyncio.Task[Me | None] | None = None
        self._attached = False
        self._again = False

    def attach(self) -> None:
        if not self._attached:
            self.client.on_forbidden.append(self._forbidden)
            self._attached = True

    def detach(self) -> None:
        if self._attached:
            self.client.on_forbidden.remove(self._forbidden)
            self._attached = False
        if self._task is not None and not self._task.done():
            self._task.cancel()

    def _forbidden(self, _: ApiError) -> None:
        # /me itself answering 403 must not ask for another read of /me, or it would never stop.
        if self._task is not None and asyncio.current_task() is self._task:
            return
        self.refresh()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def stale(self, seconds: float) -> bool:
        """Whether the last /me (or the attempt to read it) is older than `seconds`."""
        return time.monotonic() - self.read_at >= seconds

    def refresh(self) -> asyncio.Task[Me | None] | None:
        """Start a read of /me; None when the client is closed or signed out.

        Asked while a read is in flight, the running task reads once more when it is done: its request may
        have left before the change that prompted this call.
        """
        if self.running:
            self._again = True
            return self._task
        if self.client.closed or not self.client.token:
            return None
        self._again = False
        self._task = asyncio.ensure_future(self._read_until_current())
        return self._task

    async def _read_until_current(self) -> Me | None:
        while True:
            me = await self._read()
            if not self._again:
                return me
            self._again = False

    async def _read(self) -> Me | None:
        self.reads += 1
        self.read_at = time.monotonic()
        try:
            me = await self.client.me()
        except ApiError as exc:
            if exc.unauthorized:
                self.expired.emit()
            else:
                log.info("could not re-read /me", extra={"status": exc.status, "error": exc.message})
            return None
        except ClientError as exc:
            # Offline: the banner already says so, and the next focus tries again.
            log.info("could not re-read /me", extra={"error": exc.message})
            return None
        self.access.update(me)
        return me
