"""What the shell shows for a signed-in user: derived from /me permissions and the package."""

from __future__ import annotations

from dataclasses import dataclass

from segstudio.client.models import (
    SEGMENT_ADD,
    SEGMENT_ARCHIVED,
    SEGMENT_MANAGE,
    SEGMENT_VIEW,
    Me,
    Segment,
)

NOT_INCLUDED = ("Segmentation is not included in your {tier} package. "
                "Upgrade to Plus, Ultimate or 360 to create and use customer segments.")
LIMIT_REACHED = "Segment limit reached. Delete an existing segment to create a new one."


@dataclass(frozen=True)
class Access:
    me: Me

    @property
    def segmentation_included(self) -> bool:
        return self.me.package.segmentation

    @property
    def package_message(self) -> str | None:
        if self.segmentation_included:
            return None
        return NOT_INCLUDED.format(tier=self.me.package.tier.capitalize())

    @property
    def segments_visible(self) -> bool:
        """The Segments page shows when the role may view segments; a Starter org sees why it is empty."""
        return self.me.can(SEGMENT_VIEW)

    @property
    def can_create(self) -> bool:
        return self.segmentation_included and self.me.can(SEGMENT_ADD)

    @property
    def can_view_archived(self) -> bool:
        return self.me.can(SEGMENT_ARCHIVED)

    def can_edit(self, segment: Segment) -> bool:
        if segment.can_edit is not None:
            return self.segmentation_included and segment.can_edit
        return self.segmentation_included and self._allows(SEGMENT_MANAGE, segment)

    def can_archive(self, segment: Segment) -> bool:
        if segment.can_archive is not None:
            return self.segmentation_included and segment.can_archive
        return self.segmentation_included and self._allows(SEGMENT_MANAGE, segment)

    def can_duplicate(self, segment: Segment) -> bool:
        return self.can_create

    def can_send_campaign(self, segment: Segment) -> bool:
        return self.segmentation_included and segment.readiness == "ready" and segment.status == "active"

    def _allows(self, key: str, segment: Segment) -> bool:
        level = self.me.level(key)
        if level == "all":
            return True
        if level == "owned":
            return segment.created_by_id is not None and segment.created_by_id == self.me.user.id
        return False

    @property
    def max_active_segments(self) -> int | None:
        return self.me.package.max_active_segments
