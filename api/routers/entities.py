from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from api.deps import GraphDep, ReadAccess, SettingsDep
from api.pagination import decode_key, decode_offset, encode_key, encode_offset
from api.problems import ApiProblem, problem_responses
from api.routers.common import (
    AsOf,
    Cursor,
    DateWindow,
    EntityTypeFilter,
    FactSortOrder,
    Limit,
    MinSources,
    PredicateList,
    date_window,
    no_entity,
    page_size,
)
from api.schemas import (
    EntityDetailOut,
    EntityPage,
    EntityStateOut,
    TimelinePage,
    entity_detail_out,
    entity_hit,
    state_out,
)
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
def get_entity(graph: GraphDep, entity_id: EntityId, as_of: AsOf = None) -> EntityDetailOut:
    """One entity: canonical name, type, kind, aliases, Wikidata id, how many facts of each predicate it has as
    subject and as object, and the entities merged into it (`merged`). With `as_of`, also `state`: what held for it
    then (as GET .../state). An id merged into another is a 404 naming the entity it went into."""
    detail = reader.get_entity(graph, entity_id)
    if detail is None:
        raise merged_away(graph, entity_id) or no_entity(entity_id)
    out = entity_detail_out(detail)
    if as_of is None:
        return out
    return out.model_copy(update={"state": state_out(detail.entity, as_of,
                                                      reader.entity_state(graph, entity_id, as_of)).states})


@router.get("/{entity_id}/state", response_model=EntityStateOut, responses=problem_responses(404))
def get_state(graph: GraphDep, entity_id: EntityId, as_of: AsOf = None) -> EntityStateOut:
    """What held for the entity at `as_of` (every period when absent): employer and role, owner, owned companies,
    parent and subsidiaries, each with its validity interval derived from dated events and the evidence of its
    bounds. A period counts when it may overlap the date (bounds taken at their precision)."""
    entity = reader.get_entity_summary(graph, entity_id)
    if entity is None:
        raise no_entity(entity_id)
    return state_out(entity, as_of, reader.entity_state(graph, entity_id, as_of))


@router.get("/{entity_id}/timeline", response_model=TimelinePage, responses=problem_responses(404))
def get_timeline(graph: GraphDep, settings: SettingsDep, entity_id: EntityId, window: Window,
                 predicates: PredicateList = None, limit: Limit = 50, cursor: Cursor = None,
                 as_of: AsOf = None, min_sources: MinSources = None,
                 sort: FactSortOrder = "date") -> TimelinePage:
    """Facts where the entity is subject or object, in date order (or most independent sources first with
    `sort=sources`). A fact without its own date is placed at its earliest evidence's publication day (`placedBy:
    evidence_published`); facts with neither come last. With `as_of`: events up to that date, states that may hold
    then; with `min_sources`: only facts that many independent sources support."""
    entity = reader.get_entity_summary(graph, entity_id)
    if entity is None:
        raise no_entity(entity_id)
    size = page_size(limit, settings)
    scope = f"timeline:{entity_id}:{as_of or ''}" + ("" if sort == "date" else f":{sort}")
    wanted = [p.value for p in predicates] if predicates else None
    page = reader.timeline(graph, entity_id, window.start, window.end, wanted, size, decode_key(scope, cursor), as_of,
                           reader.FactSelection(min_sources, sort))
    return TimelinePage.model_validate({"entity": entity, "items": page.items,
                                        "next_cursor": encode_key(scope, page.next_key)})


def merged_away(graph: GraphDep, entity_id: str) -> ApiProblem | None:
    """The 404 for an id merged into another entity (None for any other id)."""
    target = reader.merged_away_into(graph, entity_id)
    if target is None:
        return None
    return ApiProblem(404, "entity-merged", f"Entity {entity_id!r} was merged into {target!r}: read "
                      f"GET /v1/entities/{target}, or undo the merge with POST /v1/curation/split.")
