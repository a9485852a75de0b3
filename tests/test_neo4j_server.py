"""The test server is a real Neo4j 5.26 that reads and writes."""

from kg.store import GraphConnection, apply_schema


def test_server_is_real_neo4j_5_26(graph: GraphConnection, neo4j_target) -> None:
    version = graph.server_version()
    print(f"Neo4j under test: {version} ({neo4j_target.origin})")
    assert version.startswith("5.26")
    graph.run("CREATE (:Probe {n: 1})")
    assert graph.run("MATCH (p:Probe) RETURN p.n AS n")[0]["n"] == 1


def test_schema_applies_twice_harmlessly(graph: GraphConnection) -> None:
    first = apply_schema(graph)
    constraints_before = {r["name"] for r in graph.run("SHOW CONSTRAINTS YIELD name")}
    indexes_before = {r["name"] for r in graph.run("SHOW INDEXES YIELD name")}
    second = apply_schema(graph)
    assert first == second
    assert {r["name"] for r in graph.run("SHOW CONSTRAINTS YIELD name")} == constraints_before
    assert {r["name"] for r in graph.run("SHOW INDEXES YIELD name")} == indexes_before
    assert {"entity_id", "article_id", "evidence_id", "fact_id_hired_from"} <= constraints_before
    assert "entity_names" in indexes_before


def test_entity_id_constraint_is_enforced(graph: GraphConnection) -> None:
    import pytest
    from neo4j.exceptions import ConstraintError

    from kg.errors import GraphQueryError

    graph.run("CREATE (:Entity {id: 'x'})")
    with pytest.raises(GraphQueryError) as refused:  # driver errors leave kg.store as project errors
        graph.run("CREATE (:Entity {id: 'x'})")
    assert isinstance(refused.value.__cause__, ConstraintError)
    assert "ConstraintValidationFailed" in (refused.value.code or "")


def test_reads_run_in_read_mode_and_driver_errors_leave_as_project_errors(graph: GraphConnection) -> None:
    """kg.store.connection is the driver boundary: `read` asks for a reader (routing READ), so the server refuses a
    write sent through it; a server that does not answer is a Neo4jUnavailableError, the driver's error its cause."""
    import pytest
    from neo4j import GraphDatabase
    from neo4j.exceptions import ServiceUnavailable

    from kg.errors import GraphQueryError, Neo4jUnavailableError
    from kg.neo4j_local.server import free_port
    from kg.store import GraphWriter

    assert graph.read("RETURN 1 AS one")[0]["one"] == 1
    with pytest.raises(GraphQueryError):
        graph.read("CREATE (:Entity {id: 'written-through-read'})")
    assert graph.run("MATCH (e:Entity {id: 'written-through-read'}) RETURN count(e) AS n")[0]["n"] == 0

    nowhere = f"bolt://127.0.0.1:{free_port()}"
    driver = GraphDatabase.driver(nowhere, auth=("neo4j", "x"), max_transaction_retry_time=0, connection_timeout=2)
    with GraphConnection(driver, "neo4j", nowhere) as down:
        for attempt in (lambda: down.read("RETURN 1"), lambda: down.run("RETURN 1"), down.ping,
                        lambda: GraphWriter(down).ensure_schema()):
            with pytest.raises(Neo4jUnavailableError, match="run the command again") as refused:
                attempt()
            assert isinstance(refused.value.__cause__, (ServiceUnavailable, OSError))
