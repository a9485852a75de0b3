from __future__ import annotations

from fastapi import APIRouter

from api.cypher_values import to_json
from api.deps import GraphDep, ReadAccess, SettingsDep
from api.problems import ApiProblem, problem_responses
from api.schemas import CypherRequest, CypherResponse
from kg.store.cypher_guard import run_read_only

router = APIRouter(tags=["cypher"], dependencies=[ReadAccess], responses=problem_responses(400, 401, 403, 422, 503))


@router.post("/cypher", response_model=CypherResponse)
def cypher(graph: GraphDep, settings: SettingsDep, body: CypherRequest) -> CypherResponse:
    """Run a read-only Cypher query. Refused (400, `unsafe-query`): anything that writes or changes the schema,
    LOAD CSV, procedures outside db.labels / db.relationshipTypes / db.propertyKeys / db.index.fulltext.* /
    db.schema.*, several statements, admin commands. Runs in a read transaction with a timeout
    (KG_API_CYPHER_TIMEOUT) and returns at most KG_API_CYPHER_ROW_CAP rows."""
    if not settings.cypher_enabled:
        raise ApiProblem(403, "cypher-disabled", "This server has the Cypher endpoint turned off: set "
                         "KG_API_CYPHER_ENABLED=true to turn it on.")
    result = run_read_only(graph, body.query, body.parameters, settings.cypher_timeout, settings.cypher_row_cap)
    rows = [[to_json(v) for v in row] for row in result.rows]
    return CypherResponse(columns=result.columns, rows=rows, row_count=len(rows), truncated=result.truncated)
