from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import GraphDep
from kg.store.reader import search_entities

router = APIRouter(prefix="/entities", tags=["entities"])


@router.get("")
def find_entities(graph: GraphDep, q: Annotated[str, Query(min_length=1, max_length=200)],
                  type: Annotated[str | None, Query(pattern="^(Person|Organization|Product|Document)$")] = None,
                  limit: Annotated[int, Query(ge=1, le=200)] = 20) -> dict:
    """Entities whose name or an alias matches `q` (case- and accent-insensitive)."""
    return {"items": search_entities(graph, q, type, limit)}
