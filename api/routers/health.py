from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import GraphDep
from api.schemas import HealthOut, Neo4jHealth
from kg.errors import KgError

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthOut,
            responses={503: {"model": HealthOut, "description": "Neo4j does not answer"}})
def health(graph: GraphDep) -> HealthOut | JSONResponse:
    """Whether Neo4j answers, and which version it is (503 with `status: degraded` when it does not)."""
    try:
        graph.ping()
        return HealthOut(status="ok", neo4j=Neo4jHealth(connected=True, version=graph.server_version()))
    except KgError as exc:
        body = HealthOut(status="degraded", neo4j=Neo4jHealth(
            connected=False, error=f"Neo4j does not answer ({exc.__class__.__name__}): check `kg neo4j status` "
                                   "or NEO4J_URI."))
        return JSONResponse(body.model_dump(by_alias=True), status_code=503)
