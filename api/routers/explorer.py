"""The explorer page: static HTML + the vendored Cytoscape.js, talking to the API only (never to Neo4j)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, RedirectResponse

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"

router = APIRouter(include_in_schema=False)


@router.get("/")
def root() -> RedirectResponse:
    return RedirectResponse("/explore")


@router.get("/explore")
def explore() -> FileResponse:
    return FileResponse(STATIC_DIR / "explore.html", media_type="text/html")
