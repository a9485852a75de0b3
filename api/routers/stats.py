from __future__ import annotations

from fastapi import APIRouter

from api.deps import GraphDep, ReadAccess
from api.problems import problem_responses
from api.schemas import StatsOut, stats_out
from kg.store import reader

router = APIRouter(tags=["stats"], dependencies=[ReadAccess], responses=problem_responses(401, 403, 503))


@router.get("/stats", response_model=StatsOut)
def stats(graph: GraphDep) -> StatsOut:
    """How many entities, articles, pieces of evidence and facts the graph holds, by type, predicate and language."""
    return stats_out(reader.stats(graph))
