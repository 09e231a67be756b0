"""The organisation's field catalog and the operator table it uses, fetched together once per sign-in and shared
by every view that needs them."""

from __future__ import annotations

import asyncio

from segstudio.client import ApiClient
from segstudio.client.models import FieldInfo, OperatorInfo

Served = tuple[list[FieldInfo], list[OperatorInfo]]


class CatalogCache:
    """`await catalog.get()` returns `GET /fields`, `await catalog.operators()` `GET /operators`; both come from one
    fetch that concurrent callers share. Failures are not cached (the next call tries again), and `invalidate()`
    forces a fresh fetch (new custom field)."""

    def __init__(self, client: ApiClient) -> None:
        self.client = client
        self._served: Served | None = None
        self._pending: asyncio.Future[Served] | None = None

    @property
    def cached(self) -> list[FieldInfo] | None:
        return self._served[0] if self._served is not None else None

    async def _fetch(self) -> Served:
        fields, operators = await asyncio.gather(self.client.fields(), self.client.operators())
        return fields, operators

    async def _get_both(self) -> Served:
        if self._served is not None:
            return self._served
        if self._pending is None or self._pending.done():
            self._pending = asyncio.ensure_future(self._fetch())
        # shield: one caller giving up (its view closed) must not cancel the fetch for the others.
        served = await asyncio.shield(self._pending)
        self._served = served
        return served

    async def get(self) -> list[FieldInfo]:
        return (await self._get_both())[0]

    async def operators(self) -> list[OperatorInfo]:
        return (await self._get_both())[1]

    def invalidate(self) -> None:
        self._served = None
