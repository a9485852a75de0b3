"""The API against hostile and broken requests, on a real Neo4j.

- bodies over the limit (with and without Content-Length), malformed or hostile JSON, unknown and invalid query
  parameters: each refused with an `application/problem+json` 4xx, never a 5xx;
- Cypher injection: every parameter of every endpoint (read from the app's own routes, so a new endpoint is
  covered without editing this file) gets injection strings, and the graph is unchanged afterwards;
- the read-only Cypher endpoint cannot write, read files, reach the network, call APOC, or run unbounded
  (timeout, row cap);
- keys: writes need the key, reads are open or keyed as configured, and the key is compared in constant time."""

from __future__ import annotations

import hmac
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from api_graphs import Sample, write_sample
from fastapi.testclient import TestClient
from graph_dump import dump_graph

from api.app import create_app
from api.limits import MAX_QUERY_BYTES, SMALL_BODY_BYTES, article_body_limit
from api.settings import ApiSettings
from kg.store import GraphConnection, connect

API_KEY = "hardening-key-6c0ffee5-42"
PROBLEM = "application/problem+json"

INJECTIONS = [
    "' OR 1=1 //",
    "x'}) MATCH (n) DETACH DELETE n //",
    "\"}) MATCH (n) DETACH DELETE n RETURN 1 //",
    "`) MATCH (n) DETACH DELETE n //",
    "organization:deepmind' OR '1'='1",
    "organization:deepmind\"}) CREATE (:Pwned) //",
    "*/ MATCH (n) DETACH DELETE n /*",
    "1; MATCH (n) DETACH DELETE n",
    "HIRED_FROM]->() DETACH DELETE r //",
    "$limit",
    "{id: 'x'}",
    "\\u0027}) DETACH DELETE n //",
    "CALL db.labels()",
    "LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l",
    "apoc.load.json('file:///etc/passwd')",
    "') CALL { MATCH (n) DETACH DELETE n } //",
    "deepmind\u0000'; DROP DATABASE neo4j",
    "%27%29%20DETACH%20DELETE%20n",
    "Organization|Person) DETACH DELETE n //",
    "a" * 299,
]


def make_client(neo4j_target, **settings) -> TestClient:
    app = create_app(ApiSettings(**settings), connection_factory=lambda: connect(neo4j_target.settings()))
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def sample(graph: GraphConnection) -> Sample:
    return write_sample(graph)


@pytest.fixture
def client(sample: Sample, neo4j_target) -> Iterator[TestClient]:  # noqa: ARG001
    with make_client(neo4j_target, key=API_KEY, max_articles_per_request=2, max_article_chars=1000,
                     cypher_timeout=2.0, cypher_row_cap=50) as c:
        yield c


def assert_problem(response, status: int | None = None) -> dict:
    assert response.headers["content-type"].startswith(PROBLEM), (response.status_code, response.text[:300])
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    if status is not None:
        assert response.status_code == status, response.text[:300]
    body = response.json()
    assert body["status"] == response.status_code and body["title"] and len(body["detail"].split()) >= 5, body
    return body


# ------------------------------------------------------------------------------------------------ bodies
def test_oversized_bodies_are_refused_with_413_before_being_read(client: TestClient) -> None:
    big_query = "MATCH (n) RETURN n // " + "x" * (SMALL_BODY_BYTES + 10)
    body = assert_problem(client.post("/v1/cypher", json={"query": big_query}), 413)
    assert "limit" in body["detail"]

    limit = article_body_limit(client.app.state.settings)
    articles = [{"id": f"big-{i}", "text": "Microsoft acquired GitHub. " * 40} for i in range(2)]
    padded = json.dumps(articles).encode() + b" " * limit  # valid JSON, over the byte limit
    response = client.post("/v1/articles", content=padded,
                           headers={"X-API-Key": API_KEY, "Content-Type": "application/json"})
    assert_problem(response, 413)

    # the same size sent in chunks, with no Content-Length: cut off once past the limit
    def chunks() -> Iterator[bytes]:
        yield b'{"query": "MATCH (n) RETURN n // '
        for _ in range(SMALL_BODY_BYTES // 1024 + 8):
            yield b"x" * 1024
        yield b'"}'

    assert_problem(client.post("/v1/cypher", content=chunks(), headers={"Content-Type": "application/json"}), 413)


def test_too_many_or_too_long_articles_are_413(client: TestClient) -> None:
    headers = {"X-API-Key": API_KEY}
    too_many = [{"id": f"a{i}", "text": "Microsoft acquired GitHub."} for i in range(3)]
    assert_problem(client.post("/v1/articles", json=too_many, headers=headers), 413)
    too_long = {"id": "long", "text": "Microsoft acquired GitHub. " * 100}
    assert_problem(client.post("/v1/articles", json=too_long, headers=headers), 413)


MALFORMED_BODIES = [
    b'{"query": ',
    b"not json at all",
    b'{"query": "MATCH (n) RETURN n",}',
    b"\xff\xfe\x00garbage",
    b"[" * 5000 + b"]" * 5000,  # deep nesting
    b'{"query": NaN}',
    b'{"query": 12}',
    b'{"query": null}',
    b"[]",
    b'"just a string"',
    b'{"query": "MATCH (n) RETURN n", "parameters": "not an object"}',
    b"",
]


@pytest.mark.parametrize("raw", MALFORMED_BODIES, ids=lambda b: repr(b[:24]))
def test_malformed_json_is_a_problem_4xx(client: TestClient, raw: bytes) -> None:
    assert_problem(client.post("/v1/cypher", content=raw, headers={"Content-Type": "application/json"}))
    assert_problem(client.post("/v1/articles", content=raw,
                               headers={"Content-Type": "application/json", "X-API-Key": API_KEY}))


def test_wrong_content_type_is_a_problem_4xx(client: TestClient) -> None:
    response = client.post("/v1/cypher", content=b"query=MATCH (n) RETURN n",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_problem(response)


# ------------------------------------------------------------------------------------------------ query strings
@dataclass(frozen=True)
class Operation:
    method: str
    template: str
    path_params: list[str]
    query_params: list[tuple[str, bool]]  # (name, required)


def api_operations(client: TestClient) -> list[Operation]:
    """Every documented operation, from the app's own OpenAPI schema (new endpoints are covered automatically),
    except streams (`text/event-stream`: a request never ends; tests/test_changes_api.py covers the change stream)."""
    found = []
    for template, methods in client.app.openapi()["paths"].items():
        for method, op in methods.items():
            if "text/event-stream" in op.get("responses", {}).get("200", {}).get("content", {}):
                continue
            params = op.get("parameters", [])
            found.append(Operation(method.upper(), template, [p["name"] for p in params if p["in"] == "path"],
                                   [(p["name"], p.get("required", False)) for p in params if p["in"] == "query"]))
    return found


def fill_path(op: Operation, sample: Sample, override: tuple[str, str] | None = None) -> str:
    values = {"entity_id": sample.deepmind.id, "fact_id": sample.hired.id, "article_id": "api-test-a1"}
    if override:
        values[override[0]] = quote(override[1], safe="")
    path = op.template
    for name in op.path_params:
        path = path.replace("{" + name + "}", values[name])
    return path


def valid_request(op: Operation, sample: Sample) -> tuple[str, dict[str, str]]:
    """A path with its path parameters filled and the query parameters a valid request needs."""
    required = {"q": "deepmind", "from": sample.babuschkin.id, "to": sample.alphabet.id}
    return fill_path(op, sample), {name: required[name] for name, needed in op.query_params if needed}


def test_every_read_route_is_exercised(client: TestClient, sample: Sample) -> None:
    """The routes the tests below walk through answer 200 with valid parameters (so the refusals are real); the
    key is sent, as a curator checking it (GET /v1/curation/access) would."""
    gets = [op for op in api_operations(client) if op.method == "GET"]
    assert len(gets) >= 8, [op.template for op in gets]
    for op in gets:
        path, query = valid_request(op, sample)
        response = client.get(path, params=query, headers={"X-API-Key": API_KEY})
        assert response.status_code == 200, (path, query, response.text[:300])


def test_unknown_query_parameters_are_refused(client: TestClient, sample: Sample) -> None:
    for op in api_operations(client):
        if op.method != "GET":
            continue
        path, query = valid_request(op, sample)
        response = client.get(path, params={**query, "limt": "5"})
        body = assert_problem(response, 400)
        assert "limt" in body["detail"], body
    assert_problem(client.post("/v1/cypher", params={"debug": "1"}, json={"query": "RETURN 1"}), 400)


def test_invalid_query_values_are_problems(client: TestClient, sample: Sample) -> None:
    entity = f"/v1/entities/{sample.deepmind.id}/timeline"
    for params in ({"limit": "-1"}, {"limit": "abc"}, {"limit": str(10**40)}, {"from": "2023-13"},
                   {"from": "yesterday"}, {"predicates": "NOT_A_PREDICATE"}, {"cursor": "%%%"},
                   {"cursor": "eyJzIjoiZmFjdHMiLCJrIjoxfQ"}, {"cursor": "x" * 3000}):
        assert_problem(client.get(entity, params=params))
    assert_problem(client.get("/v1/entities", params={"q": ""}))
    assert_problem(client.get("/v1/entities", params={"q": "x" * 500}))
    assert_problem(client.get("/v1/graph/neighborhood/" + sample.deepmind.id, params={"depth": "99"}))
    assert_problem(client.get("/v1/entities", params={"q": "a" * (MAX_QUERY_BYTES + 1)}), 414)


# ------------------------------------------------------------------------------------------------ injection
def test_injection_strings_in_every_parameter_leave_the_graph_unchanged(
        client: TestClient, sample: Sample, graph: GraphConnection) -> None:
    before = dump_graph(graph)
    sent = 0
    for op in api_operations(client):
        if op.method != "GET":
            continue
        base_path, base_query = valid_request(op, sample)
        for payload in INJECTIONS:
            for name in op.path_params:
                path = fill_path(op, sample, override=(name, payload))
                response = client.get(path, params=base_query)
                sent += 1
                assert response.status_code < 500, (path, response.text[:300])
            for name, _ in op.query_params:
                response = client.get(base_path, params={**base_query, name: payload})
                sent += 1
                assert response.status_code < 500, (base_path, name, payload, response.text[:300])
    for payload in INJECTIONS:  # the Cypher endpoint's parameters are values, never query text
        response = client.post("/v1/cypher", json={
            "query": "MATCH (e:Entity) WHERE e.id = $id OR e.name = $name RETURN e.id LIMIT 5",
            "parameters": {"id": payload, "name": payload}})
        sent += 1
        assert response.status_code == 200 and response.json()["rows"] == [], response.text[:300]
    after = dump_graph(graph)
    assert after == before, after.difference(before)
    assert sent > 200


@pytest.mark.usefixtures("sample")
def test_injection_strings_in_article_fields_are_stored_as_plain_values(
        client: TestClient, graph: GraphConnection) -> None:
    """Articles are the one write path: hostile ids are refused by the id pattern (422), hostile titles, urls and
    texts are stored exactly as sent, and nothing else in the graph changes."""
    before = dump_graph(graph)
    payloads = [p for p in INJECTIONS if len(p) < 200 and "\u0000" not in p][:8]
    headers = {"X-API-Key": API_KEY}
    for payload in payloads:
        refused = client.post("/v1/articles", json={"id": payload, "text": "Microsoft acquired GitHub."},
                              headers=headers)
        assert_problem(refused, 422)
    for n, payload in enumerate(payloads):
        article = {"id": f"injection-{n}", "title": payload, "url": "https://example.org/" + payload,
                   "text": f"Microsoft acquired GitHub in June 2018. {payload}", "lang": "en"}
        response = client.post("/v1/articles", json=article, headers=headers)
        assert response.status_code == 200, response.text[:300]
    after = dump_graph(graph)
    kept = {n for n in before.nodes if "Entity" not in n[0]}
    assert kept <= after.nodes, "a node written before was lost or changed"
    stored = {r["id"]: (r["title"], r["text"]) for r in graph.run(
        "MATCH (a:Article) WHERE a.id STARTS WITH 'injection-' RETURN a.id AS id, a.title AS title, a.text AS text")}
    assert stored == {f"injection-{n}": (p, f"Microsoft acquired GitHub in June 2018. {p}")
                      for n, p in enumerate(payloads)}
    assert graph.run("MATCH (n:Pwned) RETURN count(n) AS n")[0]["n"] == 0


# ------------------------------------------------------------------------------------------------ Cypher endpoint
ESCAPES = [
    "CREATE (:Pwned)",
    "MATCH (n) DETACH DELETE n",
    "MATCH (e:Entity) SET e.name = 'pwned' RETURN e",
    "MERGE (p:Pwned {id: 1}) RETURN p",
    "MATCH (e:Entity) REMOVE e.name RETURN e",
    "FOREACH (i IN [1] | CREATE (:Pwned))",
    "CALL { CREATE (:Pwned) } IN TRANSACTIONS RETURN 1",
    "UNWIND [1] AS i CALL (i) { CREATE (:Pwned) } RETURN i",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "LOAD CSV FROM 'http://127.0.0.1:9/x.csv' AS line RETURN line",
    "load csv from 'https://example.org/x.csv' as line return line",
    "CALL apoc.load.json('file:///etc/passwd')",
    "RETURN apoc.version()",
    "CALL dbms.listConfig()",
    "CALL dbms.security.createUser('eve', 'eve-password-1', false)",
    "CREATE USER eve SET PASSWORD 'eve-password-1'",
    "SHOW USERS",
    "DROP INDEX entity_name",
    "CREATE INDEX pwned FOR (n:Pwned) ON (n.id)",
    "USE system SHOW DATABASES",
    "MATCH (n) RETURN n; CREATE (:Pwned)",
    "MATCH (n) RETURN n /* ; */ ; MATCH (m) DETACH DELETE m",
    "\u0421REATE (:Pwned)",  # a Cyrillic С
    "CALL db.createLabel('Pwned')",
    "CALL db.index.fulltext.drop('entity_names')",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
]


@pytest.mark.usefixtures("sample")
def test_cypher_endpoint_cannot_write_read_files_reach_the_network_or_call_apoc(
        client: TestClient, graph: GraphConnection) -> None:
    before = dump_graph(graph)
    indexes_before = sorted(r["name"] for r in graph.run("SHOW INDEXES YIELD name RETURN name"))
    for query in ESCAPES:
        assert_problem(client.post("/v1/cypher", json={"query": query}), 400)
    assert dump_graph(graph) == before
    assert sorted(r["name"] for r in graph.run("SHOW INDEXES YIELD name RETURN name")) == indexes_before
    assert graph.run("SHOW PROCEDURES YIELD name WHERE name STARTS WITH 'apoc' RETURN count(*) AS n")[0]["n"] == 0
    assert graph.run("SHOW FUNCTIONS YIELD name WHERE name STARTS WITH 'apoc' RETURN count(*) AS n")[0]["n"] == 0


@pytest.mark.usefixtures("sample")
def test_cypher_endpoint_caps_rows_and_stops_long_queries(client: TestClient) -> None:
    body = client.post("/v1/cypher", json={"query": "UNWIND range(1, 100000) AS i RETURN i"}).json()
    assert body["rowCount"] == 50 and body["truncated"] is True, body

    started = time.monotonic()
    heavy = ("UNWIND range(1, 3000) AS a UNWIND range(1, 3000) AS b UNWIND range(1, 3000) AS c "
             "WITH a, b, c WHERE a * b * c = -1 RETURN count(*)")
    response = client.post("/v1/cypher", json={"query": heavy})
    elapsed = time.monotonic() - started
    body = assert_problem(response, 400)
    assert "s" in body["detail"] and elapsed < 30, (elapsed, body)
    # the server is still there and answers the next query
    assert client.post("/v1/cypher", json={"query": "RETURN 1 AS one"}).json()["rows"] == [[1]]


@pytest.mark.usefixtures("sample")
@pytest.mark.parametrize("query", [
    "UNWIND range(1, 200000000) AS i WITH collect(i) AS l RETURN size(l) AS n",  # the transaction memory pool
    "WITH reduce(s = '', i IN range(1, 40) | s + s + 'xxxxxxxxxxxxxxxx') AS s RETURN size(s) AS n",  # the heap
], ids=["memory-pool", "heap"])
def test_cypher_endpoint_memory_hungry_query_is_a_4xx_run_once(client: TestClient, query: str) -> None:
    """A query that exhausts memory fails once with a 4xx problem; it is not retried as if the failure were
    transient (four retries of it hammered the server for ~50 s and ended in a 500)."""
    started = time.monotonic()
    response = client.post("/v1/cypher", json={"query": query})
    elapsed = time.monotonic() - started
    body = assert_problem(response, 400)
    assert "memory" in body["detail"] or "longer than" in body["detail"], body
    assert elapsed < 25, f"took {elapsed:.0f} s: the query was retried"
    assert client.post("/v1/cypher", json={"query": "RETURN 1 AS one"}).json()["rows"] == [[1]]


@pytest.mark.usefixtures("sample")
def test_cypher_endpoint_can_be_turned_off(neo4j_target) -> None:
    with make_client(neo4j_target, key=API_KEY, cypher_enabled=False) as c:
        assert_problem(c.post("/v1/cypher", json={"query": "RETURN 1"}), 403)


# ------------------------------------------------------------------------------------------------ keys
def test_writes_need_the_key_and_reads_follow_the_setting(sample: Sample, neo4j_target) -> None:
    article = {"id": "key-test", "text": "Microsoft acquired GitHub in June 2018.", "lang": "en"}
    with make_client(neo4j_target, key=API_KEY) as c:
        assert_problem(c.post("/v1/articles", json=article), 401)
        assert_problem(c.post("/v1/articles", json=article, headers={"X-API-Key": API_KEY + "x"}), 403)
        assert_problem(c.post("/v1/articles", json=article, headers={"X-API-Key": API_KEY[:-1]}), 403)
        assert_problem(c.post("/v1/articles", json=article, headers={"X-API-Key": ""}), 401)
        assert c.post("/v1/articles", json=article, headers={"X-API-Key": API_KEY}).status_code == 200
        assert c.get("/v1/entities", params={"q": "deepmind"}).status_code == 200  # reads open by default
    with make_client(neo4j_target) as c:  # no key configured: writes are refused (503: the server lacks a key)
        response = c.post("/v1/articles", json=article, headers={"X-API-Key": "anything"})
        assert response.status_code == 503 and response.headers["content-type"].startswith(PROBLEM)
        assert "KG_API_KEY" in response.json()["detail"]
    with make_client(neo4j_target, key=API_KEY, read_access="key") as c:
        for path, params in (("/v1/entities", {"q": "deepmind"}), ("/v1/stats", {}),
                             (f"/v1/entities/{sample.deepmind.id}", {})):
            assert_problem(c.get(path, params=params), 401)
            assert_problem(c.get(path, params=params, headers={"X-API-Key": "wrong"}), 403)
            assert c.get(path, params=params, headers={"X-API-Key": API_KEY}).status_code == 200
        assert_problem(c.post("/v1/cypher", json={"query": "RETURN 1"}), 401)


@pytest.mark.usefixtures("sample")
def test_key_is_compared_in_constant_time(neo4j_target, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every key check goes through hmac.compare_digest (no `==` that returns at the first differing byte)."""
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def recording(a, b):
        calls.append((a, b))
        return real(a, b)

    import api.deps

    monkeypatch.setattr(api.deps.hmac, "compare_digest", recording)
    with make_client(neo4j_target, key=API_KEY, read_access="key") as c:
        assert c.get("/v1/stats", headers={"X-API-Key": "guess"}).status_code == 403
        assert c.get("/v1/stats", headers={"X-API-Key": API_KEY}).status_code == 200
    assert len(calls) == 2
    assert {bytes(b) if isinstance(b, (bytes, bytearray)) else b.encode() for _, b in calls} == {API_KEY.encode()}
