"""Issue 12 (API write path): `POST /v1/articles` goes through the ingestion service `kg ingest` uses
(`ingest.ingestion.ingest_articles`: the same extraction and writer), reads back the stored facts of a whole
request in one query (not one per fact), and answers 422 with nothing written when the extractor fails."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import ApiSettings
from kg.store import GraphConnection, connect, reader
from kg.store.connection import GraphConnection as Connection

API_KEY = "write-path-key-31c9"
HEADERS = {"X-API-Key": API_KEY}
ARTICLES = [
    {"id": "wp-1", "lang": "en", "published": "2023-04-14", "title": "Hires",
     "text": "Igor Babuschkin left DeepMind to join xAI in March 2023. Microsoft acquired Nuance in March 2022."},
    {"id": "wp-2", "lang": "en", "published": "2023-03-29", "title": "The pause letter",
     "text": "Elon Musk signed an open letter calling for a pause on giant AI experiments in March 2023. "
             "Google acquired DeepMind in 2014."},
]


@pytest.fixture
def client(graph: GraphConnection, neo4j_target) -> Iterator[TestClient]:  # noqa: ARG001 - graph empties the db
    app = create_app(ApiSettings(key=API_KEY), connection_factory=lambda: connect(neo4j_target.settings()))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_articles_read_back_their_facts_in_one_query(client, monkeypatch):
    calls: list[str] = []
    real_run = Connection.run

    def counting_run(self: Any, query: str, *args: Any, **kwargs: Any) -> Any:
        calls.append(query)
        return real_run(self, query, *args, **kwargs)

    monkeypatch.setattr(Connection, "run", counting_run)
    monkeypatch.setattr(reader, "get_fact", lambda *_: pytest.fail("one query per fact"))
    response = client.post("/v1/articles", json=ARTICLES, headers=HEADERS)
    assert response.status_code == 200, response.text[:500]
    body = response.json()
    facts = [f for a in body["articles"] for f in a["facts"]]
    assert len(facts) >= 3 and body["factsWritten"] >= 3
    assert {a["status"] for a in body["articles"]} == {"written"}
    assert all(f["evidence"] for f in facts)
    queries = [q for q in calls if not q.lstrip().startswith(("CREATE CONSTRAINT", "CREATE INDEX", "CREATE FULLTEXT",
                                                                 "SHOW "))]  # the writer's schema check
    reads = [q for q in queries if "UNWIND $ids AS id" in q]
    assert len(reads) == 1 and len(queries) <= 2, queries  # the facts of the whole request in one read
    again = client.post("/v1/articles", json=ARTICLES, headers=HEADERS).json()
    assert {a["status"] for a in again["articles"]} == {"unchanged"} and again["factsWritten"] == 0
    assert [len(a["facts"]) for a in again["articles"]] == [len(a["facts"]) for a in body["articles"]]


def test_extractor_failure_is_422_and_writes_nothing(client, graph, monkeypatch):
    import ingest.batch
    from ingest import extractor

    real = extractor.extract

    def failing(article: Any) -> Any:
        if article.id == "wp-2":
            raise RuntimeError("boom")
        return real(article)

    monkeypatch.setattr(ingest.batch, "_extractor", lambda: (failing, None))
    response = client.post("/v1/articles", json=ARTICLES, headers=HEADERS)
    assert response.status_code == 422 and response.headers["content-type"].startswith("application/problem+json")
    assert "wp-2" in response.json()["detail"] and "nothing was written" in response.json()["detail"]
    assert graph.run("MATCH (a:Article) RETURN count(a) AS n")[0]["n"] == 0


def test_lone_surrogates_in_an_article_are_422(client, graph):
    for field in ("text", "title", "url"):
        article = {**ARTICLES[0], field: ARTICLES[0][field] + "\ud800" if field != "url" else "https://x.org/\udfff"}
        raw = json.dumps(article)  # escapes the lone surrogate as \ud800, which JSON allows and UTF-8 does not
        response = client.post("/v1/articles", content=raw, headers={**HEADERS, "content-type": "application/json"})
        assert 400 <= response.status_code < 500, (field, response.status_code, response.text[:300])
    assert graph.run("MATCH (a:Article) RETURN count(a) AS n")[0]["n"] == 0
