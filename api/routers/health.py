from __future__ import annotations

from fastapi import APIRouter
from neo4j.exceptions import Neo4jError, ServiceUnavailable

from api.deps import GraphDep

router = APIRouter(tags=["health"])


@router.get("/health")
def health(graph: GraphDep) -> dict:
    """Whether Neo4j answers, and which version it is."""
    try:
        graph.driver.verify_connectivity()
        return {"status": "ok", "neo4j": {"connected": True, "version": graph.server_version(), "uri": graph.uri}}
    except (ServiceUnavailable, Neo4jError, OSError) as exc:
        return {"status": "degraded", "neo4j": {"connected": False, "error": str(exc)}}
