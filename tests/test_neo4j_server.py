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
