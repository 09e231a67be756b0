"""The request clock, a dependency so tests can move time (refresh window, relative dates)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends

from backend.db import utcnow


def get_now() -> datetime:
    return utcnow()


NowDep = Annotated[datetime, Depends(get_now)]
