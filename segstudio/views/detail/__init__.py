"""The segment detail page (Overview, Performance, Send campaign side panel, export)."""

from segstudio.views.detail.view import SegmentDetailView

__all__ = ["SegmentDetailView"]
