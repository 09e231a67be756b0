"""Segment evaluation: the job queue, membership swaps, readiness, events, history and schedules."""
