"""What the shell shows for a signed-in user: derived from /me permissions and the package."""

from __future__ import annotations

from segstudio.client.models import (
    SEGMENT_ADD,
    SEGMENT_ARCHIVED,
    SEGMENT_MANAGE,
    SEGMENT_VIEW,
    Me,
    Segment,
)
from segstudio.services.events import Event

NOT_INCLUDED = ("Segmentation is not included in your {tier} package. "
                "Upgrade to Plus, Ultimate or 360 to create and use customer segments.")
LIMIT_REACHED = "Segment limit reached. Delete an existing segment to create a new one."
NO_CAMPAIGN_PERMISSION = "Sending a campaign creates a recipient list, which needs permission to create segments."


ORG_ADMIN = "org_admin"


class Access:
    """The signed-in user's /me, read again while the app runs; `changed()` fires when it differs."""

    def __init__(self, me: Me) -> None:
        self.me = me
        self.changed = Event()

    def update(self, me: Me) -> bool:
        """Take a fresh /me; returns (and announces) whether anything in it changed."""
        if me == self.me:
            return False
        self.me = me
        self.changed.emit()
        return True

    @property
    def is_org_admin(self) -> bool:
        """The Administration section is for Org Admins only (the server answers 403 to anyone else)."""
        return self.me.user.role == ORG_ADMIN

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

    def can_delete(self, segment: Segment) -> bool:
        """Deleting needs customers_segment_manage for that segment: all, or owned and created by this user."""
        if segment.can_delete is not None:
            return self.segmentation_included and segment.can_delete
        return self.segmentation_included and self._allows(SEGMENT_MANAGE, segment)

    def can_duplicate(self, segment: Segment) -> bool:
        return self.can_create

    def can_send_campaign(self, segment: Segment) -> bool:
        """The recipient list it creates needs customers_segment_add on the server too."""
        return self.can_create and segment.readiness == "ready" and segment.status == "active"

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
