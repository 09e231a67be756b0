"""The FastAPI application: routers of every domain under /api/v1, errors in the contract's shape."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio.to_thread
from fastapi import APIRouter, FastAPI

from backend import metrics
from backend.admin.routes import router as admin_router
from backend.analysis.routes import router as analysis_router
from backend.auth.routes import router as auth_router
from backend.campaigns.routes import router as campaigns_router
from backend.config import Settings
from backend.customers.routes import router as custom_fields_router
from backend.db import Database
from backend.error_handlers import install_error_handlers
from backend.evaluation.routes import router as evaluation_router
from backend.evaluation.runtime import start_evaluation
from backend.explain.routes import router as explain_router
from backend.ingest.routes import router as ingest_router
from backend.input_guard import InputGuard
from backend.rules.routes import router as rules_router
from backend.segments.routes import router as segments_router

API_PREFIX = "/api/v1"


def create_app(settings: Settings | None = None, db: Database | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    db = db or Database(settings.database_url, settings.request_threads, settings.db_pool_timeout_seconds)
    metrics.install()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Sync routes and dependencies run on anyio's default thread limiter; the pool is sized to it.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.request_threads
        app.state.evaluation = start_evaluation(db, settings) if settings.run_scheduler else None
        yield
        if app.state.evaluation is not None:
            app.state.evaluation.stop()
        db.dispose()

    app = FastAPI(title="Segment Studio API", version="1.0", lifespan=lifespan,
                  description="Rule-based customer segments: ingestion, catalog, preview, segments.")
    app.state.settings = settings
    app.state.db = db
    install_error_handlers(app)
    app.add_middleware(InputGuard)

    @app.get("/health", tags=["health"])
    def health() -> dict[str, str]:
        return {"status": "ok"}

    api = APIRouter(prefix=API_PREFIX)
    for router in (auth_router, admin_router, ingest_router, custom_fields_router,
                   rules_router, explain_router, analysis_router, segments_router, evaluation_router, campaigns_router):
        api.include_router(router)
    app.include_router(api)
    return app
