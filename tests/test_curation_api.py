"""The curation API (`/v1/curation/...`) and what reads show of curation, against a real Neo4j."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import ApiSettings
from kg.model import fact_id_for
from kg.store import GraphConnection, GraphWriter, connect
from tests.test_curation import APPLE, APPLE_TV, GIANT, GIANT_CO, IBM, MICROSOFT, extractions

API_KEY = "curation-key-7d2e"
HEADERS = {"X-API-Key": API_KEY, "X-Curator": "alice"}


@pytest.fixture
def client(graph: GraphConnection, neo4j_target) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    GraphWriter(graph, "v1").write_batch(extractions())
    app = create_app(ApiSettings(key=API_KEY), connection_factory=lambda: connect(neo4j_target.settings()))
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


def test_merge_is_listed_on_the_entity_and_split_undoes_it(client: TestClient) -> None:
    response = client.post("/v1/curation/merge", headers=HEADERS,
                           json={"into": GIANT_CO.id, "merge": GIANT.id, "why": "same company"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["entry"]["action"] == "merge" and body["entry"]["by"] == "alice" and body["factsRemoved"]
    entity = client.get(f"/v1/entities/{GIANT_CO.id}").json()
    assert [(m["id"], m["by"], m["rule"], m["why"]) for m in entity["merged"]] == [
        (GIANT.id, "alice", "curator", "same company")]
    gone = client.get(f"/v1/entities/{GIANT.id}")
    assert gone.status_code == 404 and GIANT_CO.id in gone.json()["detail"]
    hits = client.get("/v1/entities", params={"q": "giant"}).json()["items"]
    assert [h["id"] for h in hits] == [GIANT_CO.id]
    split = client.post("/v1/curation/split", headers=HEADERS,
                        json={"entity": GIANT_CO.id, "merged": GIANT.id, "why": "two companies"})
    assert split.status_code == 200 and split.json()["entry"]["action"] == "split"
    assert client.get(f"/v1/entities/{GIANT.id}").status_code == 200
    assert client.get(f"/v1/entities/{GIANT_CO.id}").json()["merged"] == []


def test_problems_404_409_422_and_the_key(client: TestClient) -> None:
    body = {"into": GIANT_CO.id, "merge": GIANT.id, "why": "same"}
    assert client.post("/v1/curation/merge", json=body).status_code == 401
    assert client.post("/v1/curation/merge", json=body, headers={"X-API-Key": "wrong"}).status_code == 403
    itself = client.post("/v1/curation/merge", headers=HEADERS, json={**body, "merge": GIANT_CO.id})
    assert itself.status_code == 409 and itself.headers["content-type"].startswith("application/problem+json")
    unknown = client.post("/v1/curation/merge", headers=HEADERS, json={**body, "merge": "organization:nope"})
    assert unknown.status_code == 404
    assert client.post("/v1/curation/merge", headers=HEADERS, json={**body, "why": ""}).status_code == 422
    assert client.post("/v1/curation/split", headers=HEADERS,
                       json={"entity": GIANT_CO.id, "merged": GIANT.id, "why": "x"}).status_code == 404
    retype = client.post("/v1/curation/retype", headers=HEADERS,
                         json={"entity": GIANT.id, "type": "Product", "why": "partnered with IBM: no"})
    assert retype.status_code == 409 and "PARTNERED_WITH" in retype.json()["detail"]
    assert client.post("/v1/curation/retype", headers=HEADERS,
                       json={"entity": GIANT.id, "type": "Planet", "why": "x"}).status_code == 422
    assert client.post("/v1/curation/wikidata", headers=HEADERS,
                       json={"entity": GIANT.id, "wikidataId": "P31", "why": "x"}).status_code == 422
    assert client.post("/v1/curation/facts/nope/reject", headers=HEADERS, json={"why": "x"}).status_code == 404


def test_reject_hides_a_fact_and_confirm_marks_one(client: TestClient) -> None:
    owns = fact_id_for(APPLE.id, "OWNS", APPLE_TV.id)
    partner = fact_id_for(GIANT.id, "PARTNERED_WITH", IBM.id)
    assert client.post(f"/v1/curation/facts/{owns}/reject", headers=HEADERS, json={"why": "wrong"}).status_code == 200
    assert client.post(f"/v1/curation/facts/{partner}/confirm", headers=HEADERS,
                       json={"why": "checked"}).status_code == 200
    assert client.get("/v1/facts", params={"subject": APPLE.id}).json()["items"] == []
    shown = client.get("/v1/facts", params={"subject": APPLE.id, "include_rejected": "true"}).json()["items"]
    assert [(f["id"], f["curation"]) for f in shown] == [(owns, "rejected")]
    assert client.get(f"/v1/facts/{partner}").json()["curation"] == "confirmed"
    rejected = client.get(f"/v1/facts/{owns}")
    assert rejected.status_code == 404 and "rejected by a curator" in rejected.json()["detail"]
    timeline = client.get(f"/v1/entities/{APPLE_TV.id}/timeline").json()["items"]
    assert timeline == []
    again = client.post(f"/v1/curation/facts/{owns}/confirm", headers=HEADERS, json={"why": "x"})
    assert again.status_code == 409
    turtle = client.get("/v1/export", params={"format": "turtle", "entity": GIANT.id})
    assert turtle.status_code == 200 and 'tg:curation "confirmed"' in turtle.text


def test_entity_actions_and_the_log_pages(client: TestClient) -> None:
    for path, body in (("rename", {"name": "Giant Company Software Inc."}), ("alias", {"alias": "GCS"}),
                       ("wikidata", {"wikidataId": "Q1234"})):
        response = client.post(f"/v1/curation/{path}", headers=HEADERS, json={"entity": GIANT_CO.id, "why": path,
                                                                              **body})
        assert response.status_code == 200, response.text
    entity = client.get(f"/v1/entities/{GIANT_CO.id}").json()
    assert entity["name"] == "Giant Company Software Inc." and "GCS" in entity["aliases"]
    assert entity["wikidataId"] == "Q1234"
    first = client.get("/v1/curation/log", params={"entity": GIANT_CO.id, "limit": 2}, headers=HEADERS).json()
    assert [e["action"] for e in first["items"]] == ["wikidata", "alias"] and first["nextCursor"]
    rest = client.get("/v1/curation/log", params={"entity": GIANT_CO.id, "limit": 2, "cursor": first["nextCursor"]},
                      headers=HEADERS).json()
    assert [e["action"] for e in rest["items"]] == ["rename"] and rest["nextCursor"] is None
    assert all(e["by"] == "alice" for e in first["items"] + rest["items"])
    assert client.get("/v1/curation/log", params={"entity": MICROSOFT.id}, headers=HEADERS).json()["items"] == []
    assert client.get("/v1/curation/log").status_code == 200  # a read, like the graph it describes
