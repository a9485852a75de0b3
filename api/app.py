"""The FastAPI application. The Neo4j driver is created in the lifespan, never at import."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.routers import entities, health
from api.settings import ApiSettings
from kg.store import GraphConnection, apply_schema, connect


def create_app(settings: ApiSettings | None = None,
               connection_factory: Callable[[], GraphConnection] = connect) -> FastAPI:
    settings = settings or ApiSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.settings = settings
        app.state.graph = connection_factory()
        apply_schema(app.state.graph)
        try:
            yield
        finally:
            app.state.graph.close()

    app = FastAPI(title="Tech industry knowledge graph", version="0.1.0", lifespan=lifespan)
    app.include_router(health.router)
    app.include_router(entities.router)
    return app
