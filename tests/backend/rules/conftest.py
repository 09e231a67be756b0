from __future__ import annotations

import pytest

from backend import metrics
from tests.backend.rules.test_acceptance import world  # noqa: F401  (the acceptance tests' fixture, shared)


@pytest.fixture(autouse=True, scope="session")
def _metrics_listener() -> None:
    metrics.install()
