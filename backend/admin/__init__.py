"""Administration: roles and their permission levels, users, organisation settings, alerts, API tokens."""
