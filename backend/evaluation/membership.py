"""Deleting a segment's derived membership rows, which have no foreign keys to cascade them.

segment_members and segment_membership_changes are written in bulk by every evaluation; without
foreign-key triggers those inserts cost a third as much on PostgreSQL (see evaluation/models.py), so
the one place that removes their owner, deleting a segment, removes them here first.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from backend.evaluation.models import MembershipChange, SegmentEvaluation, SegmentMember


def forget_segment(session: Session, segment_id: int) -> None:
    """Delete the member and change rows of every evaluation of the segment (the caller deletes it)."""
    evaluations = select(SegmentEvaluation.id).where(SegmentEvaluation.segment_id == segment_id)
    session.execute(delete(SegmentMember).where(SegmentMember.evaluation_id.in_(evaluations)))
    session.execute(delete(MembershipChange).where(MembershipChange.segment_id == segment_id))
