"""Non-blocking windows about one customer: "Why?" for a saved segment, and the customer profile.

Each is a top-level tool window (never modal) that fetches on the asyncio loop and shows what it got, or
why it could not, in place. The window deletes itself on close; `open_window` keeps no reference to it
beyond Qt's lifetime (the set entry goes when Qt destroys it).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from segstudio.client.api import ApiClient, rules_to_wire
from segstudio.client.errors import ApiError, NetworkError
from segstudio.core.catalog import Catalog
from segstudio.core.explain import explanation_lines, membership_note
from segstudio.core.profile import profile_sections
from segstudio.services.catalog import CatalogCache
from segstudio.widgets.explain_panel import ExplainPanel

log = logging.getLogger(__name__)
_open: set[QWidget] = set()


def _dump(obj: Any) -> Any:
    return obj.model_dump(mode="json") if hasattr(obj, "model_dump") else obj


async def load_catalog(client: ApiClient, cache: CatalogCache | None) -> Catalog:
    cache = cache or CatalogCache(client)
    fields, operators = await cache.get(), await cache.operators()
    return Catalog.from_json([_dump(f) for f in fields], [_dump(o) for o in operators])


def _why_not(exc: BaseException, what: str) -> str:
    if isinstance(exc, ApiError) and exc.status == 404:
        return f"{what}: the customer (or segment) was not found, or you may not see it."
    if isinstance(exc, ApiError | NetworkError):
        return f"{what}: {exc.message}"
    log.exception("customer window failed", exc_info=exc)
    return f"{what}."


class _CustomerWindow(QWidget):
    def __init__(self, parent: QWidget | None) -> None:
        super().__init__(parent, Qt.WindowType.Tool)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._tasks: set[asyncio.Future[Any]] = set()
        _open.add(self)
        self.destroyed.connect(lambda: _open.discard(self))

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def closeEvent(self, event: Any) -> None:  # noqa: N802
        for task in list(self._tasks):
            task.cancel()
        super().closeEvent(event)


class ExplainWindow(_CustomerWindow):
    """Why a customer is in a saved segment or not, node by node, and whether the committed membership agrees."""

    def __init__(self, client: ApiClient, segment_id: int | str, customer_id: str, *,
                 catalog: CatalogCache | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("explainWindow")
        self.setWindowTitle(f"Why? — customer {customer_id}")
        self.resize(640, 420)
        self.panel = ExplainPanel(parent=self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        self.profile_button = QPushButton("Customer profile…", self)
        self.profile_button.setObjectName("explainProfile")
        self.profile_button.clicked.connect(lambda: ProfileWindow(client, customer_id, catalog=catalog,
                                                                  parent=self.parentWidget()).show())
        layout.addWidget(self.profile_button, 0, Qt.AlignmentFlag.AlignRight)
        self.spawn(self._load(client, segment_id, customer_id, catalog))

    async def _load(self, client: ApiClient, segment_id: int | str, customer_id: str,
                    cache: CatalogCache | None) -> None:
        try:
            catalog = await load_catalog(client, cache)
            segment = await client.get_segment(segment_id)
            explanation = _dump(await client.explain_segment(segment_id, customer_id))
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - said in the panel, never raised into the loop
            if shiboken6.isValid(self.panel):
                self.panel.show_error(_why_not(exc, "Could not explain"))
            return
        if not shiboken6.isValid(self.panel):
            return
        verdict = "matches" if explanation.get("matched") else "does not match"
        self.panel.show_lines(f"Customer {customer_id} {verdict} “{segment.name}”",
                              explanation_lines(explanation, rules_to_wire(segment.rules), catalog),
                              membership_note(explanation))


class ProfileWindow(_CustomerWindow):
    """Every property, custom field and metric of one customer, the latest records, and their segments."""

    whyRequested = Signal(object, str)  # noqa: N815 - (segment id, customer id)

    def __init__(self, client: ApiClient, customer_id: str, *, catalog: CatalogCache | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client, self.catalog_cache = client, catalog
        self.setObjectName("profileWindow")
        self.setWindowTitle(f"Customer {customer_id}")
        self.resize(620, 560)
        layout = QVBoxLayout(self)
        self.title = QLabel(f"<b>Customer {customer_id}</b>", self)
        layout.addWidget(self.title)
        self.message = QLabel("Loading…", self)
        self.message.setObjectName("profileMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("profileTree")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["", "Value"])
        self.tree.hide()
        layout.addWidget(self.tree, 1)
        self.segments = QVBoxLayout()
        layout.addLayout(self.segments)
        self.whyRequested.connect(lambda sid, cid: ExplainWindow(client, sid, cid, catalog=catalog,
                                                                 parent=self.parentWidget()).show())
        self.spawn(self._load(customer_id))

    async def _load(self, customer_id: str) -> None:
        try:
            catalog = await load_catalog(self.client, self.catalog_cache)
            profile = _dump(await self.client.customer_profile(customer_id))
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - said in the window
            if shiboken6.isValid(self.message):
                self.message.setText(_why_not(exc, "Could not load the profile"))
                self.message.setStyleSheet("color: #c0392b;")
            return
        if shiboken6.isValid(self.tree):
            self.show_profile(profile, catalog)

    def show_profile(self, profile: dict[str, Any], catalog: Catalog) -> None:
        self.title.setText(f"<b>{profile.get('full_name') or profile['id']}</b> · {profile['id']}")
        self.message.hide()
        for title, rows in profile_sections(profile, catalog):
            section = QTreeWidgetItem([title, ""])
            self.tree.addTopLevelItem(section)
            for row in rows:
                item = QTreeWidgetItem([row.label, row.value])
                item.setToolTip(0, row.tooltip)
                item.setToolTip(1, row.tooltip or row.value)
                section.addChild(item)
            section.setExpanded(title in ("Properties", "Metrics"))
        self.tree.resizeColumnToContents(0)
        self.tree.show()
        segments = profile.get("segments") or []
        self.segments.addWidget(QLabel("<b>Segments</b>" if segments else "In no segment.", self))
        for seg in segments:
            button = QPushButton(f"Why in “{seg['segment_name']}”?", self)
            button.setObjectName("profileWhy")
            button.clicked.connect(lambda _=False, sid=seg["segment_id"]: self.whyRequested.emit(sid, profile["id"]))
            self.segments.addWidget(button)
