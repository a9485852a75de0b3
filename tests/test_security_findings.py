"""Issue 13: each finding of the adversarial pass, reproduced against a real Neo4j, now refused (4xx) or bounded.

1. bypass of the text layer (`//\\r…`, `\\u000a`) and `SHOW`/`TERMINATE` planned as reads: refused by each layer
   alone (text layer, plan allow-list), and the text layer ends comments exactly where Neo4j's lexer does;
2. nested parentheses that overflow Neo4j's parser: refused before anything is sent;
3. planning bombs: refused by the token limit; EXPLAIN runs under the timeout;
4. amplification: the byte cap stops reading and says `truncated`;
5. an unauthenticated 24 MB body: refused from the headers, before it is read;
6. deep results, integers above 2^63, lone surrogates, boolean cursors: 4xx (or a cut value), never a 5xx;
7. messages: no Java class names, no parser expectations; `CYPHER …` options refused.
Plus the rate limit, the warnings, and the local server's limits.
"""

from __future__ import annotations

import base64
import json
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from api_graphs import write_sample
from api_server import serve
from fastapi.testclient import TestClient

from api.app import create_app
from api.cypher_values import CUT_MARKER
from api.ratelimit import TokenBuckets
from api.settings import ApiSettings
from kg.errors import KgError, UnsafeQueryError
from kg.store import GraphConnection, connect
from kg.store import cypher_guard as guard
from kg.store.cypher_guard import check_plan, check_text, run_read_only
from kg.store.research_queries import ResearchQuery

PROBLEM = "application/problem+json"
API_KEY = "findings-key-5d1e-77"

BYPASSES = [
    "//\rSHOW TRANSACTIONS YIELD transactionId, currentQuery, parameters RETURN *",
    "//\rSHOW SETTINGS",
    "//\rSHOW PROCEDURES",
    "//\rSHOW FUNCTIONS",
    "//\rSHOW INDEXES",
    "//\rSHOW CONSTRAINTS",
    "//\rTERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "RETURN 1 //\r\nSHOW TRANSACTIONS",
    "//\\u000aSHOW TRANSACTIONS",
    "//\\u000dSHOW SETTINGS",
    "/* \\u002a/ SHOW TRANSACTIONS /* */",
    "RETURN '\\u0027 SHOW SETTINGS //'",
    "RETURN 1 AS `x\\u0060 SHOW SETTINGS //`",
    "SHOW TRANSACTIONS",
    "show settings yield name, value return name, value",
    "TERMINATE TRANSACTION 'neo4j-transaction-1'",
    "CYPHER debug=ast RETURN 1",
    "CYPHER runtime=slotted MATCH (n) RETURN n",
    "EXPLAIN MATCH (n) RETURN n",
    "PROFILE MATCH (n) RETURN n",
    "/* leading */ cypher 5 RETURN 1",
]

ADMIN_COMMANDS = ["SHOW TRANSACTIONS YIELD transactionId, currentQuery, parameters RETURN *", "SHOW SETTINGS",
                  "SHOW PROCEDURES", "SHOW FUNCTIONS", "SHOW INDEXES", "SHOW CONSTRAINTS",
                  "TERMINATE TRANSACTIONS 'neo4j-transaction-1'", "SHOW USERS", "SHOW DATABASES",
                  "SHOW CURRENT USER", "CALL dbms.components()", "CREATE (:Hack)",
                  "LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r", "CALL db.createLabel('Hack')",
                  "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS", "FOREACH (x IN [1] | CREATE (:Hack))"]


def explain(conn: GraphConnection, query: str) -> Any:
    with conn.driver.session(database=conn.database) as session:
        return session.run(f"EXPLAIN {query}").consume()  # type: ignore[arg-type]


def make_app(neo4j_target, **settings: Any):
    return create_app(ApiSettings(**settings), connection_factory=lambda: connect(neo4j_target.settings()))


@pytest.fixture
def client(graph: GraphConnection, neo4j_target) -> Iterator[TestClient]:
    write_sample(graph)
    with TestClient(make_app(neo4j_target, key=API_KEY, cypher_timeout=3.0), raise_server_exceptions=False) as c:
        yield c


def assert_problem(response, status: int | None = None) -> dict[str, Any]:
    assert response.headers["content-type"].startswith(PROBLEM), (response.status_code, response.text[:300])
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    if status is not None:
        assert response.status_code == status, response.text[:300]
    body = response.json()
    detail = body["detail"]
    assert len(detail.split()) >= 5, body
    for internal in ("org.neo4j", "java.", "Exception", "expected '", "offset:", "Traceback"):
        assert internal not in detail, body
    return body


# -------------------------------------------------------------------------------------------- 1. bypass
def _comment_swallows(query: str) -> bool:
    """Per our scanner: is `, 2 AS b` inside the comment?"""
    code = "".join(text for kind, text in guard._scan(query) if kind == "code")
    return "2 AS b" not in code


def test_text_layer_ends_comments_where_neo4j_does(graph):
    """For every control and separator character (and the Unicode line terminators), the text layer and Neo4j agree
    on where a // comment ends, or the text layer refuses the character outright."""
    import unicodedata
    candidates = [chr(c) for c in range(0x3100) if unicodedata.category(chr(c)) in ("Cc", "Zs", "Zl", "Zp", "Cf")]
    candidates += ["\r\n", "\ufeff"]
    checked = 0
    for term in candidates:
        query = f"RETURN 1 AS a //{term}, 2 AS b"
        try:
            check_text(query)
        except UnsafeQueryError:
            continue  # refused by the text layer: nothing reaches Neo4j
        neo4j_swallows = _columns(graph, query) == ["a"]
        assert _comment_swallows(query) == neo4j_swallows, repr(term)
        checked += 1
    assert checked >= 10  # \t, \n, \r, \r\n, spaces: the ones a query may contain


def _columns(conn: GraphConnection, query: str) -> list[str]:
    with conn.driver.session(database=conn.database) as session:
        return list(session.run(f"EXPLAIN {query}").keys())  # type: ignore[arg-type]


def test_neo4j_decodes_unicode_escapes_before_lexing(graph):
    """Why the text layer refuses every \\u escape: Neo4j decodes them before it reads comments and strings."""
    assert _columns(graph, "RETURN 1 AS a //\\u000a, 2 AS b") == ["a", "b"]
    assert _columns(graph, "RETURN 'x\\u0027 AS a, 2 AS b") == ["a", "b"]
    for query in ("RETURN 1 AS a //\\u000a, 2 AS b", "RETURN 'caf\\u00e9' AS a", "RETURN 1 AS a //\\U000a"):
        with pytest.raises(UnsafeQueryError, match="escape"):
            check_text(query)


def test_bypasses_are_refused_through_the_api(client, graph):
    from test_cypher_guard import graph_checksum
    before = graph_checksum(graph)
    for query in BYPASSES:
        response = client.post("/v1/cypher", json={"query": query})
        body = assert_problem(response, 400)
        assert body["type"].endswith("unsafe-query"), (query, body)
    assert graph_checksum(graph) == before


def test_text_layer_alone_refuses_the_bypasses():
    for query in BYPASSES:
        with pytest.raises(UnsafeQueryError):
            check_text(query)


def test_plan_layer_alone_refuses_admin_commands_and_writes(graph):
    """The allow-list of read operators refuses SHOW and TERMINATE, which Neo4j plans as reads (query type 'r')."""
    for query in ADMIN_COMMANDS:
        summary = explain(graph, query)
        with pytest.raises(UnsafeQueryError):
            check_plan(summary.query_type, summary.plan)
    assert explain(graph, "SHOW TRANSACTIONS").query_type == "r"  # why a query-type check alone is not enough
    read = explain(graph, "MATCH (n) RETURN n")
    check_plan(read.query_type, read.plan, graph.database)
    with pytest.raises(UnsafeQueryError, match="database"):
        check_plan(read.query_type, read.plan, "another")  # operators carry the database they run on
    assert explain(graph, "TERMINATE TRANSACTIONS 'x'").query_type == "r"


def test_plan_layer_refuses_the_bypass_with_the_text_layer_disabled(graph, monkeypatch):
    """With `check_text` reduced to nothing, the guard still refuses every bypass and admin command, another
    client's transaction keeps running, and its parameters are not leaked."""
    write_sample(graph)
    from test_cypher_guard import graph_checksum
    before = graph_checksum(graph)
    monkeypatch.setattr(guard, "check_text", lambda query, *_: query.strip().rstrip(";"))
    with graph.driver.session(database=graph.database) as other:
        tx = other.begin_transaction(timeout=60)
        tx.run("MATCH (n) WHERE n.secret = $token RETURN count(n)", token="secret-token-1234").consume()
        for query in BYPASSES[:8] + ADMIN_COMMANDS:
            with pytest.raises(KgError) as caught:
                run_read_only(graph, query, timeout=5.0)
            assert "secret-token" not in str(caught.value)
        assert tx.run("RETURN 1 AS one").single()["one"] == 1  # not terminated
        tx.rollback()
    assert graph_checksum(graph) == before


def test_plan_layer_accepts_the_project_read_queries(graph):
    """Every query the project documents for researchers, and ordinary reads, plan to allowed operators only."""
    write_sample(graph)
    from kg.store import research_queries
    queries = [q.cypher for q in vars(research_queries).values() if isinstance(q, ResearchQuery)]
    queries += ["MATCH (a:Person)-[:JOINED]->(o)<-[:JOINED]-(b) WHERE a <> b RETURN a, b",
                "MATCH p = shortestPath((a:Person)-[*..5]-(b:Organization)) RETURN p LIMIT 3",
                "MATCH (a:Person) WHERE NOT (a)-[:JOINED]->() RETURN a", "MATCH (a:Person) RETURN count{(a)-->()}",
                "MATCH (a:Person) WHERE EXISTS { MATCH (a)-->(:Organization) } RETURN a",
                "MATCH (a:Person), (b:Organization) RETURN a, b", "UNWIND range(1, 3) AS x RETURN x",
                "MATCH (a:Person)((x)-[:JOINED]->(y)){1,3}(b) RETURN a, b",
                "MATCH SHORTEST 1 (a:Person)-[*]-(b:Organization) RETURN a, b",
                "MATCH (a:Entity) WHERE a.name STARTS WITH 'D' RETURN a ORDER BY a.name SKIP 1 LIMIT 2",
                "MATCH (a:Person) RETURN a UNION MATCH (a:Organization) RETURN a",
                "MATCH (a:Person) CALL (a) { MATCH (a)-->(b) RETURN count(b) AS c } RETURN a, c",
                "CALL db.labels() YIELD label RETURN label", "CALL db.schema.visualization()",
                "MATCH ()-[r]->() RETURN count(r)", "MATCH (n) RETURN count(n)"]
    params = {"organization": "DeepMind", "company": "Microsoft", "from": "a", "to": "b", "since": "2020",
              "until": "2024", "parent": "Alphabet", "person": "x", "min": 1, "limit": 5, "fact_id": "x"}
    for query in queries:
        check_text(query)
        with graph.driver.session(database=graph.database) as session:
            summary = session.run(f"EXPLAIN {query}", params).consume()  # type: ignore[arg-type]
        check_plan(summary.query_type, summary.plan)


# ------------------------------------------------------------------------------------- 2-3. bounds on text
def test_deep_nesting_is_refused_before_neo4j_parses_it(client):
    """~19 KB of nested parentheses overflowed Neo4j's parser and hung a worker for 2 minutes."""
    for query in ("RETURN " + "(" * 9_000 + "1" + ")" * 9_000, "RETURN " + "[" * 40 + "1" + "]" * 40,
                  "RETURN " + "(" * 33 + "1" + ")" * 33):
        started = time.monotonic()
        response = client.post("/v1/cypher", json={"query": query})
        assert time.monotonic() - started < 1.0
        assert_problem(response, 400)
    ok = client.post("/v1/cypher", json={"query": "RETURN " + "(" * 30 + "1" + ")" * 30 + " AS x"})
    assert ok.status_code == 200 and ok.json()["rows"] == [[1]]


def test_planning_bombs_are_refused_or_stopped_by_the_timeout(graph):
    """`RETURN 2+2+…` with 9,000 terms cost 16.5 s of planning, twice. Now: refused by the token limit, and a
    query within the limits is planned inside the transaction's timeout."""
    with pytest.raises(UnsafeQueryError, match="characters"):
        check_text("RETURN " + "+".join(["2"] * 9_000))
    with pytest.raises(UnsafeQueryError, match="tokens"):
        check_text("RETURN " + "+".join(["2"] * 2_000))
    # A query just under the limits, with a tiny timeout: stopped (planning counts), never a hang.
    query = "RETURN " + "+".join(str(i) for i in range(700))
    started = time.monotonic()
    try:
        run_read_only(graph, query, timeout=0.05)
    except KgError as exc:
        assert "longer than" in str(exc) or "planned" in str(exc)
    assert time.monotonic() - started < 5.0


# ---------------------------------------------------------------------------------------- 4. amplification
def test_the_byte_cap_stops_reading_and_says_truncated(graph, neo4j_target):
    """A 95-byte query returned 105 MB. The byte cap stops reading at about KG_API_CYPHER_MAX_BYTES."""
    write_sample(graph)
    app = make_app(neo4j_target, cypher_row_cap=10_000_000, cypher_max_bytes=256 * 1024, cypher_timeout=10.0)
    query = "UNWIND range(1, 10000000) AS i RETURN i, '" + "x" * 100 + "' AS padding"
    with TestClient(app) as c:
        started = time.monotonic()
        response = c.post("/v1/cypher", json={"query": query})
        elapsed = time.monotonic() - started
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    assert body["truncated"] is True and body["truncatedReason"] == "bytes"
    assert 1_000 < body["rowCount"] < 3_000
    assert len(response.content) < 2 * 256 * 1024
    assert elapsed < 10.0
    rows = run_read_only(graph, "UNWIND range(1, 50) AS i RETURN i", row_cap=10)
    assert rows.truncated and rows.truncated_reason == "rows" and len(rows.rows) == 10


# ----------------------------------------------------------------------------------- 5. unauthenticated body
def test_unauthenticated_write_is_refused_before_the_body_is_read(graph, neo4j_target):
    """A 24 MB body without the key was parsed before the key was checked. Now the headers are enough: the server
    answers 401 (no key), 403 (wrong key) or 503 (no key configured) while the body is still unsent."""
    write_sample(graph)
    for settings, headers, status in (({"key": API_KEY}, "", 401), ({"key": API_KEY}, "X-API-Key: wrong\r\n", 403),
                                      ({}, "", 503)):
        app = make_app(neo4j_target, max_articles_per_request=20, max_article_chars=200_000, **settings)
        with serve(app) as base:
            port = int(base.rsplit(":", 1)[1])
            with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
                sock.sendall((f"POST /v1/articles HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}"
                              "Content-Type: application/json\r\nContent-Length: 24000000\r\n\r\n").encode())
                sock.sendall(b"[" + b" " * 65536)  # a little of the body, then nothing: the answer must not wait
                answer = sock.recv(65536).decode("latin-1")
        assert answer.startswith(f"HTTP/1.1 {status}"), answer[:200]
        assert PROBLEM in answer


# -------------------------------------------------------------------------------------- 6. never a 5xx
def test_deep_results_are_cut_at_the_documented_depth(client):
    response = client.post("/v1/cypher", json={"query": "RETURN reduce(x = [], i IN range(1, 200) | [x]) AS deep, "
                                                        "reduce(m = {}, i IN range(1, 200) | {a: m}) AS map"})
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    assert body["valuesCut"] == 2
    value = body["rows"][0][0]
    depth = 0
    while isinstance(value, list):
        value, depth = value[0], depth + 1
    assert value == CUT_MARKER and depth == guard.MAX_VALUE_DEPTH


def test_parameters_neo4j_cannot_take_are_4xx(client):
    for params in ({"x": 2 ** 63}, {"x": -(2 ** 63) - 1}, {"x": [1, {"y": 2 ** 70}]}, {"x": {"k": [[[2 ** 64]]]}},
                   {"x": json.loads('"a\\ud800b"')}, {"x": [json.loads('"\\udfff"')]},
                   {"x": {json.loads('"\\ud800"'): 1}}, {"x": json.loads("[" * 40 + "]" * 40)}):
        raw = json.dumps({"query": "RETURN $x AS x", "parameters": params})
        response = client.post("/v1/cypher", content=raw, headers={"content-type": "application/json"})
        assert_problem(response, 400)
    ok = client.post("/v1/cypher", json={"query": "RETURN $x AS x", "parameters": {"x": 2 ** 63 - 1}})
    assert ok.status_code == 200 and ok.json()["rows"] == [[2 ** 63 - 1]]


def test_cursors_are_validated_by_type(client):
    def cursor(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    for bad in ({"s": "entities", "o": True}, {"s": "entities", "o": 1.5}, {"s": "entities", "o": "3"},
                {"s": "entities", "o": -1}, {"s": "entities", "o": 2 ** 70}):
        assert_problem(client.get("/v1/entities", params={"q": "DeepMind", "cursor": cursor(bad)}), 400)
    for bad in ({"s": "facts", "k": True, "i": "x"}, {"s": "facts", "k": "x", "i": json.loads('"\\ud800"')},
                {"s": "facts", "k": ["x"], "i": "x"}):
        assert_problem(client.get("/v1/facts", params={"cursor": cursor(bad)}), 400)


def test_server_errors_become_plain_4xx_sentences(client):
    for query in ("MATCH (n RETURN n", "RETURN x", "RETURN 1/0", "MATCH (n) RETURN n ORDER BY",
                  "RETURN toInteger([1])", "WITH 1 AS a RETURN b", "RETURN date('2020-13-45')"):
        body = assert_problem(client.post("/v1/cypher", json={"query": query}), 400)
        assert body["type"].endswith(("query-failed", "unsafe-query")), body


# ------------------------------------------------------------------------------------------- warnings
def test_warnings_carry_neo4j_notifications(client):
    body = client.post("/v1/cypher", json={"query": "MATCH (n:Nope) RETURN n.zork AS z"}).json()
    titles = " ".join(w["title"] for w in body["warnings"])
    assert "label does not exist" in titles and "property key does not exist" in titles, body["warnings"]
    assert all(w["line"] == 1 and w["column"] for w in body["warnings"])
    product = client.post("/v1/cypher", json={"query": "MATCH (a:Person), (b:Organization) RETURN count(*) AS n"})
    assert any("cartesian" in w["description"].lower() for w in product.json()["warnings"]), product.json()
    assert client.post("/v1/cypher", json={"query": "MATCH (e:Entity) RETURN count(e) AS n"}).json()["warnings"] == []


# ------------------------------------------------------------------------------------------- rate limit
def test_token_bucket_refills_at_the_configured_rate():
    now = [0.0]
    buckets = TokenBuckets(per_minute=60, burst=3, clock=lambda: now[0], max_clients=2)
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a") == pytest.approx(1.0)
    assert buckets.take("b") == 0.0  # per client
    now[0] += 1.0
    assert buckets.take("a") == 0.0 and buckets.take("a") > 0
    buckets.take("c")  # a third client: the least recently seen is dropped
    assert len(buckets._buckets) == 2


def test_rate_limit_applies_to_cypher_and_writes_not_reads(graph, neo4j_target):
    write_sample(graph)
    app = make_app(neo4j_target, key=API_KEY, rate_limit_per_minute=6, rate_limit_burst=3, rate_limit_loopback=True)
    with TestClient(app, raise_server_exceptions=False) as c:
        statuses = [c.post("/v1/cypher", json={"query": "RETURN 1 AS x"}).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert_problem(c.post("/v1/articles", headers={"X-API-Key": API_KEY}, json=[]), 429)  # the same bucket
        assert [c.get("/health").status_code for _ in range(10)] == [200] * 10
        limited = c.post("/v1/cypher", json={"query": "RETURN 1 AS x"})
        assert_problem(limited, 429)
        assert int(limited.headers["retry-after"]) >= 1
    # Off by default on loopback: local tools and tests are not limited.
    with TestClient(make_app(neo4j_target, rate_limit_burst=1)) as c:
        assert {c.post("/v1/cypher", json={"query": "RETURN 1 AS x"}).status_code for _ in range(5)} == {200}


# --------------------------------------------------------------------------------------- local server
def test_local_server_sets_transaction_limits(graph, neo4j_target):
    if not neo4j_target.origin.startswith("local"):
        pytest.skip("the limits are written by kg/neo4j_local for the local server")
    with graph.driver.session(database=graph.database) as session:
        settings = {r["name"]: r["value"] for r in session.run(
            "SHOW SETTINGS YIELD name, value WHERE name IN ['db.transaction.timeout', 'db.memory.transaction.max', "
            "'server.bolt.connection_keep_alive', 'db.logs.query.parameter_logging_enabled'] RETURN name, value")}
    assert settings["db.transaction.timeout"] in ("5m", "300s", "PT5M")
    assert settings["db.memory.transaction.max"].lower() in ("256m", "256.00mib", "268435456", "256.00 mib")
    assert settings["db.logs.query.parameter_logging_enabled"] == "false"
    with pytest.raises(KgError, match="memory"):
        run_read_only(graph, "UNWIND range(1, 30000000) AS i RETURN collect(i) AS all", timeout=30)


def test_cypher_queries_beyond_the_concurrency_limit_get_503_while_reads_go_on(graph, neo4j_target):
    import threading

    import httpx
    write_sample(graph)
    app = make_app(neo4j_target, cypher_max_concurrent=1, cypher_timeout=4.0)
    slow_query = "MATCH (a), (b), (c), (d) UNWIND range(1, 10000000) AS i RETURN count(*) AS n"
    statuses: list[int] = []
    with serve(app) as base:
        def slow() -> None:
            statuses.append(httpx.post(base + "/v1/cypher", json={"query": slow_query}, timeout=30).status_code)

        worker = threading.Thread(target=slow)
        worker.start()
        time.sleep(0.5)
        started = time.monotonic()
        busy = httpx.post(base + "/v1/cypher", json={"query": "RETURN 1 AS x"}, timeout=30)
        waited = time.monotonic() - started
        health = httpx.get(base + "/health", timeout=5)
        worker.join(timeout=30)
        after = httpx.post(base + "/v1/cypher", json={"query": "RETURN 1 AS x"}, timeout=30)
    assert busy.status_code == 503 and busy.headers["retry-after"] == "2", busy.text[:300]
    assert "already running" in busy.json()["detail"] and 1.5 < waited < 4.0
    assert health.status_code == 200
    assert statuses == [400]  # the slow one hit its timeout
    assert after.status_code == 200  # the slot was given back


def test_cypher_endpoint_can_run_as_its_own_neo4j_user(graph, neo4j_target):
    """KG_API_CYPHER_NEO4J_USER/PASSWORD: users' queries run as that user (a reader role on Enterprise or Aura;
    on Community a second user has every privilege, so this is only the plumbing)."""
    write_sample(graph)
    password = "reader-password-7f3a9c1d"
    with graph.driver.session(database="system") as system:
        system.run("CREATE OR REPLACE USER kg_test_reader SET PLAINTEXT PASSWORD $p CHANGE NOT REQUIRED",
                   p=password).consume()
    try:
        wrong = make_app(neo4j_target, cypher_neo4j_user="kg_test_reader", cypher_neo4j_password="not-it-000000")
        with TestClient(wrong, raise_server_exceptions=False) as c:
            refused = c.post("/v1/cypher", json={"query": "MATCH (e:Entity) RETURN count(e) AS n"})
            assert refused.status_code == 503 and "kg_test_reader" in refused.json()["detail"], refused.text[:300]
            assert "not-it" not in refused.text
            assert c.get("/v1/entities", params={"q": "DeepMind"}).status_code == 200  # the API's own connection
        right = make_app(neo4j_target, cypher_neo4j_user="kg_test_reader", cypher_neo4j_password=password)
        with TestClient(right) as c:
            ok = c.post("/v1/cypher", json={"query": "MATCH (e:Entity) RETURN count(e) AS n"})
            assert ok.status_code == 200 and ok.json()["rows"] == [[5]], ok.text[:300]
    finally:
        with graph.driver.session(database="system") as system:
            system.run("DROP USER kg_test_reader IF EXISTS").consume()
