"""The explorer page (static HTML + the vendored Cytoscape.js, talking to the API only, never to Neo4j) and the
Swagger UI at /docs, both served from api/static/ so they work offline."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

router = APIRouter(include_in_schema=False)


@router.get("/")
def root() -> RedirectResponse:
    return RedirectResponse("/explore")


@router.get("/explore")
def explore() -> FileResponse:
    return FileResponse(STATIC_DIR / "explore.html", media_type="text/html")


@router.get("/docs")
def docs() -> HTMLResponse:
    return get_swagger_ui_html(openapi_url="/openapi.json", title="Tech industry knowledge graph — API",
                               swagger_js_url="/static/vendor/swagger-ui-bundle.js",
                               swagger_css_url="/static/vendor/swagger-ui.css",
                               swagger_favicon_url="/static/favicon.svg")
