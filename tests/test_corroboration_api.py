"""Corroboration through the API on a real Neo4j: `sourceCount` and `languages` on facts, the `min_sources` filter
and `sort=sources` on the facts list, the timeline and the neighbourhood."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from test_dedup_writes import ACME, CLAIM, GAMMA, OTHER_STORY, STORY, acquisition, article, lightly_edited

from api.app import create_app
from api.settings import ApiSettings
from kg.model import ArticleExtraction, Entity, Evidence, Fact, Qualifiers
from kg.store import GraphConnection, GraphWriter, connect

DELTA = Entity.named("Delta Sensors", "Organization", kind="company")
PARTNERSHIP = "Acme Robotics partnered with Delta Sensors on factory cameras."


@pytest.fixture
def client(neo4j_target) -> Iterator[TestClient]:
    app = create_app(ApiSettings(), connection_factory=lambda: connect(neo4j_target.settings()))
    with TestClient(app) as c:
        yield c


def partnership(article_id: str) -> ArticleExtraction:
    art = article(article_id, f"{PARTNERSHIP} {OTHER_STORY}", source="Small Wire")
    start = art.text.index(PARTNERSHIP)
    fact = Fact(ACME, "PARTNERED_WITH", DELTA, Qualifiers(),
                [Evidence(art.id, PARTNERSHIP, start, start + len(PARTNERSHIP), "test-rule", 0.8)])
    return ArticleExtraction(art, facts=[fact])


@pytest.fixture
def corroborated(graph: GraphConnection) -> None:
    """ACQUIRED: a wire story, two copies and an independent French article (2 sources); PARTNERED_WITH: one
    article (1 source)."""
    writer = GraphWriter(graph, "test-1")
    writer.write(acquisition(article("wire-1", STORY, source="AFP")))
    writer.write(acquisition(article("copy-1", STORY, source="Le Progrès")))
    writer.write(acquisition(article("copy-2", lightly_edited(STORY), url="https://dailywire.example/a")))
    writer.write(acquisition(article("own-1", OTHER_STORY, source="Le Dauphiné", lang="fr")))
    writer.write(partnership("p-1"))


def predicates(items: list[dict]) -> list[str]:
    return [f["predicate"] for f in items]


@pytest.mark.usefixtures("corroborated")
def test_facts_carry_their_sources_and_languages(client: TestClient) -> None:
    items = client.get("/v1/facts", params={"predicate": "ACQUIRED"}).json()["items"]
    assert len(items) == 1
    fact = items[0]
    assert (fact["sourceCount"], fact["languages"], fact["evidenceCount"]) == (2, ["en", "fr"], 4)
    assert fact["firstPublished"] == "2024-05-14"
    assert client.get(f"/v1/facts/{fact['id']}").json()["sourceCount"] == 2
    assert CLAIM in {e["sentence"] for e in fact["evidence"]}


@pytest.mark.usefixtures("corroborated")
def test_min_sources_filters_the_facts_list(client: TestClient) -> None:
    assert sorted(predicates(client.get("/v1/facts").json()["items"])) == ["ACQUIRED", "PARTNERED_WITH"]
    assert predicates(client.get("/v1/facts", params={"min_sources": 2}).json()["items"]) == ["ACQUIRED"]
    assert client.get("/v1/facts", params={"min_sources": 3}).json()["items"] == []
    assert client.get("/v1/facts", params={"min_sources": 0}).status_code == 422


@pytest.mark.usefixtures("corroborated")
def test_sort_by_sources_puts_the_best_corroborated_first_and_pages(client: TestClient) -> None:
    first = client.get("/v1/facts", params={"sort": "sources", "limit": 1}).json()
    assert predicates(first["items"]) == ["ACQUIRED"]
    second = client.get("/v1/facts", params={"sort": "sources", "limit": 1, "cursor": first["nextCursor"]}).json()
    assert predicates(second["items"]) == ["PARTNERED_WITH"] and second["nextCursor"] is None
    assert client.get("/v1/facts", params={"sort": "popularity"}).status_code == 422


@pytest.mark.usefixtures("corroborated")
def test_timeline_and_neighbourhood_take_min_sources(client: TestClient) -> None:
    timeline = client.get(f"/v1/entities/{ACME.id}/timeline", params={"min_sources": 2}).json()
    assert [e["fact"]["predicate"] for e in timeline["items"]] == ["ACQUIRED"]
    ranked = client.get(f"/v1/entities/{ACME.id}/timeline", params={"sort": "sources"}).json()
    assert [e["fact"]["sourceCount"] for e in ranked["items"]] == [2, 1]
    graph = client.get(f"/v1/graph/neighborhood/{ACME.id}", params={"min_sources": 2}).json()
    assert {n["id"] for n in graph["nodes"]} == {ACME.id, GAMMA.id}
    assert [e["sourceCount"] for e in graph["edges"]] == [2]
    everything = client.get(f"/v1/graph/neighborhood/{ACME.id}").json()
    assert {n["id"] for n in everything["nodes"]} == {ACME.id, GAMMA.id, DELTA.id}


def test_openapi_documents_the_new_parameters(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    facts = {p["name"] for p in spec["paths"]["/v1/facts"]["get"]["parameters"]}
    assert {"min_sources", "sort"} <= facts
    fact_schema = spec["components"]["schemas"]["FactOut"]["properties"]
    assert {"sourceCount", "languages", "firstPublished"} <= set(fact_schema)
