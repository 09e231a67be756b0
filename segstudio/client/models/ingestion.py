"""What an ingestion batch reports back."""

from __future__ import annotations

from segstudio.client.models.base import WireModel


class IngestResult(WireModel):
    inserted: int
    updated: int
