from __future__ import annotations

import pytest

from backend import metrics


@pytest.fixture(autouse=True, scope="session")
def _metrics_listener() -> None:
    metrics.install()
