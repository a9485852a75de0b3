from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.deps import GraphDep, ReadAccess, SettingsDep
from api.problems import problem_responses
from api.routers.common import AsOf, MinSources, no_entity, require_entity
from api.schemas import GraphOut, graph_out
from api.settings import ApiSettings
from kg.store import reader
from kg.store.read_cypher import MAX_PATH_DEPTH

MAX_DEPTH = 3  # rings of a neighbourhood
GRAPH_MAX_NODES: int = ApiSettings.model_fields["graph_max_nodes"].default  # KG_API_GRAPH_MAX_NODES may lower it
MAX_PATHS = 50

router = APIRouter(prefix="/graph", tags=["graph"], dependencies=[ReadAccess],
                   responses=problem_responses(400, 401, 403, 422, 503))

@router.get("/neighborhood/{entity_id}", response_model=GraphOut, responses=problem_responses(404))
def neighborhood(graph: GraphDep, settings: SettingsDep,
                 entity_id: Annotated[str, Path(min_length=1, max_length=300, examples=["organization:deepmind"],
                                                description="The centre's entity id (`type:name`)")],
                 depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="Hops from the entity")] = 1,
                 limit: Annotated[int, Query(ge=1, le=GRAPH_MAX_NODES,
                                             description="Most entities besides the centre")] = 100,
                 as_of: AsOf = None, min_sources: MinSources = None) -> GraphOut:
    """The entity, the entities within `depth` facts of it (nearest and best-connected first, at most `limit`),
    and the facts among them, as `{nodes, edges}` for a graph view. With `as_of`: only events up to that date and
    states that may hold then; with `min_sources`: only facts that many independent sources support."""
    sub = reader.neighbourhood(graph, entity_id, depth, min(limit, settings.graph_max_nodes), as_of=as_of,
                               min_sources=min_sources)
    if sub is None:
        raise no_entity(entity_id)
    return graph_out(sub)


@router.get("/paths", response_model=GraphOut, responses=problem_responses(404))
def paths(graph: GraphDep,
          from_id: Annotated[str, Query(alias="from", min_length=1, max_length=300, examples=["person:elon-musk"],
                                        description="Entity id where the paths start")],
          to_id: Annotated[str, Query(alias="to", min_length=1, max_length=300, examples=["organization:alphabet"],
                                      description="Entity id where the paths end")],
          max_depth: Annotated[int, Query(ge=1, le=MAX_PATH_DEPTH, description="Longest chain of facts to consider")]
          = 4,
          limit: Annotated[int, Query(ge=1, le=MAX_PATHS, description="Most paths")] = 10) -> GraphOut:
    """Every shortest chain of facts between two entities (either direction), as `{nodes, edges, paths}`;
    empty when none is within `max_depth`."""
    require_entity(graph, from_id, "`from`")
    require_entity(graph, to_id, "`to`")
    return graph_out(reader.shortest_paths(graph, from_id, to_id, max_depth, limit))
