from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from api.deps import GraphDep, ReadAccess, SettingsDep
from api.pagination import decode_key, encode_key
from api.problems import ApiProblem, problem_responses
from api.routers.common import (
    AsOf,
    Cursor,
    DateWindow,
    FactSortOrder,
    Limit,
    MinSources,
    PredicateFilter,
    date_window,
    page_size,
    require_entity,
)
from api.schemas import FactOut, FactPage, fact_out
from kg.store import reader

router = APIRouter(prefix="/facts", tags=["facts"], dependencies=[ReadAccess],
                   responses=problem_responses(400, 401, 403, 422, 503))

EntityIdQuery = Annotated[str | None, Query(min_length=1, max_length=300, examples=["person:igor-babuschkin"],
                                            description="An entity id (`type:name`), not a name; find it with "
                                                        "GET /v1/entities?q=")]


@router.get("", response_model=FactPage, responses=problem_responses(404))
def find_facts(graph: GraphDep, settings: SettingsDep, window: Annotated[DateWindow, Depends(date_window)],
               predicate: PredicateFilter = None, subject: EntityIdQuery = None, object: EntityIdQuery = None,
               limit: Limit = 50, cursor: Cursor = None, as_of: AsOf = None, min_sources: MinSources = None,
               sort: FactSortOrder = "date",
               include_rejected: Annotated[bool, Query(description="Also the facts a curator rejected (`curation: "
                                                             "rejected`), in date order; not with `min_sources` or "
                                                             "`sort=sources`")] = False) -> FactPage:
    """Facts by predicate, subject id, object id, date window and number of independent sources, in date order
    (or most sources first with `sort=sources`), each with all its evidence. An unknown subject or object id is a
    404 saying so (a name given instead of an id, too). With `as_of`: events up to that date, states that may hold
    then. Rejected facts are left out unless `include_rejected=true`."""
    for parameter, entity_id in (("subject", subject), ("object", object)):
        if entity_id is not None:
            require_entity(graph, entity_id, f"`{parameter}`")
    size = page_size(limit, settings)
    if include_rejected and (min_sources is not None or sort != "date"):
        raise ApiProblem(422, "invalid-combination", "`include_rejected=true` lists rejected facts in date order "
                         "and they have no independent sources: drop `min_sources` and `sort=sources`, or "
                         "`include_rejected`.")
    scope = f"facts:{as_of or ''}" + ("" if sort == "date" else f":{sort}") + (":rejected" if include_rejected else "")
    page = reader.find_facts(graph, predicate.value if predicate else None, subject, object, window.start,
                             window.end, size, decode_key(scope, cursor), as_of,
                             reader.FactSelection(min_sources, sort, include_rejected))
    return FactPage.model_validate({"items": page.items, "next_cursor": encode_key(scope, page.next_key)})


@router.get("/{fact_id}", response_model=FactOut, responses=problem_responses(404))
def get_fact(graph: GraphDep,
             fact_id: Annotated[str, Path(min_length=1, max_length=100, examples=["3f2a9c0d1e4b5a6f7c8d"],
                                          description="The fact's id")]) -> FactOut:
    """One fact with every piece of evidence for it (article title, url, publication date, sentence)."""
    fact = reader.get_fact(graph, fact_id)
    if fact is None and reader.is_rejected(graph, fact_id):
        raise ApiProblem(404, "fact-rejected", f"Fact {fact_id!r} was rejected by a curator: GET /v1/facts?"
                         "include_rejected=true lists it; GET /v1/curation/log?fact= says who, when and why.")
    if fact is None:
        raise ApiProblem(404, "fact-not-found", f"No fact has the id {fact_id!r}: list facts with GET /v1/facts or "
                         "an entity's timeline.")
    return fact_out(fact)
