"""Parameter types shared by every domain's routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path
from pydantic import Field

MAX_ID = 2_147_483_647

# Ids are bounded so an absurd number is a 400, not a database overflow.
DbId = Annotated[int, Path(ge=1, le=MAX_ID)]
RowRef = Annotated[int, Field(ge=1, le=MAX_ID)]
