"""The MCP server: read-only tools over the graph, and the ontology and graph model as resources.

Each tool's docstring is the one-line description an agent sees; its typed parameters are the JSON schema. Every
answer is bounded (`bridge.MAX_TOOL_BYTES`); an error is a tool error with the API's own sentence.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from mcp.server import MCPServer
from pydantic import Field

from api.mcp.bridge import ApiBridge, bounded
from kg.terms import EntityTypeName, PredicateName
from kg.vocabulary import vocabulary

GRAPH_MODEL_DOC = Path(__file__).resolve().parents[2] / "docs" / "graph-model.md"
INSTRUCTIONS = """Typed, dated, sourced facts about the tech industry drawn from news (English, French).
Find an entity's id with search_entities first; then entity_timeline, neighbourhood, find_facts or
fact_evidence. run_cypher takes read-only Cypher (the techgraph://graph-model resource describes the graph).
Everything is read-only; lists are paged with `cursor` (pass the previous answer's nextCursor)."""

EntityId = Annotated[str, Field(min_length=1, max_length=300, description="An entity id, e.g. organization:deepmind "
                                                                           "(find it with search_entities)")]
Date = Annotated[str | None, Field(description="YYYY, YYYY-MM or YYYY-MM-DD", examples=["2023", "2023-03"])]
Limit = Annotated[int, Field(ge=1, le=200, description="How many items at most")]
Cursor = Annotated[str | None, Field(description="The nextCursor of the previous page, to read the next one")]
Predicates = Annotated[list[PredicateName] | None,
                       Field(description="Predicates to keep, e.g. [\"HIRED_FROM\", \"JOINED\"]")]
NARROW_LIST = "Ask for fewer items (limit) or page with cursor."


def _segment(value: str) -> str:
    """An id as one path segment: nothing in it can reach another route."""
    return quote(value, safe=":")


def _ontology() -> dict[str, Any]:
    vocab = vocabulary()
    return {
        "entity_types": {name: sorted(spec.kinds) for name, spec in vocab.entity_types.items()},
        "predicates": {name: {"subject": sorted(p.subject_types), "object": sorted(p.object_types),
                              "symmetric": p.symmetric, "meaning": p.definitions.get("en", "")}
                       for name, p in vocab.predicates.items()},
        "qualifiers": {name: sorted(q.allowed) if q.allowed else (q.pattern or "free value")
                       for name, q in vocab.qualifiers.items()},
    }


def build_server(bridge: ApiBridge) -> MCPServer:
    """The MCP server whose tools call the API through `bridge` (entered by whoever runs the server)."""
    server: MCPServer = MCPServer("techgraph", instructions=INSTRUCTIONS, version="1.0.0")
    _add_entity_tools(server, bridge)
    _add_fact_tools(server, bridge)
    _add_resources(server)
    return server


def _add_entity_tools(server: MCPServer, bridge: ApiBridge) -> None:
    @server.tool()
    async def search_entities(query: Annotated[str, Field(min_length=1, max_length=200)],
                              type: EntityTypeName | None = None, limit: Limit = 10) -> dict[str, Any]:
        """Find entities (people, organizations, products, documents) by name or alias; returns their ids."""
        page = await bridge.get("/v1/entities", {"q": query, "type": type, "limit": limit})
        return bounded(page, "items", NARROW_LIST)

    @server.tool()
    async def get_entity(entity_id: EntityId) -> dict[str, Any]:
        """One entity: name, type, aliases, Wikidata id and how many facts of each predicate it has."""
        return await bridge.get(f"/v1/entities/{_segment(entity_id)}")

    @server.tool()
    async def entity_timeline(entity_id: EntityId, date_from: Date = None, date_to: Date = None,
                              predicates: Predicates = None, limit: Limit = 20,
                              cursor: Cursor = None) -> dict[str, Any]:
        """An entity's facts in date order (as subject or object), each with its evidence sentences."""
        params = {"from": date_from, "to": date_to, "limit": limit, "cursor": cursor,
                  "predicates": ",".join(predicates) if predicates else None}
        page = await bridge.get(f"/v1/entities/{_segment(entity_id)}/timeline", params)
        return bounded(page, "items", NARROW_LIST + " Or filter by predicates or dates.")

    @server.tool()
    async def neighbourhood(entity_id: EntityId,
                            depth: Annotated[int, Field(ge=1, le=3, description="Hops from the entity")] = 1,
                            limit: Annotated[int, Field(ge=1, le=200, description="Most entities")] = 25,
                            ) -> dict[str, Any]:
        """The entities around one entity and the facts that link them (nodes and edges)."""
        graph = await bridge.get(f"/v1/graph/neighborhood/{_segment(entity_id)}", {"depth": depth, "limit": limit})
        return bounded(graph, "edges", "Ask for a smaller depth or limit.")


def _add_fact_tools(server: MCPServer, bridge: ApiBridge) -> None:
    @server.tool()
    async def find_facts(predicate: PredicateName | None = None,
                         subject_id: Annotated[str | None, Field(description="Entity id of the subject")] = None,
                         object_id: Annotated[str | None, Field(description="Entity id of the object")] = None,
                         date_from: Date = None, date_to: Date = None, limit: Limit = 20,
                         cursor: Cursor = None) -> dict[str, Any]:
        """Facts by predicate, subject id, object id and date window, in date order, with their evidence."""
        params = {"predicate": predicate, "subject": subject_id, "object": object_id, "from": date_from,
                  "to": date_to, "limit": limit, "cursor": cursor}
        return bounded(await bridge.get("/v1/facts", params), "items", NARROW_LIST)

    @server.tool()
    async def fact_evidence(fact_id: Annotated[str, Field(min_length=1, max_length=100)]) -> dict[str, Any]:
        """One fact with every piece of evidence: article title, url, publication date, sentence."""
        return bounded(await bridge.get(f"/v1/facts/{_segment(fact_id)}"), "evidence", "The fact has more evidence.")

    @server.tool()
    async def find_paths(from_id: EntityId, to_id: EntityId,
                         max_depth: Annotated[int, Field(ge=1, le=6)] = 4,
                         limit: Annotated[int, Field(ge=1, le=50)] = 5) -> dict[str, Any]:
        """The shortest chains of facts linking two entities."""
        graph = await bridge.get("/v1/graph/paths", {"from": from_id, "to": to_id, "max_depth": max_depth,
                                                     "limit": limit})
        return bounded(graph, "edges", "Ask for fewer paths (limit) or a smaller max_depth.")

    @server.tool()
    async def run_cypher(query: Annotated[str, Field(min_length=1, max_length=20_000)],
                         parameters: dict[str, Any] | None = None) -> dict[str, Any]:
        """Run one read-only Cypher query (writes, admin and unlisted procedures are refused); capped rows."""
        answer = await bridge.post("/v1/cypher", {"query": query, "parameters": parameters or {}})
        return bounded(answer, "rows", "Add LIMIT or return fewer columns.")


def _add_resources(server: MCPServer) -> None:
    @server.resource("techgraph://ontology", mime_type="application/json")
    def ontology() -> str:
        """Entity types and kinds, the 14 predicates with their subject and object types, the qualifiers."""
        return json.dumps(_ontology(), ensure_ascii=False, indent=1)

    @server.resource("techgraph://graph-model", mime_type="text/markdown")
    def graph_model() -> str:
        """How the graph is laid out in Neo4j: labels, relationship types, properties (for run_cypher)."""
        return GRAPH_MODEL_DOC.read_text(encoding="utf-8")
