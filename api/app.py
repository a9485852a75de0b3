"""The FastAPI application. The Neo4j driver is created in the lifespan, never at import.

Paths: the API is versioned under `/v1`; `/health` also answers at the root, and so does `GET /entities?q=`
(the quickstart's search, same answer as `/v1/entities`, marked deprecated). `/` redirects to `/explore`.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from api import limits, problems, ratelimit
from api.routers import articles, curation, cypher, entities, explorer, export, facts, graph, health, reading, stats
from api.routers.explorer import STATIC_DIR
from api.schemas import EntityPage
from api.settings import ApiSettings
from kg.errors import Neo4jUnavailableError
from kg.store import GraphConnection, apply_schema, connect

log = logging.getLogger(__name__)

DESCRIPTION = """Typed, dated, sourced facts about the tech industry, drawn from news articles (English, French).

Every fact is `subject —PREDICATE→ object` with qualifiers (date, amount, role, modality…) and the evidence
behind it (article, sentence). Errors are `application/problem+json` (RFC 9457). Lists page with an opaque
`cursor`: pass the previous page's `nextCursor`. Writes need the `X-API-Key` header. The explorer is at `/explore`.
"""


def _operation_id(route: APIRoute) -> str:
    return route.name


def create_app(settings: ApiSettings | None = None,
               connection_factory: Callable[[], GraphConnection] = connect) -> FastAPI:
    settings = settings or ApiSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.graph = connection_factory()
        try:
            apply_schema(app.state.graph)
        except Neo4jUnavailableError as exc:  # serve anyway: /health tells, requests get 503
            log.warning("Neo4j does not answer at start (%s); the API starts and answers 503 until it does.", exc)
        try:
            yield
        finally:
            app.state.graph.close()
            if getattr(app.state, "cypher_graph", None) is not None:  # the Cypher endpoint's reader, if configured
                app.state.cypher_graph.close()

    app = FastAPI(title="Tech industry knowledge graph", version="1.0.0", description=DESCRIPTION,
                  lifespan=lifespan, generate_unique_id_function=_operation_id,
                  docs_url=None, redoc_url=None)  # /docs is served from api/static (offline), see routers/explorer
    app.state.settings = settings
    problems.install(app)
    limits.install(app, settings)  # body size, query length, unknown query parameters, write key before the body
    ratelimit.install(app, settings)  # per-client token bucket on POST /v1/cypher and /v1/articles
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Content-Type", "X-API-Key", "X-Curator"])

    v1 = APIRouter(prefix="/v1")
    for module in (entities, facts, graph, cypher, articles, reading, export, stats, health, curation):
        v1.include_router(module.router)
    app.include_router(v1)
    app.include_router(health.router, include_in_schema=False)  # /health at the root for probes
    legacy = APIRouter(tags=["entities"], dependencies=entities.router.dependencies,
                       responses=entities.router.responses)
    legacy.add_api_route("/entities", entities.search_entities, methods=["GET"], response_model=EntityPage,
                         name="search_entities_unversioned", deprecated=True,
                         summary="Search entities (unversioned alias of /v1/entities)")
    app.include_router(legacy)
    app.include_router(explorer.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _document_problems(app)
    return app


def _document_problems(app: FastAPI) -> None:
    """Add the Problem schema to the OpenAPI components (the routes refer to it by $ref)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = build()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(problems.Problem.model_json_schema(ref_template="#/components/schemas/{model}")
                          .pop("$defs", {}))
        components["Problem"] = problems.Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        components["Problem"].pop("$defs", None)
        # Refusals any operation can answer before its route runs (request limits, unknown query parameters).
        for methods in schema.get("paths", {}).values():
            for method, operation in methods.items():
                extra = (400, 414, 413) if method == "post" else (400, 414)
                for status, entry in problems.problem_responses(*extra).items():
                    operation.setdefault("responses", {}).setdefault(str(status), entry)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
