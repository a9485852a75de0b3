from __future__ import annotations

import threading
from functools import partial
from typing import Literal

import anyio
import anyio.to_thread
from fastapi import APIRouter, Request, Response
from pydantic import Field

from api.cypher_values import CUT_MARKER, rows_to_json
from api.deps import GraphDep, ReadAccess, SettingsDep
from api.problems import ApiProblem, problem_responses
from api.schemas import ApiModel, CypherRequest, CypherResponse
from api.settings import ApiSettings
from kg.settings import Neo4jSettings
from kg.store.connection import GraphConnection, connect
from kg.store.cypher_guard import run_read_only

router = APIRouter(tags=["cypher"], dependencies=[ReadAccess],
                   responses=problem_responses(400, 401, 403, 422, 429, 503))

_SLOTS_LOCK = threading.Lock()
SLOT_WAIT_SECONDS = 2.0  # how long a query waits for a free slot before the 503


class CypherWarning(ApiModel):
    """A notification Neo4j gave about the query."""

    title: str = Field(description="What Neo4j noticed", examples=["label does not exist"])
    description: str = Field(description="Neo4j's explanation", examples=[
        "warn: label does not exist. The label `Persn` does not exist. Verify that the spelling is correct."])
    line: int | None = Field(default=None, description="Line of the query it is about (1-based)")
    column: int | None = Field(default=None, description="Column of the query it is about (1-based)")


class CypherResult(CypherResponse):
    """The rows of a read-only query, and what stopped the reading if something did."""

    truncated_reason: Literal["rows", "bytes"] | None = Field(
        default=None, description="Why reading stopped: the row cap (KG_API_CYPHER_ROW_CAP) or the byte cap "
                                  "(KG_API_CYPHER_MAX_BYTES); null when the whole result is here")
    values_cut: int = Field(default=0, description=f"Values nested too deep, replaced by {CUT_MARKER!r}")
    warnings: list[CypherWarning] = Field(default_factory=list, description="Neo4j's notifications about the "
                                          "query: unknown labels or properties, cartesian products…")


def _slots(request: Request, settings: ApiSettings) -> anyio.CapacityLimiter:
    """The app's Cypher slots: at most `cypher_max_concurrent` queries run at once, so slow queries cannot take
    every worker thread. A query waiting for a slot waits on the event loop, not in a thread."""
    state = request.app.state
    with _SLOTS_LOCK:
        slots: anyio.CapacityLimiter | None = getattr(state, "cypher_slots", None)
        if slots is None:
            slots = anyio.CapacityLimiter(max(1, settings.cypher_max_concurrent))
            state.cypher_slots = slots
    return slots


@router.post("/cypher", response_model=CypherResult)
async def cypher(request: Request, graph: GraphDep, settings: SettingsDep, body: CypherRequest) -> Response:
    """Run a read-only Cypher query. Refused (400, `unsafe-query`): anything that writes or changes the schema,
    SHOW and TERMINATE commands, query options (CYPHER, EXPLAIN, PROFILE), LOAD CSV, procedures outside
    db.labels / db.relationshipTypes / db.propertyKeys / db.index.fulltext.* / db.schema.*, several statements,
    \\u escapes, queries over 5,000 characters or nesting brackets over 32 deep. Runs in a read transaction with a
    timeout (KG_API_CYPHER_TIMEOUT, planning included) and returns at most KG_API_CYPHER_ROW_CAP rows and about
    KG_API_CYPHER_MAX_BYTES bytes (`truncated` says when reading stopped). At most KG_API_CYPHER_MAX_CONCURRENT
    queries run at once; a query that finds no free slot within 2 s gets 503 with Retry-After."""
    if not settings.cypher_enabled:
        raise ApiProblem(403, "cypher-disabled", "This server has the Cypher endpoint turned off: set "
                         "KG_API_CYPHER_ENABLED=true to turn it on.")
    slots = _slots(request, settings)
    with anyio.move_on_after(SLOT_WAIT_SECONDS) as waiting:
        await slots.acquire()
    if waiting.cancelled_caught:
        raise ApiProblem(503, "cypher-busy", f"{settings.cypher_max_concurrent} Cypher queries are already running "
                         "on this server: retry in a few seconds.", headers={"Retry-After": "2"})
    try:
        # In a worker thread, answer included: reading, converting and serialising megabytes of rows must not
        # hold the event loop (other requests wait on it). Not abandoned on cancel: the slot is released only
        # when the thread has finished with Neo4j.
        content = await anyio.to_thread.run_sync(partial(_answer, request, graph, settings, body))
    finally:
        slots.release()
    return Response(content, media_type="application/json")


def _reader(request: Request, graph: GraphConnection, settings: ApiSettings) -> GraphConnection:
    """The connection users' queries run on: the API's own, or, when KG_API_CYPHER_NEO4J_USER is set, one as that
    user (on Enterprise or Aura, a user with a reader role: the server then refuses what the guard might miss)."""
    if not settings.cypher_neo4j_user:
        return graph
    state = request.app.state
    with _SLOTS_LOCK:
        reader: GraphConnection | None = getattr(state, "cypher_graph", None)
        if reader is None:
            secret = settings.cypher_neo4j_password
            reader = connect(Neo4jSettings(uri=graph.uri, user=settings.cypher_neo4j_user, database=graph.database,
                                           password=secret.get_secret_value() if secret else None))
            state.cypher_graph = reader
    return reader


def _answer(request: Request, graph: GraphConnection, settings: ApiSettings, body: CypherRequest) -> bytes:
    result = run_read_only(_reader(request, graph, settings), body.query, body.parameters, settings.cypher_timeout,
                           settings.cypher_row_cap, max_bytes=settings.cypher_max_bytes)
    rows, cut = rows_to_json(result.rows)
    warnings = [CypherWarning(title=w.title, description=w.description, line=w.line, column=w.column)
                for w in result.warnings]
    answer = CypherResult(columns=result.columns, rows=rows, row_count=len(rows), truncated=result.truncated,
                          truncated_reason=result.truncated_reason,
                          values_cut=cut, warnings=warnings)
    return answer.model_dump_json(by_alias=True).encode()
