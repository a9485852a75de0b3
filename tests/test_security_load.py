"""Issue 13, done-when: 1,000 generated guard inputs leave the graph, schema, users and settings unchanged; under 40
concurrent pathological Cypher queries the API keeps answering /health and a plain search within 1 s.

Everything runs on 127.0.0.1 only, in bounded loops."""

from __future__ import annotations

import hashlib
import json
import random
import threading
import time

import httpx
import pytest
from api_graphs import write_sample
from api_server import serve
from test_cypher_guard import graph_checksum

from api.app import create_app
from api.settings import ApiSettings
from kg.errors import KgError
from kg.store import GraphConnection, connect
from kg.store import cypher_guard as guard
from kg.store.cypher_guard import run_read_only

COMMENTS = ["//", "// note ", "/* x */", "/**/", "/* SHOW */", "/*\n*/", "// SHOW\n"]
TERMINATORS = ["\n", "\r", "\r\n", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\\u000a", "\\u000d", "\\u2028",
               "\\u000A", " ", "\t"]
ESCAPES = ["\\u0053HOW", "\\u0060", "\\u0027", "\\u0022", "\\u002a/", "\\\\u000a", "\\U000a"]
BACKTICKS = ["`SHOW`", "`x` ", "``", "`a``b`", "`", "`\n`", "`//`"]
PAYLOADS = ["SHOW TRANSACTIONS YIELD transactionId, currentQuery, parameters RETURN *", "SHOW SETTINGS",
            "SHOW USERS", "SHOW PROCEDURES", "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
            "CALL dbms.killQueries(['query-1'])", "CALL db.createLabel('Hack')", "CALL `db.createLabel`('Hack')",
            "CALL db.createProperty('hack')", "LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r", "CREATE (:Hack)",
            "CREATE USER hacker SET PASSWORD 'password123456'", "USE system SHOW USERS",
            "USE system CREATE USER h2 SET PASSWORD 'password123456'", "CALL { CREATE (:Hack) }",
            "MERGE (:Hack {x: 1})", "MATCH (n) SET n.hacked = true", "MATCH (n) DETACH DELETE n",
            "ALTER USER neo4j SET PASSWORD 'password123456'",
            "CALL dbms.setConfigValue('db.logs.query.enabled', 'OFF')",
            "CALL db.clearQueryCaches()", "CREATE INDEX hack FOR (n:Hack) ON (n.x)",
            "FOREACH (x IN [1] | CREATE (:Hack))", "RETURN 1 AS x", "MATCH (n:Entity) RETURN n.name"]
PREFIXES = ["", "RETURN 1 AS a ", "MATCH (n) ", "WITH 1 AS x ", "CYPHER ", "EXPLAIN ", "PROFILE ", "CALL ", "USE ",
            "LOAD ", "'", "\"", "RETURN '"]


def generated_inputs(count: int, seed: int = 13) -> list[str]:
    rng = random.Random(seed)
    parts = [COMMENTS, TERMINATORS, ESCAPES, BACKTICKS]
    inputs = []
    while len(inputs) < count:
        pieces = [rng.choice(PREFIXES)]
        for _ in range(rng.randint(1, 4)):
            pieces.append(rng.choice(rng.choice(parts)))
        pieces.append(rng.choice(PAYLOADS))
        if rng.random() < 0.3:
            pieces.append(rng.choice(rng.choice(parts)))
        query = "".join(pieces)
        if rng.random() < 0.2:
            query = query.lower() if rng.random() < 0.5 else query.swapcase()
        inputs.append(query)
    return inputs


def full_checksum(conn: GraphConnection) -> str:
    """Data, schema (indexes, constraints, labels, property keys), users and settings."""
    parts = [graph_checksum(conn)]
    with conn.driver.session(database=conn.database) as session:
        parts.append(json.dumps(session.run("SHOW CONSTRAINTS YIELD name RETURN collect(name) AS c").single()["c"]))
        settings = session.run("SHOW SETTINGS YIELD name, value RETURN name, value ORDER BY name").data()
        parts.append(json.dumps(settings))
    with conn.driver.session(database="system") as system:
        users = system.run("SHOW USERS YIELD user, passwordChangeRequired, suspended RETURN user, "
                           "passwordChangeRequired, suspended ORDER BY user").data()
        parts.append(json.dumps(users))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@pytest.mark.slow
def test_a_thousand_generated_inputs_change_nothing(graph, monkeypatch):
    write_sample(graph)
    inputs = generated_inputs(1_000)
    assert len(set(inputs)) > 900
    before = full_checksum(graph)
    with graph.driver.session(database=graph.database) as other:
        canary = other.begin_transaction(timeout=300)  # another client's transaction: must not be terminated
        canary.run("RETURN $token AS t", token="canary-token-8d2f").consume()
        accepted_full, accepted_plan_only = [], []
        columns: set[str] = set()
        for query in inputs:
            try:
                columns.update(run_read_only(graph, query, timeout=5.0, row_cap=10).columns)
                accepted_full.append(query)
            except KgError as exc:
                assert "canary-token" not in str(exc)
        # The plan layer alone (text layer reduced to nothing) on the same inputs.
        with monkeypatch.context() as patch:
            patch.setattr(guard, "check_text", lambda query, *_: query.strip().rstrip(";"))
            for query in inputs:
                try:
                    result = run_read_only(graph, query, timeout=5.0, row_cap=10)
                    columns.update(result.columns)
                    accepted_plan_only.append(query)
                    assert "canary-token" not in json.dumps(result.rows, default=str)
                except KgError as exc:
                    assert "canary-token" not in str(exc)
        assert canary.run("RETURN 1 AS one").single()["one"] == 1
        canary.rollback()
    assert full_checksum(graph) == before
    assert graph.run("MATCH (n:Hack) RETURN count(n) AS n")[0]["n"] == 0
    # What got through is only the harmless reads the generator also makes (payload commented out, or a read):
    # no column of SHOW TRANSACTIONS / SETTINGS / USERS / PROCEDURES or TERMINATE came back.
    assert accepted_full and len(accepted_plan_only) >= len(accepted_full)
    admin_columns = {"transactionId", "currentQuery", "parameters", "value", "user", "roles", "signature",
                     "message", "username", "defaultValue"}
    assert columns and not columns & admin_columns, columns


PATHOLOGICAL = [
    "RETURN " + "(" * 9_000 + "1" + ")" * 9_000,  # parser stack
    "RETURN " + "+".join(str(i) for i in range(1_400)),  # planning, under the token limit
    "UNWIND range(1, 100000000) AS i RETURN i, '" + "x" * 200 + "' AS pad",  # amplification
    "MATCH (a), (b), (c), (d) UNWIND range(1, 1000000) AS i RETURN count(*)",  # CPU until the timeout
    "RETURN reduce(x = [], i IN range(1, 300) | [x]) AS deep",  # deep result
    "UNWIND range(1, 3000000) AS i WITH collect(i) AS c UNWIND c AS j RETURN sum(j)",  # memory
]


@pytest.mark.slow
def test_health_and_search_answer_within_a_second_under_40_pathological_queries(graph, neo4j_target):
    write_sample(graph)
    app = create_app(ApiSettings(cypher_timeout=5.0), connection_factory=lambda: connect(neo4j_target.settings()))
    statuses: list[int] = []
    failures: list[str] = []
    with serve(app) as base:
        assert base.startswith("http://127.0.0.1:")
        with httpx.Client(base_url=base, timeout=30) as http:  # a running server: query plans compiled once
            assert http.get("/v1/entities", params={"q": "DeepMind"}).status_code == 200

        def attack(query: str) -> None:
            try:
                with httpx.Client(base_url=base, timeout=120) as http:
                    response = http.post("/v1/cypher", json={"query": query})
                    statuses.append(response.status_code)
                    assert len(response.content) < 8 * 1024 * 1024
            except Exception as exc:  # recorded, asserted below
                failures.append(repr(exc))

        threads = [threading.Thread(target=attack, args=(PATHOLOGICAL[i % len(PATHOLOGICAL)],), daemon=True)
                   for i in range(40)]
        for thread in threads:
            thread.start()
        slow: list[tuple[str, float, int]] = []
        probes = 0
        deadline = time.monotonic() + 60
        with httpx.Client(base_url=base, timeout=10) as http:
            time.sleep(0.5)  # let the attack start
            while time.monotonic() < deadline and (probes < 10 or any(t.is_alive() for t in threads)):
                for path, params in (("/health", {}), ("/v1/entities", {"q": "DeepMind"})):
                    started = time.monotonic()
                    response = http.get(path, params=params)
                    elapsed = time.monotonic() - started
                    probes += 1
                    if response.status_code != 200 or elapsed > 1.0:
                        slow.append((path, round(elapsed, 2), response.status_code, probes))
                time.sleep(0.2)
        for thread in threads:
            thread.join(timeout=120)
    assert failures == []
    assert len(statuses) == 40
    assert all(s < 500 or s == 503 for s in statuses), statuses  # 503 only as "too many Cypher queries at once"
    assert 200 in statuses and any(400 <= s < 500 for s in statuses), statuses
    assert probes >= 10
    assert slow == [], slow


@pytest.mark.slow
def test_a_value_nested_thousands_deep_is_a_4xx_not_a_hang(graph, neo4j_target):
    """Neo4j 5.26 overflows its stack sending a value nested ~5,000 deep and drops the connection without an error;
    the guard turns that into a 400 once the driver gives up (30 s on the local server), and the server still
    answers."""
    if not neo4j_target.origin.startswith("local"):
        pytest.skip("the 30 s bound comes from the local server's keep-alive settings")
    started = time.monotonic()
    with pytest.raises(KgError, match="nested"):
        run_read_only(graph, "RETURN reduce(x = [], i IN range(1, 8000) | [x]) AS deep", timeout=10.0)
    assert time.monotonic() - started < 60
    assert run_read_only(graph, "RETURN 1 AS one").rows == [[1]]
