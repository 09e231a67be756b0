"""Segment Studio desktop application."""
