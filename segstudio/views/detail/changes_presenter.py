"""Loads the Entered & left tab for the detail page: evaluations with their counts, and names page by page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from segstudio.client import LatestTask
from segstudio.client.models import ChangesPage, EvaluationPage
from segstudio.views.detail.changes import ChangesTab

if TYPE_CHECKING:
    from segstudio.views.detail.view import SegmentDetailView

EVALUATIONS_SHOWN = 100


class ChangesPresenter:
    def __init__(self, page: SegmentDetailView, tab: ChangesTab, page_size: int = 50) -> None:
        self.page = page
        self.tab = tab
        self.page_size = page_size
        self._evaluations = LatestTask[EvaluationPage](lambda p: tab.show_evaluations(p.items),
                                                       page._failed("evaluations"))
        self._names = LatestTask[tuple[ChangesPage, str]](lambda r: tab.show_names(r[0], r[1], self.page_size),
                                                          page._failed("customers who entered or left"))
        tab.namesRequested.connect(self.load_names)

    def load(self) -> None:
        self._evaluations.start(self.page.client.segment_evaluations(self.page.segment.id,
                                                                     page_size=EVALUATIONS_SHOWN))

    def load_names(self, evaluation_id: int, change: str, number: int) -> None:
        async def names() -> tuple[ChangesPage, str]:
            result = await self.page.client.evaluation_changes(self.page.segment.id, evaluation_id, change=change,
                                                               page=number, page_size=self.page_size)
            return result, change

        self._names.start(names())

    def cleanup(self) -> None:
        self._evaluations.cancel()
        self._names.cancel()
