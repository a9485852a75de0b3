"""`GET /v1/export`: the graph as RDF. One entity or one page of facts in any syntax; the whole graph only while it
is small (streamed as N-Triples, or built in memory for Turtle and JSON-LD). A full dump of a large graph is
`kg export --format ntriples`, which streams at constant memory."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response, StreamingResponse

from api.deps import GraphDep, ReadAccess
from api.problems import ApiProblem, problem_responses
from api.routers.common import require_entity
from kg.rdf.export import (
    MAX_PAGE_FACTS,
    ExportOptions,
    count_facts,
    export_graph,
    export_page,
    media_type,
    stream_ntriples,
)

router = APIRouter(tags=["export"], dependencies=[ReadAccess], responses=problem_responses(401, 403, 422, 503))

SUFFIXES = {"turtle": "ttl", "jsonld": "jsonld", "ntriples": "nt"}
MAX_UNSCOPED_FACTS = MAX_PAGE_FACTS  # above this, an export names an entity or a page
MAX_ENTITY_FACTS = 5 * MAX_PAGE_FACTS  # a hub entity's export is built in memory too: above this, page or dump
RdfSyntax = Annotated[Literal["turtle", "jsonld", "ntriples"], Query(description="RDF syntax")]
FULL_DUMP = "`kg export --format ntriples --output graph.nt` streams a full dump at constant memory"


def _too_large(facts: int) -> ApiProblem:
    return ApiProblem(413, "export-too-large",
                      f"The graph has {facts:,} facts, more than the {MAX_UNSCOPED_FACTS:,} an export without a scope "
                      f"answers: ask for one entity (entity=ID) or a page of facts (offset=0&limit={MAX_PAGE_FACTS}, "
                      f"then the next offsets); {FULL_DUMP}.")


@router.get("/export", response_class=Response,
            responses={200: {"description": "The graph, one entity's facts or one page of facts as RDF",
                             "content": {"text/turtle": {"schema": {"type": "string"}},
                                         "application/ld+json": {"schema": {"type": "object"}},
                                         "application/n-triples": {"schema": {"type": "string"}}}},
                       **problem_responses(404, 413)})
def export(graph: GraphDep, format: RdfSyntax = "turtle",
           entity: Annotated[str | None, Query(min_length=1, max_length=300,
                                               description="Only this entity's facts")] = None,
           offset: Annotated[int, Query(ge=0, description="First fact of the page (facts in id order)")] = 0,
           limit: Annotated[int | None, Query(ge=1, le=MAX_PAGE_FACTS,
                                              description="Facts in the page; a page is required for a large graph")
                            ] = None,
           article_text: Annotated[bool, Query(alias="articleText",
                                               description="Include the full text of articles")] = True,
           ) -> Response:
    """The graph as RDF in the project's ontology (Turtle, JSON-LD or N-Triples). Facts that are not asserted
    (reported, planned, denied, cancelled) are reified `tg:Fact` nodes only, never plain triples; local file paths
    are never exported."""
    options = ExportOptions(article_text=article_text)
    headers = {"Content-Disposition": f'inline; filename="techgraph.{SUFFIXES[format]}"'}
    if entity is not None:
        require_entity(graph, entity, "`entity`")
        facts = count_facts(graph, entity)
        if facts > MAX_ENTITY_FACTS:
            raise ApiProblem(413, "export-too-large",
                             f"Entity {entity!r} has {facts:,} facts, more than the {MAX_ENTITY_FACTS:,} an entity "
                             f"export answers: page through the graph (offset=&limit=) or {FULL_DUMP}.")
        body = export_graph(graph, format, entity_id=entity, options=options)
    elif limit is not None:
        body = export_page(graph, format, offset, limit, options)
    else:
        facts = count_facts(graph)
        if facts > MAX_UNSCOPED_FACTS:
            raise _too_large(facts)
        if format == "ntriples":
            return StreamingResponse(stream_ntriples(graph, options), media_type=media_type(format), headers=headers)
        body = export_graph(graph, format, options=options)
    return Response(body, media_type=media_type(format), headers=headers)
