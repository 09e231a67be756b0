"""Moved to backend/auth/scoping.py (the one scoping function). These names stay importable from here
only for backend.evaluation, which another change owns; new code imports backend.auth.scoping."""

from backend.auth.scoping import (  # noqa: F401 - re-exported for backend.evaluation
    customer_filter,
    require_view,
    sees_every_customer,
    segment_filter,
    visible_segment,
)
