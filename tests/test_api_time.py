"""As-of reads, entity state and retraction through the API, on the hand-made timeline (real Neo4j)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from test_api import API_KEY, assert_problem, make_client
from time_graphs import ACME, ADA, write_timeline

from kg.store import GraphConnection


@pytest.fixture
def client(graph: GraphConnection, neo4j_target) -> Iterator[TestClient]:
    write_timeline(graph)
    with make_client(neo4j_target, key=API_KEY) as c:
        yield c


def states(body: dict) -> set[tuple[str, str]]:
    return {(s["state"], s["counterpart"]["name"]) for s in body["states"]}


def test_state_as_of(client: TestClient) -> None:
    at = lambda entity, date: client.get(f"/v1/entities/{entity.id}/state", params={"as_of": date})  # noqa: E731
    assert states(at(ADA, "2016").json()) == {("WORKS_FOR", "DeepMind")}
    body = at(ADA, "2019-06").json()
    assert states(body) == {("WORKS_FOR", "OpenAI")}
    [period] = body["states"]
    assert (period["validFrom"], period["validTo"], period["jobRole"]) == ("2018-03", "2021-05", "engineer")
    assert {e["articleId"] for e in period["evidence"]} == {"t-2018", "t-2021"}
    assert states(at(ACME, "2020").json()) == {("OWNS", "Omega"), ("SUBSIDIARY_OF", "Omega")}
    history = client.get(f"/v1/entities/{ADA.id}/state").json()
    assert len(history["states"]) == 3 and history["asOf"] is None
    detail = client.get(f"/v1/entities/{ADA.id}", params={"as_of": "2022"}).json()
    assert [(s["state"], s["counterpart"]["name"]) for s in detail["state"]] == [("WORKS_FOR", "DeepMind")]
    assert_problem(at(ADA, "2019-13"), 422, "invalid-date")


def test_timeline_facts_and_neighbourhood_as_of(client: TestClient) -> None:
    items = client.get(f"/v1/entities/{ADA.id}/timeline", params={"as_of": "2018-02"}).json()["items"]
    assert [(i["fact"]["predicate"], i["counterpart"]["name"]) for i in items] == [("JOINED", "DeepMind"),
                                                                                  ("LEFT", "DeepMind")]
    facts = client.get("/v1/facts", params={"predicate": "ACQUIRED", "as_of": "2013"}).json()["items"]
    assert [f["object"]["name"] for f in facts] == ["Acme"]
    graph = client.get(f"/v1/graph/neighborhood/{ADA.id}", params={"as_of": "2019"}).json()
    assert {n["name"] for n in graph["nodes"]} == {"Ada Lovelace", "DeepMind", "OpenAI"}
    assert len(client.get(f"/v1/graph/neighborhood/{ADA.id}").json()["edges"]) == 5


def test_delete_article_needs_the_key_and_is_idempotent(client: TestClient) -> None:
    assert_problem(client.delete("/v1/articles/t-2021"), 401, "api-key-missing")
    headers = {"X-API-Key": API_KEY}
    first = client.delete("/v1/articles/t-2021", headers=headers).json()
    assert (first["articlesRemoved"], first["factsRemoved"]) == (1, 2)
    second = client.delete("/v1/articles/t-2021", headers=headers).json()
    assert (second["articlesRemoved"], second["factsRemoved"]) == (0, 0)
    assert states(client.get(f"/v1/entities/{ADA.id}/state", params={"as_of": "2022"}).json()) == {
        ("WORKS_FOR", "OpenAI")}
