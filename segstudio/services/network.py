"""Connection state shared by the shell: a failed call shows one banner with Retry until a call succeeds."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from segstudio.client import ApiClient, NetworkError
from segstudio.services.events import Event

log = logging.getLogger(__name__)


class ConnectionStatus:
    """`changed()` fires when the banner should appear or go. Retry runs what failed again."""

    def __init__(self) -> None:
        self.offline = False
        self.message = ""
        self._retries: list[Callable[[], Any]] = []
        self.changed = Event()
        self._client: ApiClient | None = None

    def attach(self, client: ApiClient) -> None:
        self._client = client
        client.on_network_error.append(lambda error: self.report(error))
        client.on_success.append(self.recovered)

    def report(self, error: NetworkError, retry: Callable[[], Any] | None = None) -> None:
        if retry is not None and retry not in self._retries:
            self._retries.append(retry)
        if not self.offline or self.message != error.message:
            self.offline = True
            self.message = error.message
            self.changed.emit()

    def recovered(self) -> None:
        if self.offline:
            self.offline = False
            self.message = ""
            self.changed.emit()
            # Whatever failed while offline is fetched again once the server answers.
            self.retry()

    def retry(self) -> None:
        retries, self._retries = self._retries, []
        if not retries and self._client is not None:
            asyncio.ensure_future(self._probe())
        for fn in retries:
            try:
                fn()
            except Exception:  # noqa: BLE001 - one broken retry must not stop the others
                log.exception("retry failed")

    async def _probe(self) -> None:
        assert self._client is not None
        with contextlib.suppress(NetworkError):
            await self._client.health()
