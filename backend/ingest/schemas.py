"""Request and response bodies of ingestion."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class IngestRequest(BaseModel):
    """Records are checked by plain functions (`validation`), which name each `records.N.field`."""

    model_config = ConfigDict(extra="forbid")

    records: list[Any] = Field(description="At most 10,000 records, each an object with a string `id`.")


class IngestResponse(BaseModel):
    inserted: int = Field(description="Records whose id was new to the organisation")
    updated: int = Field(description="Records whose id already existed, changed or not")
