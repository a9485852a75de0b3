"""The read-only Cypher guard: every attempt to write or escape is refused and the graph is unchanged; ordinary
read queries (including ones that merely mention write keywords in strings, comments or property names) run."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator

import pytest
from api_graphs import write_sample
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import ApiSettings
from kg.errors import UnsafeQueryError
from kg.store import GraphConnection, connect
from kg.store.cypher_guard import check_plan, check_text, run_read_only

ATTACKS = [
    # plain writes
    "CREATE (n:Hack) RETURN n",
    "MERGE (n:Hack {id: 1}) RETURN n",
    "MATCH (n:Entity) SET n.name = 'pwned' RETURN n",
    "MATCH (n:Entity) SET n:Hack RETURN n",
    "MATCH (n:Entity) REMOVE n.name RETURN n",
    "MATCH (n:Evidence) DELETE n",
    "MATCH (n) DETACH DELETE n",
    "MATCH (n) WITH n cReAtE (:Hack)",
    "MATCH (n) WHERE n.name = 'x'\n  SET n.y = 1 RETURN n",
    "CREATE\t(:Hack)",
    "MATCH (n) RETURN n UNION CREATE (m:Hack) RETURN m",
    "FOREACH (x IN [1, 2] | CREATE (:Hack))",
    "WITH 1 AS x CALL { CREATE (:Hack) } RETURN x",
    "PROFILE MATCH (n) DETACH DELETE n",
    "CALL db.index.fulltext.queryNodes('entity_names', 'deepmind') YIELD node SET node.hack = 1 RETURN node",
    # batched writes
    "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS",
    "UNWIND range(1, 10) AS i CALL { WITH i CREATE (:Hack {i: i}) } IN TRANSACTIONS OF 2 ROWS",
    # files and network
    "LOAD CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "LOAD CSV WITH HEADERS FROM 'http://127.0.0.1:9/x.csv' AS row RETURN row",
    "LOAD\nCSV FROM 'file:///etc/passwd' AS row RETURN row",
    "LOAD/**/CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "CALL apoc.load.json('file:///etc/passwd') YIELD value RETURN value",
    "RETURN apoc.version() AS v",
    "CALL apoc.cypher.runWrite('CREATE (:Hack)', {}) YIELD value RETURN value",
    # procedures outside the allow-list
    "CALL dbms.components() YIELD name RETURN name",
    "CALL dbms.security.createUser('hacker', 'password123', false)",
    "CALL dbms.killQueries(['query-1'])",
    "CALL db.createLabel('Hack')",
    "CALL db.createProperty('hack')",
    "UNWIND [1] AS x CALL db.createRelationshipType('HACK') RETURN x",
    "call DB.CREATELABEL('Hack')",
    "CALL `db`.`createLabel`('Hack')",
    "CALL `dbms.security.createUser`('hacker', 'password123', false)",
    "CALL db.clearQueryCaches()",
    # several statements
    "MATCH (n) RETURN n; CREATE (:Hack)",
    "MATCH (n) RETURN count(n) /* one */ ; MATCH (m) DETACH DELETE m",
    "RETURN 1;\nRETURN 2",
    # comments and string tricks
    "MATCH (n) RETURN n // harmless\nCREATE (:Hack)",
    'RETURN "x\\\\" CREATE (:Hack) RETURN 1 //"',
    "MATCH (n) RETURN n /* unclosed CREATE (:Hack)",
    "RETURN 'unclosed string CREATE (:Hack)",
    # Unicode tricks
    "ＣＲＥＡＴＥ (:Hack)",
    "CRE\u200bATE (:Hack)",
    "\u0421REATE (:Hack)",  # Cyrillic Es
    "LOAD\u00a0CSV FROM 'file:///etc/passwd' AS row RETURN row",
    "MATCH (n) RETURN n\u2028CREATE (:Hack)",
    "MATCH (n) RETURN n \u202e)kcaH:( ETAERC",
    "MATCH (n) RETURN n\x00CREATE (:Hack)",
    # schema and admin commands
    "CREATE USER hacker SET PASSWORD 'password123'",
    "ALTER USER neo4j SET PASSWORD 'password123'",
    "SHOW USERS",
    "USE system SHOW USERS",
    "USE system MATCH (n) RETURN n",
    "STOP DATABASE neo4j",
    "START DATABASE neo4j",
    "DROP CONSTRAINT entity_id",
    "DROP INDEX entity_name",
    "CREATE INDEX hack FOR (n:Hack) ON (n.x)",
    "GRANT ROLE admin TO neo4j",
    "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "SHOW TRANSACTIONS",
    # issue 13: line terminators and escapes Neo4j reads differently from a naive scanner, options
    "//\rSHOW TRANSACTIONS YIELD transactionId, currentQuery, parameters RETURN *",
    "//\rTERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "MATCH (n) RETURN n //\\u000aCREATE (:Hack)",
    "RETURN 'x\\u0027 CREATE (:Hack) //'",
    "CYPHER debug=ast RETURN 1",
    "",
    "   ",
]

READS = [
    ("MATCH (e:Entity) RETURN count(e) AS n", [[5]]),
    ("MATCH (e:Entity {name: 'CREATE (:Hack)'}) RETURN count(e) AS n", [[0]]),  # keyword inside a string
    ("MATCH (e:Entity) // DETACH DELETE e\nRETURN count(e) AS n", [[5]]),  # keyword inside a comment
    ("MATCH (e:Entity) WITH {set: 1, start: 2} AS m RETURN DISTINCT m.set + m.start AS n", [[3]]),  # map keys
    ("MATCH (e:Entity) RETURN count(e) AS n;", [[5]]),  # one trailing semicolon
    ("CALL db.labels() YIELD label WHERE label = 'Person' RETURN label", [["Person"]]),
    ("CALL { MATCH (e:Person) RETURN e } RETURN e.name AS name", [["Igor Babuschkin"]]),
    ("MATCH (e:Entity {name: 'Société Générale'}) RETURN e.name AS name", [["Société Générale"]]),
    ("CALL db.index.fulltext.queryNodes('entity_names', 'deepmind') YIELD node RETURN node.name AS name",
     [["DeepMind"]]),
]


def graph_checksum(conn: GraphConnection) -> str:
    """A digest of every node (labels, properties) and relationship (type, ends, properties), plus the schema."""
    nodes = conn.run("MATCH (n) RETURN labels(n) AS l, properties(n) AS p")
    rels = conn.run("MATCH (a)-[r]->(b) RETURN type(r) AS t, elementId(a) AS a, elementId(b) AS b, "
                    "properties(r) AS p")
    schema = conn.run("SHOW INDEXES YIELD name RETURN collect(name) AS names")[0]["names"]
    labels = conn.run("CALL db.labels() YIELD label RETURN collect(label) AS labels")[0]["labels"]
    keys = conn.run("CALL db.propertyKeys() YIELD propertyKey RETURN collect(propertyKey) AS keys")[0]["keys"]
    parts = sorted(json.dumps([sorted(r["l"]), r["p"]], sort_keys=True, default=str) for r in nodes)
    parts += sorted(json.dumps([r["t"], r["a"], r["b"], r["p"]], sort_keys=True, default=str) for r in rels)
    parts += [json.dumps([sorted(schema), sorted(labels), sorted(keys)])]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@pytest.fixture
def client(graph: GraphConnection, neo4j_target) -> Iterator[TestClient]:
    write_sample(graph)
    app = create_app(ApiSettings(cypher_timeout=5.0), connection_factory=lambda: connect(neo4j_target.settings()))
    with TestClient(app) as c:
        yield c


def test_there_are_at_least_thirty_attacks():
    assert len(ATTACKS) >= 30 and len(set(ATTACKS)) == len(ATTACKS)


def test_every_attack_is_refused_and_the_graph_is_unchanged(client, graph):
    before = graph_checksum(graph)
    accepted = []
    for query in ATTACKS:
        response = client.post("/v1/cypher", json={"query": query})
        if response.status_code not in (400, 422) or not response.headers["content-type"].startswith(
                "application/problem+json"):
            accepted.append((query, response.status_code, response.text[:200]))
    assert accepted == []
    assert graph_checksum(graph) == before
    assert graph.run("MATCH (n:Hack) RETURN count(n) AS n")[0]["n"] == 0


def test_every_attack_is_refused_by_the_guard_itself(graph):
    write_sample(graph)
    before = graph_checksum(graph)
    for query in ATTACKS:
        with pytest.raises(Exception) as caught:
            run_read_only(graph, query, timeout=5.0)
        assert caught.type.__module__.startswith("kg."), (query, caught.value)
    assert graph_checksum(graph) == before


def test_read_queries_run(client):
    for query, rows in READS:
        response = client.post("/v1/cypher", json={"query": query})
        assert response.status_code == 200, (query, response.text)
        assert response.json()["rows"] == rows, query


def test_text_layer_refuses_with_a_reason():
    with pytest.raises(UnsafeQueryError, match="Only one statement"):
        check_text("RETURN 1; RETURN 2")
    with pytest.raises(UnsafeQueryError, match="LOAD CSV"):
        check_text("LOAD CSV FROM 'file:///x' AS r RETURN r")
    with pytest.raises(UnsafeQueryError, match="U\\+200B"):
        check_text("RETURN 1\u200b")
    with pytest.raises(UnsafeQueryError, match="db.createLabel.*db.labels"):
        check_text("CALL db.createLabel('X')")
    assert check_text("MATCH (n) RETURN n ;") == "MATCH (n) RETURN n"
    assert check_text("RETURN 'a;b' AS x") == "RETURN 'a;b' AS x"


def test_plan_layer_refuses_writes_on_its_own(graph):
    """Even if the text layer were fooled, EXPLAIN's query type and plan refuse a write."""
    def explain(query: str):
        with graph.driver.session(database=graph.database) as session:
            return session.run(f"EXPLAIN {query}").consume()

    for query in ("CREATE (:Hack)", "MATCH (n) SET n.x = 1", "CALL db.createLabel('Hack')",
                  "CALL dbms.components() YIELD name RETURN name"):
        summary = explain(query)
        with pytest.raises(UnsafeQueryError):
            check_plan(summary.query_type, summary.plan)
    summary = explain("CALL db.labels() YIELD label RETURN label")
    check_plan(summary.query_type, summary.plan)  # a read through an allowed procedure passes
