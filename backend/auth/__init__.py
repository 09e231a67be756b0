"""Organisations, users, roles, permissions and tokens."""
