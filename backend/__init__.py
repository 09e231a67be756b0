"""Segment Studio backend: storage, rule evaluation, scheduling and permissions."""
