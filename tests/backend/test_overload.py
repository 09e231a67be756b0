"""An exhausted connection pool answers 503 with Retry-After (load shedding), never 500; a client that
goes away mid-request is not logged as an unhandled error."""

from __future__ import annotations

import logging

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient
from starlette.requests import ClientDisconnect

from backend.app import create_app
from backend.config import Settings
from backend.db import BACKGROUND_CONNECTIONS, Database


@pytest.fixture
def tiny_pool_db(db: Database):
    """The test database behind a pool of one connection and no overflow, giving up after 0.2 s."""
    tiny = Database(db.url, request_threads=1, pool_timeout=0.2)
    tiny.engine.pool._max_overflow = 0  # the background allowance would hide the exhaustion
    yield tiny
    tiny.dispose()


def test_exhausted_pool_answers_503_with_retry_after(tiny_pool_db: Database, caplog) -> None:
    app = create_app(Settings(database_url=tiny_pool_db.url, run_scheduler=False), tiny_pool_db)
    # The only connection is held by the test, so authenticating the token cannot get one.
    with (TestClient(app, raise_server_exceptions=False) as client, tiny_pool_db.engine.connect(),
          caplog.at_level(logging.WARNING, logger="backend.error_handlers")):
        response = client.get("/api/v1/segments", headers={"Authorization": "Bearer whatever"})
    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit() and int(response.headers["Retry-After"]) > 0
    assert response.json()["error"]["code"] == "service_unavailable"
    assert "unhandled error" not in caplog.text
    # With the connection back in the pool the same request gets through to the token check.
    with TestClient(app) as client:
        assert client.get("/api/v1/segments", headers={"Authorization": "Bearer whatever"}).status_code == 401


def test_pool_is_sized_to_the_request_threads(db: Database) -> None:
    settings = Settings(database_url=db.url, run_scheduler=False, request_threads=7, db_pool_timeout_seconds=3)
    app = create_app(settings)
    try:
        pool = app.state.db.engine.pool
        assert (pool.size(), pool._max_overflow, pool._timeout) == (7, BACKGROUND_CONNECTIONS, 3)
        with TestClient(app) as client:
            async def tokens() -> float:
                return anyio.to_thread.current_default_thread_limiter().total_tokens

            assert client.portal.call(tokens) == 7
    finally:
        app.state.db.dispose()


def test_client_disconnect_is_not_an_unhandled_error(app, caplog) -> None:
    async def body_then_gone() -> None:  # what Request.body() raises when the client has gone
        raise ClientDisconnect()

    app.add_api_route("/test-disconnect", body_then_gone, methods=["POST"])
    with TestClient(app, raise_server_exceptions=False) as client, caplog.at_level(logging.INFO):
        response = client.post("/test-disconnect")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "client_disconnected"
    assert "unhandled error" not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
