"""What the builder needs from the server, as a small protocol, so widgets can be tested with a fake.

The app passes an adapter over the shell's `ApiClient` (`segstudio.views.builder.client_backend`); errors
arrive as `BackendError` (the server answered with an error) or `BackendUnavailable` (it did not answer).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from segstudio.core.catalog import Catalog, Limits


@dataclass(frozen=True)
class PreviewResult:
    matched: int
    total_customers: int
    summary: str = ""
    sample: list[dict[str, Any]] = field(default_factory=list)
    node_counts: dict[str, Any] | None = None  # each node's own count, mirroring the rules (by node id)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PreviewResult:
        return cls(matched=int(data.get("matched", 0)), total_customers=int(data.get("total_customers", 0)),
                   summary=str(data.get("summary") or ""), sample=[dict(r) for r in data.get("sample") or []],
                   node_counts=data.get("node_counts"))


class BackendError(Exception):
    """The server refused: `status` is the HTTP status, `fields` maps request paths to messages (400)."""

    def __init__(self, status: int, message: str, fields: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.fields: dict[str, str] = dict(fields or {})


class BackendUnavailable(Exception):
    """The server could not be reached or the connection broke."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BuilderBackend(Protocol):
    async def catalog(self) -> Catalog: ...

    async def limits(self) -> Limits: ...

    async def suggestions(self, key: str, q: str) -> list[str]: ...

    async def preview(self, rules: dict[str, Any]) -> PreviewResult: ...

    async def explain(self, rules: dict[str, Any], customer_id: str) -> dict[str, Any]:
        """Why one customer matches the rules or not (the contract's explanation, as JSON)."""
        ...

    async def save(self, segment_id: Any, name: str, description: str | None, rules: dict[str, Any]) -> Any:
        """Create (segment_id None) or update; returns what the server returned (has an `id`)."""
        ...
