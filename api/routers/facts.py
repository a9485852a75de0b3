from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import GraphDep, ReadAccess, SettingsDep
from api.pagination import decode_key, encode_key
from api.problems import ApiProblem, problem_responses
from api.routers.common import PREDICATE_PATTERN, Cursor, DateFrom, DateTo, Limit, page_size
from api.schemas import FactOut, FactPage, fact_out
from kg.store import reader

router = APIRouter(prefix="/facts", tags=["facts"], dependencies=[ReadAccess],
                   responses=problem_responses(400, 401, 403, 422, 503))

EntityIdQuery = Annotated[str | None, Query(min_length=1, max_length=300, examples=["person:igor-babuschkin"])]


@router.get("", response_model=FactPage)
def find_facts(graph: GraphDep, settings: SettingsDep,
               predicate: Annotated[str | None, Query(pattern=PREDICATE_PATTERN, examples=["HIRED_FROM"])] = None,
               subject: EntityIdQuery = None, object: EntityIdQuery = None, date_from: DateFrom = None,
               date_to: DateTo = None, limit: Limit = 50, cursor: Cursor = None) -> FactPage:
    """Facts by predicate, subject id, object id and date window, in date order, each with all its evidence."""
    size = page_size(limit, settings)
    page = reader.find_facts(graph, predicate, subject, object, date_from, date_to, size,
                             decode_key("facts", cursor))
    return FactPage(items=[fact_out(f) for f in page.items], next_cursor=encode_key("facts", page.next_key))


@router.get("/{fact_id}", response_model=FactOut, responses=problem_responses(404))
def get_fact(graph: GraphDep,
             fact_id: Annotated[str, Path(min_length=1, max_length=100, examples=["3f2a9c0d1e4b5a6f7c8d"])]) -> FactOut:
    """One fact with every piece of evidence for it (article title, url, publication date, sentence)."""
    fact = reader.get_fact(graph, fact_id)
    if fact is None:
        raise ApiProblem(404, "fact-not-found", f"No fact has the id {fact_id!r}: list facts with GET /v1/facts or "
                         "an entity's timeline.")
    return fact_out(fact)
