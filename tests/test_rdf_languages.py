"""Language tags on names and aliases in the RDF export, from the languages of the articles each name was seen in
(kg.name_languages): tagged when one, untagged when several or none; the export still conforms to the shapes."""

from __future__ import annotations

from rdflib import RDFS, Graph, Literal

from kg.model import Article, ArticleExtraction, Entity, Evidence, Fact, Qualifiers
from kg.name_languages import languages_by_name, seen_names
from kg.rdf import export_graph, stream_ntriples, validate_rdf
from kg.rdf.export import ExportOptions
from kg.rdf.terms import SCHEMA, node_iri
from kg.store import GraphConnection, GraphWriter

COMMISSION = Entity.named("European Commission", "Organization", kind="regulator")
GOOGLE = Entity.named("Google", "Organization", kind="company")


def write(graph: GraphConnection, article_id: str, lang: str | None, text: str, commission_name: str) -> None:
    """One article in which the Commission (under the given name) sued Google."""
    article = Article(article_id, text, published="2024-03-01", lang=lang, source="wire")
    commission = Entity(COMMISSION.id, commission_name, "Organization", "regulator")
    fact = Fact(commission, "SUED", GOOGLE, Qualifiers(date="2024"),
                [Evidence(article_id, text, 0, len(text), "test", 0.9)])
    assert GraphWriter(graph, "test").write(ArticleExtraction(article, facts=[fact])).refused == []


def build(graph: GraphConnection) -> None:
    write(graph, "en-1", "en", "The European Commission sued Google in 2024.", "European Commission")
    write(graph, "fr-1", "fr", "La Commission européenne a poursuivi Google en 2024.", "Commission européenne")
    write(graph, "xx-1", None, "EC sued Google in 2024.", "EC")  # an article of unknown language


def test_the_writer_keeps_the_languages_each_name_was_seen_in(graph: GraphConnection) -> None:
    build(graph)
    entries = graph.run("MATCH (e:Entity {id: $id}) RETURN e.nameLanguages AS l", {"id": COMMISSION.id})[0]["l"]
    assert languages_by_name(entries) == {"European Commission": "en", "Commission européenne": "fr"}
    google = graph.run("MATCH (e:Entity {id: $id}) RETURN e.nameLanguages AS l", {"id": GOOGLE.id})[0]["l"]
    assert sorted(google) == ["en|Google", "fr|Google"] and languages_by_name(google) == {}
    write(graph, "fr-1", "fr", "La Commission européenne a poursuivi Google en 2024.", "Commission européenne")
    again = graph.run("MATCH (e:Entity {id: $id}) RETURN e.nameLanguages AS l", {"id": COMMISSION.id})[0]["l"]
    assert sorted(again) == sorted(entries)  # re-ingesting adds nothing
    assert seen_names(["X"], "not a tag") == [] and seen_names(["X"], None) == []


def test_names_and_aliases_are_tagged_in_turtle_and_in_sparql(graph: GraphConnection) -> None:
    build(graph)
    turtle = export_graph(graph, "turtle", entity_id=COMMISSION.id)
    assert '"Commission européenne"@fr' in turtle and '"European Commission"@en' in turtle
    rdf = Graph().parse(data=turtle, format="turtle")
    commission, google = node_iri("entity", COMMISSION.id), node_iri("entity", GOOGLE.id)
    assert rdf.value(commission, RDFS.label) == Literal("European Commission", lang="en")
    assert set(rdf.objects(commission, SCHEMA.alternateName)) == {Literal("Commission européenne", lang="fr"),
                                                                   Literal("EC")}
    assert rdf.value(google, RDFS.label) == Literal("Google")  # seen in two languages: untagged
    rows = rdf.query("""
        PREFIX schema: <https://schema.org/>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?entity ?name WHERE { ?entity rdfs:label|schema:alternateName ?name FILTER (LANG(?name) = "fr") }""")
    assert [(e, str(n)) for e, n in rows] == [(commission, "Commission européenne")]
    report = validate_rdf(rdf)
    assert report.conforms, report.text()


def test_the_streamed_dump_tags_names_too(graph: GraphConnection) -> None:
    build(graph)
    lines = "".join(stream_ntriples(graph, ExportOptions()))
    assert '<http://www.w3.org/2000/01/rdf-schema#label> "European Commission"@en .' in lines
    assert '<https://schema.org/alternateName> "Commission europ' in lines
