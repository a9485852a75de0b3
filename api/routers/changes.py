"""The change feed: facts added, updated and removed, in commit order, after a cursor (GET /v1/changes), or pushed
as Server-Sent Events (GET /v1/changes/stream). Read access as the other read endpoints. docs/changes.md."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Header, Query, Request
from sse_starlette import EventSourceResponse, ServerSentEvent

from api.change_schemas import ChangePageOut, change_out, page_out, position_of
from api.deps import GraphDep, ReadAccess, SettingsDep
from api.problems import ApiProblem, problem_responses
from api.routers.common import Limit, page_size
from kg.store.change_feed import ChangePage, FeedPositionGone, read_changes
from kg.store.connection import GraphConnection

POLL_SECONDS = 1.0  # how often an open stream looks for new changes once it is up to date
PING_SECONDS = 15  # keep-alive comment sent on an idle stream (proxies close silent connections)
STREAM_BATCH = 200  # changes read per query by a stream that catches up

router = APIRouter(prefix="/changes", tags=["changes"], dependencies=[ReadAccess],
                   responses=problem_responses(400, 401, 403, 410, 422, 503))

Since = Annotated[str | None, Query(max_length=32, examples=["1042"],
                                    description="The cursor after which to list changes: `next` of the previous "
                                                "page or an event id of the stream; left out, the oldest change kept")]
LastEventId = Annotated[str | None, Header(alias="Last-Event-ID", max_length=32,
                                           description="Sent by a reconnecting EventSource: the id of the last event "
                                                       "it received (wins over `since`)")]
STREAM_EVENTS = ("A `text/event-stream`: one `change` event per change (its `id` is the cursor after it, its `data` "
                 "a FactChangeOut as JSON), keep-alive comments while idle, and a final `gone` event if the position "
                 "leaves the retained window")
STREAM_DOC: dict[int | str, dict[str, Any]] = {
    200: {"description": STREAM_EVENTS,
          "content": {"text/event-stream": {"schema": {"type": "string", "description": "Server-Sent Events"}}}}}


def _read(graph: GraphConnection, since: int | None, limit: int) -> ChangePage:
    """read_changes with a position that left the feed answered as 410 Gone."""
    try:
        return read_changes(graph, since, limit)
    except FeedPositionGone as exc:
        raise ApiProblem(410, "cursor-gone", str(exc)) from exc


@router.get("", response_model=ChangePageOut)
def list_changes(graph: GraphDep, settings: SettingsDep, since: Since = None, limit: Limit = 100) -> ChangePageOut:
    """Facts added, updated (new evidence, new qualifiers, dates, validity periods) and removed, in commit order,
    after the cursor `since`. Apply each to a copy keyed by fact id, then ask again with `next`. A cursor older
    than the changes the graph keeps (`KG_CHANGES_RETENTION_DAYS`) answers 410: copy the graph again."""
    return page_out(_read(graph, position_of(since), page_size(limit, settings)))


async def _events(request: Request, graph: GraphConnection, first: ChangePage) -> AsyncIterator[ServerSentEvent]:
    """The changes of `first`, then every later one as it is committed, until the client goes away."""
    page = first
    while not await request.is_disconnected():
        for change in page.changes:
            out = change_out(change)
            yield ServerSentEvent(data=out.model_dump_json(by_alias=True), id=out.cursor, event="change")
        if not page.changes:
            await anyio.sleep(POLL_SECONDS)
        try:
            page = await anyio.to_thread.run_sync(read_changes, graph, page.position, STREAM_BATCH)
        except FeedPositionGone as exc:
            yield ServerSentEvent(data=str(exc), event="gone")
            return


@router.get("/stream", response_class=EventSourceResponse, response_model=None, responses=STREAM_DOC)
def stream_changes(request: Request, graph: GraphDep, since: Since = None,
                   last_event_id: LastEventId = None) -> EventSourceResponse:
    """The same changes as GET /v1/changes, pushed as Server-Sent Events as they are committed: each event's id is
    the cursor after it, so an EventSource that reconnects resumes where it stopped (`Last-Event-ID`). A cursor
    that left the feed answers 410 before the stream starts."""
    first = _read(graph, position_of(last_event_id or since), STREAM_BATCH)
    return EventSourceResponse(_events(request, graph, first), ping=PING_SECONDS)
