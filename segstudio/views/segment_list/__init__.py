"""The Segments page: the table model, the filter bar and the row actions, composed by `SegmentListView`."""

from segstudio.views.segment_list.view import SegmentListView

__all__ = ["SegmentListView"]
