"""The change feed through the API on a real Neo4j: GET /v1/changes pages in commit order with a cursor that
survives a restart of the API, 410 after a prune, and GET /v1/changes/stream pushes the same as Server-Sent Events
and resumes from Last-Event-ID."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from api_server import serve
from fastapi.testclient import TestClient
from test_changes import STEPS, FactCopy, article, graph_facts

from api.app import create_app
from api.routers import changes as changes_router
from api.settings import ApiSettings
from kg.store import GraphConnection, GraphWriter, connect
from kg.store.change_feed import prune_changes

API_KEY = "test-key-0123456789"


def make_client(neo4j_target: Any) -> TestClient:
    return TestClient(create_app(ApiSettings(key=API_KEY), connection_factory=lambda: connect(neo4j_target.settings())))


@pytest.fixture
def client(graph: GraphConnection, neo4j_target: Any) -> Iterator[TestClient]:  # noqa: ARG001 (an empty graph)
    with make_client(neo4j_target) as c:
        yield c


def apply(copy: FactCopy, changes: list[dict[str, Any]]) -> None:
    for change in changes:
        if change["kind"] == "removed":
            copy.pop(change["factId"], None)
        else:
            copy[change["factId"]] = (change["predicate"], change["subjectId"], change["objectId"],
                                      change["properties"])


def follow(client: TestClient, copy: FactCopy, cursor: str | None, limit: int = 4) -> str | None:
    """Read pages until up to date, applying each; returns the cursor to continue from."""
    while True:
        params = {"limit": limit} | ({"since": cursor} if cursor is not None else {})
        response = client.get("/v1/changes", params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        apply(copy, page["changes"])
        if not page["changes"]:
            return cursor
        cursor = page["next"]
        assert cursor == page["changes"][-1]["cursor"]


def test_a_follower_of_the_api_rebuilds_the_fact_set(client: TestClient, graph: GraphConnection) -> None:
    copy: FactCopy = {}
    cursor = follow(client, copy, None)
    GraphWriter(graph, extractor_version="v1").write_all([article(a) for a in STEPS])
    cursor = follow(client, copy, cursor)
    GraphWriter(graph, extractor_version="v1").write(article("joined", edit=0))
    cursor = follow(client, copy, cursor)
    assert client.delete("/v1/articles/dated", headers={"X-API-Key": API_KEY}).status_code == 200
    cursor = follow(client, copy, cursor)
    assert copy == graph_facts(graph) and copy


def test_the_cursor_survives_a_restart_of_the_api(graph: GraphConnection, neo4j_target: Any) -> None:
    writer = GraphWriter(graph)
    writer.write(article("works"))
    with make_client(neo4j_target) as first:
        page = first.get("/v1/changes").json()
    assert [c["kind"] for c in page["changes"]] == ["added"]
    writer.write(article("joined"))  # while no API runs
    with make_client(neo4j_target) as second:  # a new app instance on the same graph
        later = second.get("/v1/changes", params={"since": page["next"]}).json()
    # one transaction's changes come in fact id order; the WORKS_FOR fact gets a validity period
    assert sorted(c["predicate"] for c in later["changes"]) == ["JOINED", "LEFT", "WORKS_FOR"]
    assert int(later["changes"][0]["cursor"]) == int(page["next"]) + 1


def test_old_and_invalid_cursors_are_refused(client: TestClient, graph: GraphConnection) -> None:
    GraphWriter(graph).write(article("works"))
    start = client.get("/v1/changes").json()
    prune_changes(graph, dt.timedelta(0))
    gone = client.get("/v1/changes", params={"since": "0"})
    assert gone.status_code == 410 and gone.json()["type"].endswith("/cursor-gone")
    assert "copy the graph again" in gone.json()["detail"]
    assert client.get("/v1/changes/stream", params={"since": "0"}).status_code == 410
    assert client.get("/v1/changes", params={"since": start["next"]}).json()["changes"] == []
    bad = client.get("/v1/changes", params={"since": "abc"})
    assert bad.status_code == 400 and bad.json()["type"].endswith("/invalid-cursor")


class EventReader:
    """Server-Sent Events from a streaming response: (id, event, data) per event; comments (keep-alives) skipped."""

    def __init__(self, response: httpx.Response) -> None:
        self.lines = response.iter_lines()

    def next(self) -> tuple[str | None, str | None, str]:
        fields: dict[str, str] = {}
        for line in self.lines:
            if not line:
                if fields:
                    return fields.get("id"), fields.get("event"), fields.get("data", "")
                continue
            if line.startswith(":"):
                continue
            name, _, value = line.partition(":")
            fields[name] = value.removeprefix(" ")
        raise AssertionError("the stream ended")


@pytest.mark.slow
def test_the_stream_pushes_changes_in_order_and_resumes_from_last_event_id(
        graph: GraphConnection, neo4j_target: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    writer = GraphWriter(graph)
    writer.write(article("works"))
    app = create_app(ApiSettings(), connection_factory=lambda: connect(neo4j_target.settings()))
    with serve(app) as base, httpx.Client(base_url=base, timeout=30) as http:
        with http.stream("GET", "/v1/changes/stream") as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            events = EventReader(response)
            first = events.next()
            threading.Thread(target=writer.write, args=(article("joined"),)).start()  # committed while streaming
            pushed = [first] + [events.next() for _ in range(3)]
        assert [event for _, event, _ in pushed] == ["change"] * 4
        ids = [int(event_id or 0) for event_id, _, _ in pushed]
        assert ids == list(range(ids[0], ids[0] + 4))
        assert [json.loads(data)["cursor"] for _, _, data in pushed] == [str(i) for i in ids]
        writer.write(article("undated"))  # while no client listens
        with http.stream("GET", "/v1/changes/stream", params={"since": "0"},
                         headers={"Last-Event-ID": str(ids[1])}) as response:
            events = EventReader(response)
            resumed = [events.next() for _ in range(3)]
        assert [int(event_id or 0) for event_id, _, _ in resumed] == [ids[2], ids[3], ids[3] + 1]
        assert json.loads(resumed[-1][2])["predicate"] == "JOINED"
        monkeypatch.setattr(changes_router, "PING_SECONDS", 1)
        with http.stream("GET", "/v1/changes/stream", headers={"Last-Event-ID": str(ids[3] + 1)}) as response:
            # up to date, the stream stays open and sends keep-alive comments
            assert any(line.startswith(":") for line in itertools.islice(response.iter_lines(), 10))
