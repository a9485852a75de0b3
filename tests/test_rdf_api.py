"""`GET /v1/export`: streams N-Triples for a small graph, answers pages and entities in any syntax, and refuses an
unscoped export of a large graph with a problem that says how to page and how to make a full dump."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rdflib import RDF, Graph, URIRef
from test_rdf_sparql import ACME, FACTS, _write

import api.routers.export as export_router
from api.app import create_app
from api.settings import ApiSettings
from kg.store import GraphConnection, connect
from kg.vocabulary import TG

API_KEY = "test-key-0123456789"


@pytest.fixture
def client(graph: GraphConnection, neo4j_target) -> Iterator[TestClient]:
    _write(graph)
    app = create_app(ApiSettings(key=API_KEY), connection_factory=lambda: connect(neo4j_target.settings()))
    with TestClient(app, headers={"X-API-Key": API_KEY}) as c:
        yield c


def facts_in(text: str, fmt: str) -> set[URIRef]:
    return {URIRef(str(f)) for f in Graph().parse(data=text, format=fmt).subjects(RDF.type, TG.Fact)}


def test_a_small_graph_streams_and_a_large_one_needs_a_scope(client: TestClient,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    whole = client.get("/v1/export", params={"format": "ntriples"})
    assert whole.status_code == 200, whole.text
    assert whole.headers["content-type"].startswith("application/n-triples")
    assert len(facts_in(whole.text, "nt")) == len(FACTS)
    assert "/home/reporter" not in whole.text  # local paths never leave through the API
    without_text = client.get("/v1/export", params={"format": "ntriples", "articleText": "false"})
    assert "ontology#text>" in whole.text and "ontology#text>" not in without_text.text

    monkeypatch.setattr(export_router, "MAX_UNSCOPED_FACTS", 5)  # the graph is now "large"
    refused = client.get("/v1/export", params={"format": "ntriples"})
    assert refused.status_code == 413 and refused.json()["type"].endswith("/export-too-large")
    detail = refused.json()["detail"]
    assert f"{len(FACTS)} facts" in detail and "offset=0&limit=" in detail and "kg export --format ntriples" in detail
    pages = [client.get("/v1/export", params={"format": "turtle", "offset": offset, "limit": 5})
             for offset in range(0, len(FACTS), 5)]
    assert all(p.status_code == 200 for p in pages)
    seen = [facts_in(p.text, "turtle") for p in pages]
    assert sum(len(s) for s in seen) == len(FACTS) == len(set().union(*seen))
    one = client.get("/v1/export", params={"format": "jsonld", "entity": ACME.id})
    assert one.status_code == 200 and facts_in(one.text, "json-ld")
    too_big = client.get("/v1/export", params={"limit": export_router.MAX_PAGE_FACTS + 1})
    assert too_big.status_code == 422

    monkeypatch.setattr(export_router, "MAX_ENTITY_FACTS", 2)  # Acme is now a hub
    hub = client.get("/v1/export", params={"entity": ACME.id})
    assert hub.status_code == 413 and "kg export --format ntriples" in hub.json()["detail"]
