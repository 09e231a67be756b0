"""A fake builder backend: the shared catalog, a preview computed from a few customers, scripted failures."""

from __future__ import annotations

import asyncio
from typing import Any

from segstudio.core.backend import BackendError, BackendUnavailable, PreviewResult
from segstudio.core.catalog import Catalog, Limits
from tests.core.cases import CATALOG_JSON, LIMITS, OPERATORS_JSON

CUSTOMERS = [
    {"id": f"C{i:03d}", "full_name": name, "source": source, "address.province": province}
    for i, (name, source, province) in enumerate([
        ("Budi Santoso", "WhatsApp", "Jakarta"), ("Siti Rahma", "Email", "Bandung"),
        ("Agus Wijaya", "WhatsApp", "Jakarta"), ("Dewi Lestari", "Instagram", "Jakarta"),
        ("Rina Putri", "WhatsApp", "Surabaya")], start=1)
]


def _matches(customer: dict[str, Any], node: dict[str, Any]) -> bool:
    if "combinator" in node:
        results = [_matches(customer, r) for r in node["rules"]]
        return all(results) if node["combinator"] == "and" else any(results)
    value = customer.get(node["field"])
    if node["operator"] == "is":
        return value == node["value"]
    if node["operator"] == "is_not":
        return value is not None and value != node["value"]
    return False


class FakeBackend:
    def __init__(self, *, limits: Limits = LIMITS, delay: float = 0.0) -> None:
        self._limits = limits
        self.delay = delay
        self.previews: list[dict[str, Any]] = []
        self.saves: list[tuple[Any, str, str | None, dict[str, Any]]] = []
        self.suggestion_calls: list[tuple[str, str]] = []
        self.save_error: Exception | None = None
        self.preview_error: Exception | None = None

    async def catalog(self) -> Catalog:
        return Catalog.from_json(CATALOG_JSON, OPERATORS_JSON)

    async def limits(self) -> Limits:
        return self._limits

    async def suggestions(self, key: str, q: str) -> list[str]:
        self.suggestion_calls.append((key, q))
        values = sorted({str(c.get(key)) for c in CUSTOMERS if c.get(key)})
        return [v for v in values if v.lower().startswith(q.lower())]

    async def preview(self, rules: dict[str, Any]) -> PreviewResult:
        self.previews.append(rules)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.preview_error is not None:
            raise self.preview_error
        matched = [c for c in CUSTOMERS if _matches(c, rules)]
        return PreviewResult(matched=len(matched), total_customers=len(CUSTOMERS), summary="",
                             sample=[{"id": c["id"], "full_name": c["full_name"], "source": c["source"]}
                                     for c in matched])

    async def save(self, segment_id: Any, name: str, description: str | None, rules: dict[str, Any]) -> Any:
        self.saves.append((segment_id, name, description, rules))
        if self.save_error is not None:
            raise self.save_error
        return {"id": segment_id or 41, "name": name, "description": description, "rules": rules}


__all__ = ["FakeBackend", "BackendError", "BackendUnavailable"]
