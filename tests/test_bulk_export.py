"""`kg bulk-export`: CSV files that Neo4j's own importer loads into a fresh database, giving the same graph."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from graph_snapshots import snapshot
from typer.testing import CliRunner

from kg.bulk_export import ARRAY_DELIMITER, BulkExportError, bulk_export, column_type, manifest_of
from kg.model import Article, ArticleExtraction, Entity, Evidence, Fact, Qualifiers
from kg.neo4j_local import LocalNeo4j
from kg.neo4j_local.server import ADMIN_TOOL, free_port
from kg.settings import LocalNeo4jSettings, Neo4jSettings
from kg.store import GraphConnection, GraphWriter, apply_schema, connect


def _article(article_id: str, text: str, published: str) -> Article:
    return Article(id=article_id, text=text, title=f'Title "{article_id}", with, commas', url=None,
                   published=published, lang="en", source="test")


def _fact(article: Article, subject: Entity, predicate: str, obj: Entity, sentence: str,
          qualifiers: Qualifiers | None = None, confidence: float = 0.9) -> Fact:
    start = article.text.index(sentence)
    return Fact(subject, predicate, obj, qualifiers or Qualifiers(),
                [Evidence(article.id, sentence, start, start + len(sentence), "rules-test", confidence)])


def tricky_extractions() -> list[ArticleExtraction]:
    """Quotes, commas, semicolons, line breaks, accents, missing and present qualifiers, a symmetric fact."""
    acme = Entity.named("Acme; Inc.", "Organization", kind="company", aliases={'ACME "the big one"', "Acme"},
                        wikidata_id="Q42")
    societe = Entity.named("Société Générale", "Organization", kind="company", aliases={"SocGen"})
    ada = Entity.named("Ada Lovelace", "Person")
    phone = Entity.named("Acme Phone", "Product", kind="hardware")
    letter = Entity.named("Open letter on AI", "Document", kind="open_letter")
    first = _article("a-1", 'Acme; Inc. bought Société Générale.\n\nAda Lovelace joined Acme; Inc. as "CTO".\n'
                            "Acme; Inc. launched Acme Phone, priced at $1,000.", "2024-03-05")
    second = _article("a-2", "Société Générale partnered with Acme; Inc.\r\nAda Lovelace signed Open letter on AI.",
                      "2024-04")
    return [
        ArticleExtraction(first, [acme, societe, ada, phone], [
            _fact(first, acme, "ACQUIRED", societe, "Acme; Inc. bought Société Générale.",
                  Qualifiers(date="2024-03", amount=2.5e9, currency="EUR", status="completed", approximate=True)),
            _fact(first, ada, "JOINED", acme, 'Ada Lovelace joined Acme; Inc. as "CTO".',
                  Qualifiers(role="chief technology officer")),
            _fact(first, acme, "LAUNCHED", phone, "Acme; Inc. launched Acme Phone, priced at $1,000.",
                  Qualifiers(quantity=3.0), confidence=0.75),
        ]),
        ArticleExtraction(second, [acme, societe, ada, letter], [
            _fact(second, societe, "PARTNERED_WITH", acme, "Société Générale partnered with Acme; Inc.",
                  Qualifiers(modality="reported", reported_by="Reuters")),
            _fact(second, ada, "SIGNED", letter, "Ada Lovelace signed Open letter on AI."),
        ]),
    ]


def test_column_types_follow_the_values() -> None:
    assert column_type(["STRING NOT NULL"]) == "string"
    assert column_type(["INTEGER NOT NULL"]) == "long"
    assert column_type(["INTEGER NOT NULL", "FLOAT NOT NULL"]) == "double"
    assert column_type(["BOOLEAN NOT NULL"]) == "boolean"
    assert column_type(["LIST<STRING NOT NULL> NOT NULL"]) == "string[]"
    assert column_type(["STRING NOT NULL", "INTEGER NOT NULL"]) == "string"


@pytest.mark.slow  # imports into a second server: left out of `make test-fast`
def test_export_imports_into_a_fresh_database_with_the_same_graph(graph: GraphConnection, tmp_path: Path) -> None:
    GraphWriter(graph, extractor_version="rules-test").write_batch(tricky_extractions())
    expected = snapshot(graph, with_feed=True)
    counts = graph.run("MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS rels")[0]
    assert counts["nodes"] >= 12 and counts["rels"] >= 10  # 5 entities, 2 articles, 5 evidence; 5 facts + links

    export = bulk_export(graph, tmp_path / "csv")
    assert export.nodes == counts["nodes"] and export.relationships == counts["rels"]
    header = (export.directory / "nodes-Entity-Organization.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("id:ID(Entity),") and "aliases:string[]" in header and header.endswith(":LABEL")
    fact_header = (export.directory / "rels-ACQUIRED-Entity-Entity.csv").read_text(encoding="utf-8").splitlines()[0]
    assert fact_header.startswith(":START_ID(Entity),:END_ID(Entity),:TYPE,") and "amount:double" in fact_header
    assert "evidenceCount:long" in fact_header and "approximate:boolean" in fact_header
    assert manifest_of(export.directory).node_files == export.node_files
    assert "database import full" in (export.directory / "IMPORT.txt").read_text(encoding="utf-8")

    home = tmp_path / "imported"
    server = LocalNeo4j(LocalNeo4jSettings(home=home, bolt_port=free_port(), http_port=free_port(), heap="512m",
                                           pagecache="128m"))
    runtime = server.provision()
    (home / "conf").mkdir(parents=True)
    env = {**__import__("os").environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    proc = subprocess.run(["java", "-cp", str(runtime / "lib" / "*"), ADMIN_TOOL, *export.import_arguments()],
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    status = server.start()
    try:
        user, password = server.credentials()
        with connect(Neo4jSettings(uri=status.bolt_uri, user=user, password=password)) as imported:
            apply_schema(imported)
            again = imported.run("MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS rels")
            assert dict(again[0]) == dict(counts)
            # same labels, ids, properties and types, value for value
            assert snapshot(imported, with_feed=True) == expected
            # the imported graph is a working graph: rewriting the same articles changes nothing
            result = GraphWriter(imported, extractor_version="rules-test").write_batch(tricky_extractions())
            assert result.articles_unchanged == 2 and snapshot(imported, with_feed=True) == expected
    finally:
        server.stop()


def _rows_by_file(directory: Path) -> dict[str, tuple[str, list[str]]]:
    """Each CSV file's header and its rows, sorted (the order of rows is not part of the format)."""
    files = {}
    for path in sorted(directory.glob("*.csv")):
        header, *rows = path.read_text(encoding="utf-8").splitlines()
        files[path.name] = (header, sorted(rows))
    return files


def test_pages_of_one_node_write_the_same_files(graph: GraphConnection, tmp_path: Path) -> None:
    """The export reads each set of labels in id pages (one short transaction each, kg.store.paging); a page of
    one node forces a page per node and must still write every node and relationship exactly once."""
    GraphWriter(graph, extractor_version="rules-test").write_batch(tricky_extractions())
    counts = graph.run("MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS rels")[0]
    whole = bulk_export(graph, tmp_path / "whole")
    tiny = bulk_export(graph, tmp_path / "tiny", page_size=1)
    assert (tiny.nodes, tiny.relationships) == (whole.nodes, whole.relationships) == (counts["nodes"], counts["rels"])
    assert tiny.node_files == whole.node_files and tiny.relationship_files == whole.relationship_files
    assert _rows_by_file(tiny.directory) == _rows_by_file(whole.directory)


def test_export_refuses_a_directory_that_is_not_empty(graph: GraphConnection, tmp_path: Path) -> None:
    (tmp_path / "old.csv").write_text("x", encoding="utf-8")
    with pytest.raises(BulkExportError, match="is not empty"):
        bulk_export(graph, tmp_path)


def test_a_list_value_holding_the_array_delimiter_is_refused(graph: GraphConnection, tmp_path: Path) -> None:
    graph.run("CREATE (:Entity {id: 'x', name: 'X', aliases: ['a' + $sep + 'b']})", {"sep": ARRAY_DELIMITER})
    with pytest.raises(BulkExportError, match="unit separator"):
        bulk_export(graph, tmp_path / "csv")


@pytest.mark.usefixtures("neo4j_env")
def test_kg_bulk_export_command(graph: GraphConnection, tmp_path: Path) -> None:
    from kg.cli.main import app

    GraphWriter(graph, extractor_version="rules-test").write_batch(tricky_extractions())
    counts = graph.run("MATCH (n) WITH count(n) AS nodes MATCH ()-[r]->() RETURN nodes, count(r) AS rels")[0]
    result = CliRunner().invoke(app, ["bulk-export", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert f"{counts['nodes']} nodes" in result.output and f"{counts['rels']} relationships" in result.output
    assert (tmp_path / "out" / "rels-PARTNERED_WITH-Entity-Entity.csv").exists()
