"""The query API against a real Neo4j: search, entities, timelines, facts, graph, stats, articles, errors."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from api_graphs import Sample, write_sample, write_star
from fastapi.testclient import TestClient
from neo4j import GraphDatabase

from api.app import create_app
from api.settings import ApiSettings
from kg.model import Article
from kg.neo4j_local.server import free_port
from kg.store import GraphConnection, GraphWriter, connect, reader

API_KEY = "test-key-0123456789"
PROBLEM = "application/problem+json"


def make_client(neo4j_target, **settings) -> TestClient:
    app = create_app(ApiSettings(**settings), connection_factory=lambda: connect(neo4j_target.settings()))
    return TestClient(app)


@pytest.fixture
def client(graph: GraphConnection, neo4j_target) -> Iterator[TestClient]:  # noqa: ARG001 - graph: start empty
    with make_client(neo4j_target, key=API_KEY) as c:
        yield c


@pytest.fixture
def sample(graph: GraphConnection) -> Sample:
    return write_sample(graph)


def assert_problem(response, status: int, slug: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"].endswith(".")
    if slug:
        assert body["type"].endswith("/" + slug), body
    return body


# ------------------------------------------------------------------------------------------------ search
@pytest.mark.usefixtures("sample")
def test_search_is_case_and_accent_insensitive(client):
    names = lambda q: [e["name"] for e in client.get("/v1/entities", params={"q": q}).json()["items"]]  # noqa: E731
    assert names("deepmind")[0] == "DeepMind"
    assert names("DEEPMIND")[0] == "DeepMind"
    assert names("societe generale") == ["Société Générale"]
    assert names("Société Générale") == ["Société Générale"]
    assert names("SOCIETE") == ["Société Générale"]
    assert names("socgen") == ["Société Générale"]  # an alias
    assert names("deepm") == ["DeepMind"]  # the last word as a prefix
    assert names("nothing like this") == []


def test_search_result_shape_type_filter_and_cursor(client, sample):
    body = client.get("/v1/entities", params={"q": "deepmind"}).json()
    item = body["items"][0]
    assert item["id"] == sample.deepmind.id and item["type"] == "Organization" and item["kind"] == "research_lab"
    assert item["wikidataId"] == "Q15733006" and "Google DeepMind" in item["aliases"] and item["score"] > 0
    assert client.get("/v1/entities", params={"q": "deepmind", "type": "Person"}).json()["items"] == []

    # the word "Person" is in every name of the star: page through them two at a time
    write_star(client.app.state.graph, "Hub Corp", 5)
    seen, cursor = [], None
    for _ in range(10):
        page = client.get("/v1/entities", params={"q": "person number", "limit": 2, "cursor": cursor}).json()
        seen += [e["id"] for e in page["items"]]
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert len(seen) == 5 == len(set(seen))


@pytest.mark.usefixtures("sample")
def test_search_pages_by_score_then_name_with_and_without_a_type(client):
    """Every hit exactly once across pages, best score first, equal scores by name (the page is chosen on score
    and name before the hits' other properties are read; the type is checked on the labels)."""
    write_star(client.app.state.graph, "Person Number Corp", 30)
    for type_name, expected in ((None, 31), ("Person", 30), ("Organization", 1)):
        items, cursor = [], None
        while True:
            page = client.get("/v1/entities", params={"q": "person numb", "limit": 7, "cursor": cursor,
                                                      **({"type": type_name} if type_name else {})}).json()
            items += page["items"]
            cursor = page["nextCursor"]
            if cursor is None:
                break
        assert len(items) == expected == len({e["id"] for e in items})
        assert all(type_name in (None, e["type"]) for e in items)
        keys = [(-e["score"], e["name"], e["id"]) for e in items]
        assert keys == sorted(keys)
    assert [e["name"] for e in client.get("/v1/entities", params={"q": "person numb", "type": "Person",
                                                                     "limit": 3}).json()["items"]] == [
        "Person Number 000", "Person Number 001", "Person Number 002"]
    assert client.get("/v1/entities", params={"q": "person numb", "type": "Document"}).json()["items"] == []


@pytest.mark.usefixtures("sample")
def test_root_entities_search_and_health_still_answer(client):
    assert client.get("/entities", params={"q": "deepmind"}).json()["items"][0]["name"] == "DeepMind"
    for path in ("/health", "/v1/health"):
        body = client.get(path).json()
        assert body["status"] == "ok" and body["neo4j"]["connected"] is True
        assert body["neo4j"]["version"].startswith("5.")
    assert client.get("/", follow_redirects=False).headers["location"] == "/explore"


# ------------------------------------------------------------------------------------------------ entities
def test_entity_detail_counts_facts_by_predicate(client, sample):
    body = client.get(f"/v1/entities/{sample.deepmind.id}").json()
    assert body["name"] == "DeepMind" and body["type"] == "Organization" and body["wikidataId"] == "Q15733006"
    counts = {c["predicate"]: (c["asSubject"], c["asObject"]) for c in body["factCounts"]}
    assert counts == {"HIRED_FROM": (0, 1), "INVESTED_IN": (0, 1), "SUBSIDIARY_OF": (1, 0)}
    assert body["factTotal"] == 3


@pytest.mark.usefixtures("sample")
def test_unknown_entity_is_a_problem_404(client):
    body = assert_problem(client.get("/v1/entities/organization:nope"), 404, "entity-not-found")
    assert "organization:nope" in body["detail"] and body["instance"] == "/v1/entities/organization:nope"
    assert_problem(client.get("/v1/entities/organization:nope/timeline"), 404)
    assert_problem(client.get("/v1/graph/neighborhood/organization:nope"), 404)


# ------------------------------------------------------------------------------------------------ timeline
def test_timeline_in_date_order_with_undated_facts_placed_by_publication(client, sample):
    body = client.get(f"/v1/entities/{sample.deepmind.id}/timeline").json()
    assert body["entity"]["name"] == "DeepMind"
    rows = [(i["fact"]["predicate"], i["fact"]["placedAt"], i["fact"]["placedBy"], i["role"], i["counterpart"]["name"])
            for i in body["items"]]
    assert rows == [
        ("INVESTED_IN", "2021", "fact_date", "object", "Société Générale"),
        ("HIRED_FROM", "2023-03", "fact_date", "object", "Igor Babuschkin"),
        ("SUBSIDIARY_OF", "2023-04-14", "evidence_published", "subject", "Alphabet"),
    ]
    invested = body["items"][0]["fact"]
    assert invested["datePrecision"] == "year" and invested["modality"] == "reported"
    assert invested["qualifiers"]["amount"] == 10_000_000 and invested["qualifiers"]["currency"] == "EUR"
    evidence = invested["evidence"][0]
    assert evidence["articleTitle"] == "SocGen et DeepMind" and evidence["articleUrl"] == "https://example.org/news/a2"
    assert evidence["published"] == "2022-11-02" and evidence["sentence"].startswith("Société Générale aurait")
    subsidiary = body["items"][2]["fact"]
    assert subsidiary["date"] is None and subsidiary["evidenceCount"] == 2
    assert [e["published"] for e in subsidiary["evidence"]] == ["2023-04-14", "2024-01-05"]


def test_timeline_filters_and_cursor(client, sample):
    url = f"/v1/entities/{sample.deepmind.id}/timeline"
    preds = lambda **p: [i["fact"]["predicate"] for i in client.get(url, params=p).json()["items"]]  # noqa: E731
    assert preds(**{"from": "2023"}) == ["HIRED_FROM", "SUBSIDIARY_OF"]
    assert preds(**{"from": "2023-04"}) == ["SUBSIDIARY_OF"]
    assert preds(to="2022") == ["INVESTED_IN"]
    assert preds(**{"from": "2021-06", "to": "2023-03-31"}) == ["INVESTED_IN", "HIRED_FROM"]  # 2021 overlaps 2021-06
    assert preds(predicates="HIRED_FROM,SUBSIDIARY_OF") == ["HIRED_FROM", "SUBSIDIARY_OF"]

    walked, cursor = [], None
    while True:
        page = client.get(url, params={"limit": 1, **({"cursor": cursor} if cursor else {})}).json()
        walked += [i["fact"]["predicate"] for i in page["items"]]
        cursor = page["nextCursor"]
        if not cursor:
            break
    assert walked == ["INVESTED_IN", "HIRED_FROM", "SUBSIDIARY_OF"]

    assert_problem(client.get(url, params={"cursor": "garbage"}), 400, "invalid-cursor")
    other = client.get(f"/v1/entities/{sample.xai.id}/timeline", params={"limit": 1}).json()
    assert other["nextCursor"] is None
    first = client.get(url, params={"limit": 1}).json()["nextCursor"]
    assert_problem(client.get(f"/v1/entities/{sample.xai.id}/timeline", params={"cursor": first}), 400)
    assert_problem(client.get(url, params={"predicates": "NOT_A_PREDICATE"}), 422, "invalid-request")
    assert_problem(client.get(url, params={"from": "2023-13"}), 422)


def test_repeated_predicates_are_all_honoured(client, sample):
    url = f"/v1/entities/{sample.deepmind.id}/timeline"
    preds = lambda params: [i["fact"]["predicate"] for i in client.get(url, params=params).json()["items"]]  # noqa: E731
    both = ["HIRED_FROM", "SUBSIDIARY_OF"]
    assert preds([("predicates", "HIRED_FROM"), ("predicates", "SUBSIDIARY_OF")]) == both
    assert preds([("predicates", "HIRED_FROM,SUBSIDIARY_OF")]) == both
    assert preds([("predicates", "HIRED_FROM"), ("predicates", "INVESTED_IN,SUBSIDIARY_OF")]) == [
        "INVESTED_IN", "HIRED_FROM", "SUBSIDIARY_OF"]
    assert preds([("predicates", "SUBSIDIARY_OF")]) == ["SUBSIDIARY_OF"]


@pytest.mark.usefixtures("sample")
@pytest.mark.parametrize("path", ["/v1/facts", "/v1/entities/organization:deepmind/timeline"])
@pytest.mark.parametrize("params", [{"from": "2020-13"}, {"from": "2020-02-30"}, {"to": "yesterday"},
                                    {"from": "2023-1"}, {"to": "20230"}])
def test_bad_dates_get_one_sentence_saying_what_is_accepted(client, path, params):
    body = assert_problem(client.get(path, params=params), 422, "invalid-date")
    detail = body["detail"]
    assert "a year (2023), a month (2023-03) or a day (2023-03-18)" in detail
    assert detail.count(". ") == 0 and "\\d" not in detail and "^" not in detail and "pattern" not in detail


@pytest.mark.usefixtures("sample")
def test_from_after_to_is_refused_and_a_coarser_bound_is_a_window(client):
    body = assert_problem(client.get("/v1/facts", params={"from": "2024", "to": "2023-06"}), 422,
                          "invalid-date-window")
    assert "`from` (2024) is after `to` (2023-06)" in body["detail"]
    window = client.get("/v1/facts", params={"from": "2023-03", "to": "2023"})
    assert window.status_code == 200 and {f["date"] for f in window.json()["items"]} >= {"2023-03"}


def test_limit_caps_match_the_schema(client, sample):
    document = client.get("/openapi.json").json()
    for path, methods in document["paths"].items():
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                if parameter["name"] != "limit":
                    continue
                schema = parameter["schema"]
                cap = next(s["maximum"] for s in [schema, *schema.get("anyOf", [])] if "maximum" in s)
                concrete = path.replace("{entity_id}", sample.deepmind.id).replace("{fact_id}", sample.subsidiary.id)
                params: dict[str, object] = {"limit": cap}
                if "/paths" in path:
                    params.update({"from": sample.babuschkin.id, "to": sample.deepmind.id})
                if "q" in {p["name"] for p in operation["parameters"]}:
                    params["q"] = "deepmind"
                assert client.get(concrete, params=params).status_code == 200, (path, cap)
                assert_problem(client.get(concrete, params={**params, "limit": cap + 1}), 422)


@pytest.mark.usefixtures("sample")
def test_a_name_given_for_an_id_is_said_to_be_a_name(client):
    body = assert_problem(client.get("/v1/facts", params={"subject": "Igor Babuschkin"}), 404, "entity-not-found")
    assert "not a name" in body["detail"] and "GET /v1/entities?q=Igor Babuschkin" in body["detail"]
    body = assert_problem(client.get("/v1/facts", params={"object": "organization:nope"}), 404, "entity-not-found")
    assert "organization:nope" in body["detail"]


def test_score_only_in_search_results(client, sample):
    hits = client.get("/v1/entities", params={"q": "deepmind"}).json()["items"]
    assert hits and all(isinstance(h["score"], float) for h in hits)
    detail = client.get(f"/v1/entities/{sample.deepmind.id}").json()
    assert "score" not in detail
    timeline = client.get(f"/v1/entities/{sample.deepmind.id}/timeline").json()
    assert "score" not in timeline["entity"] and all("score" not in i["counterpart"] for i in timeline["items"])


# ------------------------------------------------------------------------------------------------ facts
def test_facts_filters_and_fact_with_all_evidence(client, sample):
    by_pred = client.get("/v1/facts", params={"predicate": "HIRED_FROM"}).json()["items"]
    assert [(f["subject"]["name"], f["object"]["name"], f["date"]) for f in by_pred] == [
        ("Igor Babuschkin", "DeepMind", "2023-03")]
    by_subject = client.get("/v1/facts", params={"subject": sample.babuschkin.id}).json()["items"]
    assert sorted(f["predicate"] for f in by_subject) == ["HIRED_FROM", "JOINED"]
    joined = next(f for f in by_subject if f["predicate"] == "JOINED")
    assert joined["qualifiers"]["role"] == "engineer"
    by_object = client.get("/v1/facts", params={"object": sample.deepmind.id, "to": "2022"}).json()["items"]
    assert [f["predicate"] for f in by_object] == ["INVESTED_IN"]
    everything = client.get("/v1/facts", params={"limit": 2}).json()
    assert len(everything["items"]) == 2 and everything["nextCursor"]
    rest = client.get("/v1/facts", params={"limit": 2, "cursor": everything["nextCursor"]}).json()
    assert len(rest["items"]) == 2 and rest["nextCursor"] is None

    fact = client.get(f"/v1/facts/{sample.subsidiary.id}").json()
    assert fact["predicate"] == "SUBSIDIARY_OF" and fact["subject"]["id"] == sample.deepmind.id
    assert [e["articleId"] for e in fact["evidence"]] == ["api-test-a1", "api-test-a3"]
    assert fact["evidence"][1]["articleUrl"] is None and fact["evidence"][1]["sentence"].startswith("Alphabet owns")
    assert_problem(client.get("/v1/facts/0000000000"), 404, "fact-not-found")
    assert_problem(client.get("/v1/facts", params={"predicate": "LIKES"}), 422)


# ------------------------------------------------------------------------------------------------ graph
def test_neighbourhood_depths_and_limit(client, sample):
    one = client.get(f"/v1/graph/neighborhood/{sample.babuschkin.id}").json()
    assert {n["name"] for n in one["nodes"]} == {"Igor Babuschkin", "DeepMind", "xAI"}
    assert {e["predicate"] for e in one["edges"]} == {"HIRED_FROM", "JOINED"}
    centre = next(n for n in one["nodes"] if n["id"] == sample.babuschkin.id)
    assert centre["depth"] == 0 and centre["degree"] == 2
    two = client.get(f"/v1/graph/neighborhood/{sample.babuschkin.id}", params={"depth": 2}).json()
    assert {n["name"] for n in two["nodes"]} == {"Igor Babuschkin", "DeepMind", "xAI", "Alphabet", "Société Générale"}
    assert len(two["edges"]) == 4 and not two["truncated"]
    ids = {n["id"] for n in two["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in two["edges"])

    hub = write_star(client.app.state.graph, "Hub Corp", 30)
    capped = client.get(f"/v1/graph/neighborhood/{hub.id}", params={"limit": 10}).json()
    assert len(capped["nodes"]) == 11 and capped["truncated"] is True and len(capped["edges"]) == 10
    assert_problem(client.get(f"/v1/graph/neighborhood/{hub.id}", params={"depth": 4}), 422)


@pytest.mark.usefixtures("sample")
def test_neighbourhood_reads_a_bounded_number_of_neighbours_per_ring(client):
    """Around a hub, a ring reads at most `reads_per_ring` neighbours (shared among its frontier entities) and
    ranks those, so a hub's thousands of neighbours are never all read; below the bound nothing changes."""
    graph = client.app.state.graph
    hub = write_star(graph, "Hub Corp", 30)
    person = "person:person-number-007"
    one = reader.neighbourhood(graph, hub.id, depth=1, limit=50, reads_per_ring=12)
    assert len(one.nodes) == 13 and {n.depth for n in one.nodes[1:]} == {1}
    assert len(one.edges) == 12 and one.truncated
    unbounded = reader.neighbourhood(graph, hub.id, depth=1, limit=50)
    assert len(unbounded.nodes) == 31 and not unbounded.truncated
    # from a person: ring 1 is the hub alone, ring 2 reads at most 5 of the hub's other 29 people
    two = reader.neighbourhood(graph, person, depth=2, limit=50, reads_per_ring=5)
    assert [n.depth for n in two.nodes] == [0, 1, 2, 2, 2, 2, 2]
    assert two.nodes[1].id == hub.id and person not in {n.id for n in two.nodes[2:]} and two.truncated
    # through the API (default bound 2,000) the star is read whole
    body = client.get(f"/v1/graph/neighborhood/{person}", params={"depth": 2, "limit": 100}).json()
    assert len(body["nodes"]) == 31 and not body["truncated"]


def test_paths_between_entities(client, sample):
    body = client.get("/v1/graph/paths", params={"from": sample.babuschkin.id, "to": sample.alphabet.id}).json()
    assert [[e["predicate"] for e in body["edges"] if e["id"] in path] for path in body["paths"]] == [
        ["HIRED_FROM", "SUBSIDIARY_OF"]]
    assert [n["name"] for n in body["nodes"]] == ["Igor Babuschkin", "DeepMind", "Alphabet"]
    none = client.get("/v1/graph/paths", params={"from": sample.xai.id, "to": sample.alphabet.id, "max_depth": 1})
    assert none.json()["paths"] == []
    assert_problem(client.get("/v1/graph/paths", params={"from": "person:nobody", "to": sample.alphabet.id}), 404)


# ------------------------------------------------------------------------------------------------ stats
@pytest.mark.usefixtures("sample")
def test_stats_count_the_graph(client):
    body = client.get("/v1/stats").json()
    assert (body["entities"], body["articles"], body["evidence"], body["facts"]) == (5, 3, 5, 4)
    assert body["entitiesByType"] == {"Organization": 4, "Person": 1}
    assert body["factsByPredicate"] == {"HIRED_FROM": 1, "INVESTED_IN": 1, "JOINED": 1, "SUBSIDIARY_OF": 1}
    assert body["articlesByLanguage"] == {"en": 2, "fr": 1}


# ------------------------------------------------------------------------------------------------ cypher
def test_cypher_returns_serialised_nodes_relationships_and_paths(client, sample):
    body = client.post("/v1/cypher", json={
        "query": "MATCH p = (s:Entity {id: $id})-[r:HIRED_FROM]->(o) RETURN s, r, p, o.name AS name, r.date AS d",
        "parameters": {"id": sample.babuschkin.id}}).json()
    assert body["columns"] == ["s", "r", "p", "name", "d"] and body["rowCount"] == 1 and not body["truncated"]
    s, r, p, name, d = body["rows"][0]
    assert s["kind"] == "node" and "Person" in s["labels"] and s["properties"]["name"] == "Igor Babuschkin"
    assert r["kind"] == "relationship" and r["type"] == "HIRED_FROM" and r["start"] == s["elementId"]
    assert p["kind"] == "path" and len(p["nodes"]) == 2 and len(p["relationships"]) == 1
    assert (name, d) == ("DeepMind", "2023-03")
    values = client.post("/v1/cypher", json={"query": "RETURN date('2023-03-18') AS d, "
                                                      "datetime('2023-03-18T10:00:00Z') AS dt, duration('P1D') AS du, "
                                                      "point({x: 1.5, y: 2.0}) AS pt, 0.0 / 0.0 AS nan, "
                                                      "[1, {a: 'b'}] AS l"})
    d, dt, du, pt, nan, lst = values.json()["rows"][0]
    assert (d, dt[:19], du["days"], pt["coordinates"], nan, lst) == (
        "2023-03-18", "2023-03-18T10:00:00", 1, [1.5, 2.0], "nan", [1, {"a": "b"}])
    labels = client.post("/v1/cypher", json={"query": "CALL db.labels() YIELD label RETURN label ORDER BY label"})
    assert ["Entity"] in labels.json()["rows"]


@pytest.mark.usefixtures("graph")
def test_cypher_row_cap_timeout_and_errors(neo4j_target):
    with make_client(neo4j_target, cypher_row_cap=5, cypher_timeout=1.0) as client:
        capped = client.post("/v1/cypher", json={"query": "UNWIND range(1, 100) AS x RETURN x"}).json()
        assert capped["rows"] == [[1], [2], [3], [4], [5]] and capped["truncated"] is True
        slow = client.post("/v1/cypher", json={
            "query": "UNWIND range(1, 100000) AS a UNWIND range(1, 100000) AS b WITH a, b WHERE a * b = -1 RETURN a"})
        assert "longer than 1 s" in assert_problem(slow, 400, "query-failed")["detail"]
        assert_problem(client.post("/v1/cypher", json={"query": "MATCH (n RETURN n"}), 400, "query-failed")
        assert_problem(client.post("/v1/cypher", json={"query": "CREATE (n) RETURN n"}), 400, "unsafe-query")
        assert_problem(client.post("/v1/cypher", json={}), 422, "invalid-request")
    with make_client(neo4j_target, cypher_enabled=False) as client:
        assert_problem(client.post("/v1/cypher", json={"query": "RETURN 1"}), 403, "cypher-disabled")


# ------------------------------------------------------------------------------------------------ articles
LETTER = {"id": "api-letter-1", "lang": "en", "published": "2023-03-29", "title": "The pause letter",
          "url": "https://example.org/news/letter",
          "text": "Elon Musk signed an open letter calling for a pause in AI development. "
                  "Steve Wozniak also backed the call."}


def test_articles_need_a_configured_key(graph, neo4j_target):
    with make_client(neo4j_target) as client:  # no KG_API_KEY
        body = assert_problem(client.post("/v1/articles", json=LETTER), 503, "api-key-not-configured")
        assert "KG_API_KEY" in body["detail"]
    with make_client(neo4j_target, key=API_KEY) as client:
        assert_problem(client.post("/v1/articles", json=LETTER), 401, "api-key-missing")
        assert_problem(client.post("/v1/articles", json=LETTER, headers={"X-API-Key": "wrong"}), 403, "api-key-wrong")
    assert graph.run("MATCH (a:Article) RETURN count(a) AS n")[0]["n"] == 0


def test_articles_are_extracted_written_and_returned(client, graph):
    headers = {"X-API-Key": API_KEY}
    response = client.post("/v1/articles", json=LETTER, headers=headers)
    assert response.status_code == 200, response.text
    result = response.json()["articles"][0]
    assert result["articleId"] == "api-letter-1" and result["status"] == "written"
    signed = [f for f in result["facts"] if f["predicate"] == "SIGNED"]
    assert signed and signed[0]["subject"]["name"] == "Elon Musk" and signed[0]["object"]["type"] == "Document"
    assert signed[0]["evidence"][0]["articleTitle"] == "The pause letter"
    assert signed[0]["evidence"][0]["sentence"].startswith("Elon Musk signed an open letter")
    musk = client.get("/v1/entities", params={"q": "elon musk"}).json()["items"][0]
    timeline = client.get(f"/v1/entities/{musk['id']}/timeline").json()["items"]
    assert any(i["fact"]["predicate"] == "SIGNED" and i["fact"]["placedAt"] == "2023-03-29" for i in timeline)

    again = client.post("/v1/articles", json=[LETTER], headers=headers).json()
    assert again["articles"][0]["status"] == "unchanged" and again["factsWritten"] == 0
    assert graph.run("MATCH (a:Article) RETURN count(a) AS n")[0]["n"] == 1
    assert_problem(client.post("/v1/articles", json=[], headers=headers), 422)
    assert_problem(client.post("/v1/articles", json={**LETTER, "lang": "de"}, headers=headers), 422, "invalid-article")
    bad_date = [{**LETTER, "id": "api-letter-2"}, {**LETTER, "id": "api-letter-3", "published": "last tuesday"}]
    assert_problem(client.post("/v1/articles", json=bad_date, headers=headers), 422, "invalid-article")
    assert graph.run("MATCH (a:Article) RETURN count(a) AS n")[0]["n"] == 1  # nothing of a refused request


@pytest.mark.usefixtures("graph")
def test_keyed_reads_and_cors(neo4j_target):
    with make_client(neo4j_target, key=API_KEY, read_access="key", cors_origins=["http://localhost:3000"]) as client:
        assert_problem(client.get("/v1/entities", params={"q": "x"}), 401)
        ok = client.get("/v1/entities", params={"q": "x"}, headers={"X-API-Key": API_KEY,
                                                                    "Origin": "http://localhost:3000"})
        assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == "http://localhost:3000"
        assert client.get("/health").status_code == 200  # probes stay open


# ------------------------------------------------------------------------------------------------ errors
@pytest.mark.usefixtures("sample")
def test_validation_and_unknown_paths_are_problems(client):
    body = assert_problem(client.get("/v1/entities", params={"q": "x", "limit": 0}), 422, "invalid-request")
    assert body["errors"][0]["location"] == ["query", "limit"]
    assert_problem(client.get("/v1/entities"), 422)
    assert_problem(client.get("/v1/nowhere"), 404)
    assert_problem(client.delete("/v1/entities"), 405)


def test_neo4j_unavailable_gives_503():
    uri = f"bolt://127.0.0.1:{free_port()}"  # nothing listens there; no retries, so the test is quick
    dead = GraphConnection(GraphDatabase.driver(uri, auth=("neo4j", "irrelevant-pw"), max_transaction_retry_time=0.2,
                                                connection_acquisition_timeout=2), "neo4j", uri)
    app = create_app(ApiSettings(), connection_factory=lambda: dead)
    with TestClient(app) as client:
        body = assert_problem(client.get("/v1/entities", params={"q": "deepmind"}), 503, "neo4j-unavailable")
        assert "kg neo4j status" in body["detail"]
        health = client.get("/health")
        assert health.status_code == 503 and health.json()["status"] == "degraded"


def test_openapi_documents_every_endpoint_with_problems(client):
    doc = client.get("/openapi.json").json()
    for path in ("/v1/entities", "/v1/entities/{entity_id}", "/v1/entities/{entity_id}/timeline", "/v1/facts",
                 "/v1/facts/{fact_id}", "/v1/graph/neighborhood/{entity_id}", "/v1/graph/paths", "/v1/cypher",
                 "/v1/articles", "/v1/export", "/v1/stats", "/v1/health"):
        assert path in doc["paths"], path
    responses = doc["paths"]["/v1/entities/{entity_id}"]["get"]["responses"]
    assert PROBLEM in responses["404"]["content"] and PROBLEM in responses["422"]["content"]
    assert "Problem" in doc["components"]["schemas"]
    assert doc["paths"]["/v1/cypher"]["post"]["requestBody"]["content"]["application/json"]["schema"]


# ------------------------------------------------------------------------------------------------ export
def test_export_in_three_rdf_formats(client, sample):
    import rdflib

    turtle = client.get("/v1/export", params={"format": "turtle"})
    assert turtle.status_code == 200 and turtle.headers["content-type"].startswith("text/turtle")
    parsed = rdflib.Graph().parse(data=turtle.text, format="turtle")
    assert len(parsed) > 0
    jsonld = client.get("/v1/export", params={"format": "jsonld"})
    assert jsonld.headers["content-type"].startswith("application/ld+json") and "@context" in jsonld.json()
    nt = client.get("/v1/export", params={"format": "ntriples"})
    assert nt.headers["content-type"].startswith("application/n-triples")
    assert len(rdflib.Graph().parse(data=nt.text, format="nt")) == len(parsed)
    one = client.get("/v1/export", params={"format": "ntriples", "entity": sample.xai.id})
    assert 0 < len(rdflib.Graph().parse(data=one.text, format="nt")) < len(parsed)
    assert_problem(client.get("/v1/export", params={"entity": "organization:nope"}), 404, "entity-not-found")
    assert_problem(client.get("/v1/export", params={"format": "xml"}), 422)


# ------------------------------------------------------------------------------------------------ extractor graph
EXTRACTED = [
    Article(id="api-x-1", lang="en", published="2023-04-14", title="xAI hires", url="https://example.org/x1",
            text="Igor Babuschkin left DeepMind to join xAI in March 2023. DeepMind is a subsidiary of Alphabet."),
    Article(id="api-x-2", lang="en", published="2023-03-29", title="The letter", url="https://example.org/x2",
            text="Elon Musk signed an open letter calling for a pause in AI development."),
    Article(id="api-x-3", lang="fr", published="2023-05-02", title="Rachat", url="https://example.org/x3",
            text="Microsoft a racheté GitHub pour 7,5 milliards de dollars en juin 2018."),
]


def test_endpoints_agree_on_a_graph_built_by_the_real_extractor(client, graph):
    from ingest.extractor import EXTRACTOR_VERSION, extract

    writer = GraphWriter(graph, extractor_version=EXTRACTOR_VERSION)
    for article in EXTRACTED:
        writer.write(extract(article))
    texts = {a.id: a for a in EXTRACTED}
    facts = client.get("/v1/facts", params={"limit": 200}).json()["items"]
    assert any(f["predicate"] == "SIGNED" and f["subject"]["name"] == "Elon Musk" for f in facts)
    assert len(facts) == client.get("/v1/stats").json()["facts"]
    for fact in facts:
        assert fact["evidence"], fact
        for ev in fact["evidence"]:  # every sentence is in its article, with the article's metadata
            article = texts[ev["articleId"]]
            assert article.text[ev["start"]:ev["end"]] == ev["sentence"]
            assert (ev["articleTitle"], ev["articleUrl"], ev["published"]) == (article.title, article.url,
                                                                               article.published)
        assert client.get(f"/v1/facts/{fact['id']}").json() == fact
        for side, role in (("subject", "subject"), ("object", "object")):
            entity_id = fact[side]["id"]
            timeline = client.get(f"/v1/entities/{entity_id}/timeline", params={"limit": 200}).json()["items"]
            assert [t["role"] for t in timeline if t["fact"]["id"] == fact["id"]] == [role]
            detail = client.get(f"/v1/entities/{entity_id}").json()
            assert any(c["predicate"] == fact["predicate"] for c in detail["factCounts"])
        hood = client.get(f"/v1/graph/neighborhood/{fact['subject']['id']}").json()
        assert fact["id"] in {e["id"] for e in hood["edges"]}
