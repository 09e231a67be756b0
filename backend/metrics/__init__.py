"""Per-customer aggregate metrics, kept current on ingestion (see docs/metrics.md)."""

from __future__ import annotations


def install() -> None:
    """Subscribe the metrics refresh to ingestion events; safe to call more than once."""
    from backend.ingest import events
    from backend.metrics.service import on_customers_changed

    events.subscribe(on_customers_changed)
