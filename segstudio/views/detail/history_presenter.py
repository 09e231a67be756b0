"""Loads the History tab and carries out a confirmed restore for the detail page (composition, not a mixin)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from segstudio.client import ApiError, LatestTask
from segstudio.client.models import Revision
from segstudio.core.revision_diff import Words
from segstudio.views.detail.history import HistoryTab

if TYPE_CHECKING:
    from segstudio.views.detail.view import SegmentDetailView


class HistoryPresenter:
    def __init__(self, page: SegmentDetailView, tab: HistoryTab) -> None:
        self.page = page
        self.tab = tab
        self._revisions = LatestTask[list[Revision]](tab.show_revisions, page._failed("history"))
        tab.restoreConfirmed.connect(self.restore)

    def load(self) -> None:
        self._revisions.start(self.page.client.segment_revisions(self.page.segment.id))
        if self.page.catalog is not None and self.tab.words.fields == {}:
            self.page._run(self._load_words())

    async def _load_words(self) -> None:
        catalog = self.page.catalog
        assert catalog is not None
        fields, operators = await catalog.get(), await catalog.operators()
        self.tab.set_words(Words({f.key: f.label for f in fields}, {o.key: o.label for o in operators}))

    def restore(self, revision: int) -> None:
        async def restore() -> None:
            try:
                updated = await self.page.client.restore_revision(self.page.segment.id, revision)
            except ApiError as exc:
                if exc.status in (400, 404, 409):  # no longer valid, gone, or archived: say why, nothing changed
                    self.page.show_notice(exc.message, error=True)
                    return
                raise
            self.page._show(updated)
            self.page.show_notice(f"Revision #{revision} restored. The segment is being evaluated again.")
            self.page.changed.emit(updated)
            self.load()
            self.page.load_results()

        self.page._run(restore())

    def cleanup(self) -> None:
        self._revisions.cancel()
