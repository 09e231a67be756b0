"""Request and response bodies of the customers domain (custom field definitions)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class CustomFieldCreate(BaseModel):
    """Types are checked loosely here and precisely in the service, so every message names its field."""

    model_config = ConfigDict(extra="forbid")

    key: str = Field(description="Lowercase identifier, unique in the organisation: ^[a-z][a-z0-9_]{0,63}$")
    label: str = Field(description="Name shown in the rule builder, at most 255 characters")
    type: str = Field(description="single_line_text, multi_line_text, dropdown, multiple_selection, number, "
                                  "date, url, file_upload, signature or gps")
    options: list[str] | None = Field(default=None, description="Required (non-empty, unique) for dropdown and "
                                                                "multiple_selection; refused for other types")


class CustomFieldRead(BaseModel):
    id: int
    key: str
    label: str
    type: str
    options: list[str] | None
    created_at: datetime
