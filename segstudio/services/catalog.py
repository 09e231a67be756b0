"""The organisation's field catalog, fetched once per sign-in and shared by every view that needs it."""

from __future__ import annotations

import asyncio

from segstudio.client import ApiClient
from segstudio.client.models import FieldInfo


class CatalogCache:
    """`await catalog.get()` returns `GET /fields`; concurrent callers share one request, failures are
    not cached (the next call tries again), and `invalidate()` forces a fresh fetch (new custom field)."""

    def __init__(self, client: ApiClient) -> None:
        self.client = client
        self._fields: list[FieldInfo] | None = None
        self._pending: asyncio.Task[list[FieldInfo]] | None = None

    @property
    def cached(self) -> list[FieldInfo] | None:
        return self._fields

    async def get(self) -> list[FieldInfo]:
        if self._fields is not None:
            return self._fields
        if self._pending is None or self._pending.done():
            self._pending = asyncio.ensure_future(self.client.fields())
        # shield: one caller giving up (its view closed) must not cancel the fetch for the others.
        fields = await asyncio.shield(self._pending)
        self._fields = fields
        return fields

    def invalidate(self) -> None:
        self._fields = None
