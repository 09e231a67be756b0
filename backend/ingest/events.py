"""Ingestion announces which customers' data changed; derived data (metrics) listens.

Ingestion must not know what is derived from customer data, and the rule engine must not know how
data arrives, so the two meet here. Listeners run inside the ingesting transaction, so derived data
commits (or rolls back) with the batch and preview never sees it stale.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

# (session, org_id, customer_pks or None for "every customer of the org")
IngestListener = Callable[[Session, int, "set[int] | None"], None]

_listeners: list[IngestListener] = []


def subscribe(listener: IngestListener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def customers_changed(session: Session, org_id: int, customer_pks: set[int] | None) -> None:
    session.flush()
    for listener in _listeners:
        listener(session, org_id, customer_pks)
