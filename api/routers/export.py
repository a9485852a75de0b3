from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.deps import GraphDep, ReadAccess
from api.problems import problem_responses
from api.routers.common import require_entity
from kg.rdf import export_graph

router = APIRouter(tags=["export"], dependencies=[ReadAccess], responses=problem_responses(401, 403, 422, 503))

MEDIA_TYPES = {"turtle": "text/turtle", "jsonld": "application/ld+json", "ntriples": "application/n-triples"}
SUFFIXES = {"turtle": "ttl", "jsonld": "jsonld", "ntriples": "nt"}
RdfSyntax = Annotated[Literal["turtle", "jsonld", "ntriples"], Query(description="RDF syntax")]


@router.get("/export", response_class=Response,
            responses={200: {"description": "The graph (or one entity's facts) as RDF",
                             "content": {"text/turtle": {"schema": {"type": "string"}},
                                         "application/ld+json": {"schema": {"type": "object"}},
                                         "application/n-triples": {"schema": {"type": "string"}}}},
                       **problem_responses(404)})
def export(graph: GraphDep, format: RdfSyntax = "turtle",
           entity: Annotated[str | None, Query(min_length=1, max_length=300,
                                               description="Only this entity's facts")] = None) -> Response:
    """The graph as RDF in the project's ontology (Turtle, JSON-LD or N-Triples)."""
    if entity is not None:
        require_entity(graph, entity, "`entity`")
    body = export_graph(graph, format, entity_id=entity)
    return Response(body, media_type=MEDIA_TYPES[format],
                    headers={"Content-Disposition": f'inline; filename="techgraph.{SUFFIXES[format]}"'})
