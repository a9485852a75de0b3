"""GET /v1/articles/{id}: the explorer's reader view reads an article's stored text through the API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_graphs import write_sample
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import ApiSettings
from kg.store import GraphConnection, connect


@pytest.fixture
def client(graph: GraphConnection, neo4j_target) -> Iterator[TestClient]:
    del graph  # asked for so that each test starts on an empty graph
    app = create_app(ApiSettings(), connection_factory=lambda: connect(neo4j_target.settings()))
    with TestClient(app) as c:
        yield c


def test_an_article_is_read_with_its_text_and_evidence_offsets_index_into_it(client, graph):
    sample = write_sample(graph)
    body = client.get("/v1/articles/api-test-a1").json()
    assert body["title"] == "xAI hires from DeepMind" and body["url"] == "https://example.org/news/a1"
    assert body["published"].startswith("2023-04-14") and body["lang"] == "en"
    assert body["evidenceCount"] == 3
    evidence = client.get(f"/v1/facts/{sample.hired.id}").json()["evidence"][0]
    assert body["text"][evidence["start"]:evidence["end"]] == evidence["sentence"]


def test_an_unknown_article_is_a_404_problem(client):
    response = client.get("/v1/articles/no-such-article")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "no-such-article" in response.json()["detail"]
