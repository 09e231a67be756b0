"""What every wire model shares: extra keys are kept, and the permission keys and levels the app reads."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Level = Literal["all", "owned", "disabled"]
Readiness = Literal["pending", "not_ready", "ready", "failed"]

SEGMENT_VIEW = "customers_segment_view"
SEGMENT_ADD = "customers_segment_add"
SEGMENT_MANAGE = "customers_segment_manage"
SEGMENT_ARCHIVED = "customers_segment_archived"
CUSTOMERS_VIEW = "customers_customers_view"


class WireModel(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)
