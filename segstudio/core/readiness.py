"""The segment detail's readiness state machine: what to show, whether to poll, and what Send campaign does.

The view feeds it every segment it loads (`update`) and every failure (`gone`, `offline`); it answers with
a `ReadinessView` the widgets copy. Polling goes on while the segment is pending or evaluating and stops
once it is ready, failed, deleted, or archived.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

NOT_READY_TOOLTIP = "Segment is still being recalculated, please wait"
ARCHIVED_TOOLTIP = "An archived segment cannot be used for a campaign. Unarchive it first."
FAILED_TOOLTIP = "The last evaluation failed. Retry it before sending a campaign."
GONE_MESSAGE = "This segment no longer exists. It may have been deleted by someone else."
POLL_SECONDS = 3.0


class Phase(StrEnum):
    UPDATING = "updating"
    READY = "ready"
    FAILED = "failed"
    GONE = "gone"


@dataclass(frozen=True)
class ReadinessView:
    phase: Phase
    banner: str | None
    poll: bool
    send_enabled: bool
    send_tooltip: str
    retry_visible: bool
    actions_enabled: bool


class ReadinessMachine:
    def __init__(self) -> None:
        self.phase = Phase.UPDATING
        self.status = "active"
        self.failure_reason: str | None = None

    def update(self, readiness: str, status: str = "active", failure_reason: str | None = None) -> ReadinessView:
        if self.phase == Phase.GONE:
            return self.view
        self.status = status
        if readiness == "ready":
            self.phase, self.failure_reason = Phase.READY, None
        elif readiness == "failed":
            self.phase = Phase.FAILED
            self.failure_reason = failure_reason or self.failure_reason
        else:
            self.phase, self.failure_reason = Phase.UPDATING, None
        return self.view

    def gone(self) -> ReadinessView:
        self.phase = Phase.GONE
        return self.view

    @property
    def view(self) -> ReadinessView:
        archived = self.status == "archived"
        if self.phase == Phase.GONE:
            return ReadinessView(Phase.GONE, GONE_MESSAGE, False, False, GONE_MESSAGE, False, False)
        if self.phase == Phase.UPDATING:
            return ReadinessView(Phase.UPDATING, "Updating… members are being recalculated. This page updates "
                                 "by itself.", not archived, False, NOT_READY_TOOLTIP, False, True)
        if self.phase == Phase.FAILED:
            reason = self.failure_reason or "no reason was recorded"
            return ReadinessView(Phase.FAILED, f"The last evaluation failed: {reason}", False, False,
                                 FAILED_TOOLTIP, not archived, True)
        if archived:
            return ReadinessView(Phase.READY, None, False, False, ARCHIVED_TOOLTIP, False, True)
        return ReadinessView(Phase.READY, None, False, True, "Send a campaign to this segment's customers", False,
                             True)
