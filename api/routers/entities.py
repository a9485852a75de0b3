from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from api.deps import GraphDep, ReadAccess, SettingsDep
from api.pagination import decode_key, decode_offset, encode_key, encode_offset
from api.problems import problem_responses
from api.routers.common import (
    Cursor,
    DateWindow,
    EntityTypeFilter,
    Limit,
    PredicateList,
    date_window,
    no_entity,
    page_size,
)
from api.schemas import EntityDetailOut, EntityPage, TimelinePage, entity_detail_out, entity_hit
from kg.store import reader

router = APIRouter(prefix="/entities", tags=["entities"], dependencies=[ReadAccess],
                   responses=problem_responses(400, 401, 403, 422, 503))

EntityId = Annotated[str, Path(min_length=1, max_length=300, examples=["organization:deepmind"],
                               description="The entity's id (`type:name`); find it with GET /v1/entities?q=")]
SearchText = Annotated[str, Query(min_length=1, max_length=200, examples=["deepmind"],
                                  description="Name or alias; case- and accent-insensitive, last word as a prefix")]
Window = Annotated[DateWindow, Depends(date_window)]


@router.get("", response_model=EntityPage)
def search_entities(graph: GraphDep, settings: SettingsDep, q: SearchText, type: EntityTypeFilter = None,
                    limit: Limit = 20, cursor: Cursor = None) -> EntityPage:
    """Entities whose name or an alias matches `q` (full-text index `entity_names`, accent- and case-insensitive:
    "societe generale" finds "Société Générale"), best match first."""
    size = page_size(limit, settings)
    offset = decode_offset("entities", cursor)
    found, more = reader.search_page(graph, q, type.value if type else None, size, offset)
    return EntityPage(items=[entity_hit(e) for e in found],
                      next_cursor=encode_offset("entities", offset + size) if more else None)


@router.get("/{entity_id}", response_model=EntityDetailOut, responses=problem_responses(404))
def get_entity(graph: GraphDep, entity_id: EntityId) -> EntityDetailOut:
    """One entity: canonical name, type, kind, aliases, Wikidata id, and how many facts of each predicate it has
    as subject and as object."""
    detail = reader.get_entity(graph, entity_id)
    if detail is None:
        raise no_entity(entity_id)
    return entity_detail_out(detail)


@router.get("/{entity_id}/timeline", response_model=TimelinePage, responses=problem_responses(404))
def get_timeline(graph: GraphDep, settings: SettingsDep, entity_id: EntityId, window: Window,
                 predicates: PredicateList = None, limit: Limit = 50, cursor: Cursor = None) -> TimelinePage:
    """Facts where the entity is subject or object, in date order. A fact without its own date is placed at its
    earliest evidence's publication day (`placedBy: evidence_published`); facts with neither come last."""
    entity = reader.get_entity_summary(graph, entity_id)
    if entity is None:
        raise no_entity(entity_id)
    size = page_size(limit, settings)
    scope = f"timeline:{entity_id}"
    wanted = [p.value for p in predicates] if predicates else None
    page = reader.timeline(graph, entity_id, window.start, window.end, wanted, size, decode_key(scope, cursor))
    return TimelinePage.model_validate({"entity": entity, "items": page.items,
                                        "next_cursor": encode_key(scope, page.next_key)})
