"""Builder fixtures: a BuilderView over the fake backend, loaded and shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from segstudio.views.builder import BuilderView
from tests.core.cases import NESTED_JSON
from tests.desktop.builder.fake_backend import FakeBackend


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend()


@pytest.fixture
def make_view(qtbot, backend: FakeBackend) -> Callable[..., BuilderView]:
    def make(segment: Any = None, *, fake: FakeBackend | None = None, delay: float = 0.05) -> BuilderView:
        view = BuilderView(backend=fake or backend, segment=segment, preview_delay=delay)
        qtbot.addWidget(view)
        view.resize(1280, 700)
        view.show()
        qtbot.waitUntil(lambda: view.tree_view is not None, timeout=5000)
        return view
    return make


@pytest.fixture
def nested_view(make_view) -> BuilderView:
    """Editing the shared nested tree: opens straight on the condition step."""
    view = make_view({"id": 5, "name": "WhatsApp Jakarta", "description": "", "rules": NESTED_JSON})
    assert view.steps.currentWidget() is view.rules_page
    return view
