"""`kg export`, `kg validate-rdf` and `kg import-rdf` from the command line, against a real Neo4j."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli.main import app
from kg.model import Article, ArticleExtraction, Entity, Evidence, Fact, Qualifiers
from kg.store import GraphConnection, GraphWriter

runner = CliRunner()


def small_graph(graph: GraphConnection) -> None:
    text = "Microsoft agreed to buy Activision Blizzard for $68.7bn in January 2022."
    article = Article(id="news:1", text=text, title="Microsoft to buy Activision", published="2022-01-18", lang="en")
    fact = Fact(Entity.named("Microsoft", "Organization", kind="company", wikidata_id="Q2283"), "ACQUIRED",
                Entity.named("Activision Blizzard", "Organization", kind="company"),
                Qualifiers(date="2022-01", amount=68.7e9, currency="USD", status="announced"),
                [Evidence("news:1", text, 0, len(text), "rule:acquired", 0.9)])
    assert GraphWriter(graph, "cli-test").write(ArticleExtraction(article, facts=[fact])).facts_written == 1


@pytest.mark.usefixtures("neo4j_env")
def test_export_validate_and_import_round_trip(graph: GraphConnection, tmp_path: Path) -> None:
    small_graph(graph)
    out = tmp_path / "graph.ttl"
    result = runner.invoke(app, ["export", "--format", "turtle", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "tg:ACQUIRED" in out.read_text(encoding="utf-8")

    result = runner.invoke(app, ["validate-rdf", str(out)])
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output

    graph.run("MATCH (n) DETACH DELETE n")
    result = runner.invoke(app, ["import-rdf", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 facts" in result.output
    rows = graph.run("MATCH (:Organization {name: 'Microsoft'})-[r:ACQUIRED]->(t) RETURN r.amount AS amount, "
                     "r.currency AS currency, r.date AS date, t.name AS target")
    assert [r.data() for r in rows] == [{"amount": 68.7e9, "currency": "USD", "date": "2022-01",
                                         "target": "Activision Blizzard"}]


@pytest.mark.usefixtures("neo4j_env")
def test_entity_export_to_stdout_in_every_format(graph: GraphConnection) -> None:
    small_graph(graph)
    for fmt, marker in (("jsonld", '"@context"'), ("ntriples", "<https://techgraph.example.org/id/entity/"),
                        ("turtle", "@prefix tg:")):
        result = runner.invoke(app, ["export", "--format", fmt, "--entity", "organization:microsoft"])
        assert result.exit_code == 0, result.output
        assert marker in result.output


@pytest.mark.usefixtures("graph", "neo4j_env")
def test_clear_errors_for_unknown_entity_format_and_broken_file(tmp_path: Path) -> None:
    from kg.rdf.export import ExportFormatError, UnknownEntityError

    result = runner.invoke(app, ["export", "--entity", "organization:nobody"])
    assert isinstance(result.exception, UnknownEntityError)
    assert "No entity with id 'organization:nobody'" in str(result.exception)
    result = runner.invoke(app, ["export", "--format", "rdfxml"])
    assert isinstance(result.exception, ExportFormatError) and "use turtle, jsonld or ntriples" in str(result.exception)

    broken = tmp_path / "broken.ttl"
    broken.write_text("""
@prefix tg: <https://techgraph.example.org/ontology#> .
<https://techgraph.example.org/id/entity/person:x> a tg:Person ; tg:id "person:x" ; tg:name "X", "Y" .
<https://techgraph.example.org/id/entity/product:y> a tg:Product ; tg:id "product:y" ; tg:name "Y" .
<https://techgraph.example.org/id/entity/product:y> tg:SIGNED <https://techgraph.example.org/id/entity/person:x> .
""", encoding="utf-8")
    result = runner.invoke(app, ["validate-rdf", str(broken)])
    assert result.exit_code == 1
    assert "exactly one canonical name" in result.output
    assert "SIGNED: the subject must be an Organization or a Person." in result.output
    assert "SIGNED: the object must be a Document." in result.output


@pytest.mark.usefixtures("neo4j_env")
def test_full_ntriples_export_streams_to_a_file_with_options(graph: GraphConnection, tmp_path: Path) -> None:
    from rdflib import RDF, Graph, URIRef

    from kg.vocabulary import TG

    small_graph(graph)
    graph.run("MATCH (a:Article) SET a.source = '/home/me/news/1.txt'")
    out = tmp_path / "graph.nt"
    result = runner.invoke(app, ["export", "--format", "ntriples", "--output", str(out),
                                 "--base-iri", "https://data.example.net/tg/", "--no-article-text"])
    assert result.exit_code == 0, result.output
    rdf = Graph().parse(out, format="nt")
    assert (URIRef("https://data.example.net/tg/entity/organization:microsoft"), RDF.type, TG.Organization) in rdf
    assert not list(rdf.objects(None, TG.text)) and not list(rdf.objects(None, TG.source))
    result = runner.invoke(app, ["export", "--format", "ntriples", "--local-paths"])
    assert result.exit_code == 0 and "/home/me/news/1.txt" in result.output
    result = runner.invoke(app, ["export", "--base-iri", "urn:x"])
    assert result.exit_code == 2 and "--base-iri" in result.output
