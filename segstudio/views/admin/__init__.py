"""The Administration section (Org Admins only): Roles, Users, Settings, Alerts and API tokens."""

from segstudio.views.admin.section import (
    ALERTS,
    HEADING,
    LABELS,
    ROLES,
    SETTINGS,
    TOKENS,
    USERS,
    AdminSection,
    NavigationDelegate,
)

__all__ = ["ALERTS", "HEADING", "LABELS", "ROLES", "SETTINGS", "TOKENS", "USERS", "AdminSection",
           "NavigationDelegate"]
