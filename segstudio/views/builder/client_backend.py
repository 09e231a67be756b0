"""The builder's backend protocol over the shell's `ApiClient`, translating its models and errors."""

from __future__ import annotations

import asyncio
from typing import Any

from segstudio.client.errors import ApiError, NetworkError
from segstudio.core.backend import BackendError, BackendUnavailable, PreviewResult
from segstudio.core.catalog import Catalog, Limits


def _dump(obj: Any) -> Any:
    return obj.model_dump(mode="json") if hasattr(obj, "model_dump") else obj


class ClientBackend:
    def __init__(self, client: Any, catalog_cache: Any = None, me: Any = None) -> None:
        self._client = client
        self._catalog_cache = catalog_cache
        self._me = me

    async def _call(self, coro: Any) -> Any:
        try:
            return await coro
        except ApiError as exc:
            raise BackendError(exc.status, exc.message, exc.fields) from exc
        except NetworkError as exc:
            raise BackendUnavailable(exc.message) from exc

    async def catalog(self) -> Catalog:
        """The fields and the operator table they use, as served."""
        if self._catalog_cache is not None:
            fields = await self._call(self._catalog_cache.get())
            operators = await self._call(self._catalog_cache.operators())
        else:
            fields, operators = await self._call(asyncio.gather(self._client.fields(), self._client.operators()))
        return Catalog.from_json([_dump(f) for f in fields], [_dump(o) for o in operators])

    async def limits(self) -> Limits:
        me = self._me if self._me is not None else await self._call(self._client.me())
        return Limits.from_org(_dump(me.organisation))

    async def suggestions(self, key: str, q: str) -> list[str]:
        values = await self._call(self._client.suggestions(key, q))
        return [str(v) for v in values]

    async def preview(self, rules: dict[str, Any]) -> PreviewResult:
        return PreviewResult.from_json(_dump(await self._call(self._client.preview(rules))))

    async def save(self, segment_id: Any, name: str, description: str | None, rules: dict[str, Any]) -> Any:
        if segment_id is None:
            return await self._call(self._client.create_segment(name, rules, description))
        # The client leaves out a None description (the server keeps it); "" clears it.
        return await self._call(self._client.update_segment(segment_id, name=name, rules=rules,
                                                            description=description or ""))
