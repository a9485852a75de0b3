"""`kg entities ...`, `kg facts ...` and `kg curation log` from the command line, against a real Neo4j; a merged-away
entity is also absent from the RDF export."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from kg.cli.main import app
from kg.model import fact_id_for
from kg.rdf.export import UnknownEntityError, export_graph
from kg.rdf.terms import ID, node_iri
from kg.store import GraphConnection, GraphWriter, reader
from tests.test_curation import APPLE, APPLE_TV, GIANT, GIANT_CO, extractions

runner = CliRunner()


def test_cli_merge_reject_log_and_split(graph: GraphConnection, neo4j_env: dict[str, str]) -> None:
    del neo4j_env  # points the CLI at the test server
    GraphWriter(graph, "v1").write_batch(extractions())
    merged = runner.invoke(app, ["entities", "merge", GIANT_CO.id, GIANT.id, "--why", "same", "--by", "ivy"])
    assert merged.exit_code == 0, merged.output
    assert "merge" in merged.output and "ivy" in merged.output
    assert reader.get_entity(graph, GIANT.id) is None
    with pytest.raises(UnknownEntityError):
        export_graph(graph, "turtle", GIANT.id)
    assert f"<{node_iri('entity', GIANT.id, ID)}>" not in export_graph(graph, "ntriples")
    owns = fact_id_for(APPLE.id, "OWNS", APPLE_TV.id)
    rejected = runner.invoke(app, ["facts", "reject", owns, "--why", "wrong", "--by", "ivy"])
    assert rejected.exit_code == 0 and reader.get_fact(graph, owns) is None
    log = runner.invoke(app, ["curation", "log", "--limit", "5"])
    assert log.exit_code == 0 and log.output.index("reject") < log.output.index("merge")
    again = runner.invoke(app, ["entities", "merge", GIANT_CO.id, GIANT_CO.id, "--why", "x"])
    assert again.exit_code != 0
    split = runner.invoke(app, ["entities", "split", GIANT_CO.id, GIANT.id, "--why", "no"])
    assert split.exit_code == 0 and reader.get_entity(graph, GIANT.id) is not None
