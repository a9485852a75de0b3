"""RDF export, SHACL validation and import, over a real Neo4j graph built from the gold facts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import RDF, XSD, Graph, Literal

from kg.model import Article, ArticleExtraction, Entity, Evidence, Fact, Qualifiers
from kg.rdf import export_graph, export_rdf_graph, import_rdf, validate_rdf
from kg.rdf.shapes import VOCABULARY_SHAPES_FILE, vocabulary_shapes
from kg.rdf.terms import DCTERMS, ID, node_iri
from kg.store import GraphConnection, GraphWriter
from kg.vocabulary import TG

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLD = SHARED / "eval" / "dev.jsonl"
_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")


def _sentences(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.group().strip()]


def _mentions(text: str, entity: Entity) -> bool:
    lowered = text.lower()
    return any(name.lower() in lowered for name in entity.all_names())


def gold_extractions() -> list[ArticleExtraction]:
    """Entities and facts of the gold file, with the sentence naming both ends as evidence (else the whole text)."""
    extractions = []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        article = Article(id=gold["id"], text=gold["text"], title=gold.get("title"), published=gold.get("published"),
                          lang=gold.get("lang"), source=gold.get("source"))
        entities = {e["name"]: Entity.named(e["name"], e["type"], kind=e.get("kind"), aliases=set(e.get("aliases", [])))
                    for e in gold["entities"]}
        facts = []
        for f in gold["facts"]:
            subject, obj = entities[f["subject"]], entities[f["object"]]
            span = next(((s, e) for s, e in _sentences(article.text)
                         if _mentions(article.text[s:e], subject) and _mentions(article.text[s:e], obj)),
                        (0, len(article.text)))
            evidence = Evidence(article.id, article.text[span[0]:span[1]], span[0], span[1], "gold", 1.0)
            facts.append(Fact(subject, f["predicate"], obj, Qualifiers.from_dict(f.get("qualifiers", {})), [evidence]))
        extractions.append(ArticleExtraction(article, entities=list(entities.values()), facts=facts))
    return extractions


def build_gold_graph(graph: GraphConnection) -> None:
    result = GraphWriter(graph, "gold").write_all(gold_extractions())
    assert result.refused == [], [f"{r.description}: {r.reason}" for r in result.refused]
    assert result.articles_written == 29


@pytest.fixture(scope="module")
def gold_graph(graph_connection: GraphConnection) -> GraphConnection:
    """The gold graph, built once for the tests that only read it."""
    graph_connection.run("MATCH (n) DETACH DELETE n")
    build_gold_graph(graph_connection)
    return graph_connection


def counts(graph: GraphConnection) -> dict:
    return graph.run("""
        CALL () { MATCH (n) RETURN count(n) AS nodes }
        CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
        CALL () { MATCH (ev:Evidence) RETURN count(ev) AS evidence }
        CALL () { MATCH (:Entity)-[r]->(:Entity) RETURN count(r) AS facts }
        RETURN nodes, relationships, evidence, facts""")[0].data()


def test_generated_vocabulary_shapes_are_up_to_date() -> None:
    stored = Graph().parse(VOCABULARY_SHAPES_FILE, format="turtle")
    from rdflib.compare import isomorphic

    assert isomorphic(stored, vocabulary_shapes()), "run `python -m kg.rdf.shapes` to regenerate the shapes"


def test_gold_graph_export_conforms_to_the_shapes(gold_graph: GraphConnection) -> None:
    graph = gold_graph
    rdf = export_rdf_graph(graph)
    report = validate_rdf(rdf)
    assert report.conforms, report.text()
    n = counts(graph)
    assert len(set(rdf.subjects(RDF.type, TG.Fact))) == n["facts"]
    assert len(set(rdf.subjects(RDF.type, TG.Evidence))) == n["evidence"]
    # facts are typed by precision-carrying dates and PROV-O evidence links
    purchase = next(f for f in rdf.subjects(RDF.predicate, TG.PURCHASED)
                    if rdf.value(f, RDF.subject) == node_iri("entity", "organization:twitter"))
    quantity = rdf.value(purchase, TG.quantity)
    assert quantity.datatype == XSD.decimal and quantity.toPython() == 10000
    assert rdf.value(purchase, TG.modality) == Literal("reported")
    # a reported fact is only a reified tg:Fact, never the plain triple
    assert (node_iri("entity", "organization:twitter"), TG.PURCHASED, node_iri("entity", "product:gpu")) not in rdf
    asserted = [f for f in rdf.subjects(RDF.type, TG.Fact) if rdf.value(f, TG.modality) == Literal("asserted")
                and str(rdf.value(f, TG.status) or "") not in ("planned", "cancelled")]
    assert asserted and all((rdf.value(f, RDF.subject), rdf.value(f, RDF.predicate), rdf.value(f, RDF.object)) in rdf
                            for f in asserted)


def test_every_format_parses_back_to_the_same_triples(gold_graph: GraphConnection) -> None:
    graph = gold_graph
    from rdflib.compare import isomorphic

    turtle = Graph().parse(data=export_graph(graph, "turtle"), format="turtle")
    jsonld = Graph().parse(data=export_graph(graph, "jsonld"), format="json-ld")
    ntriples = Graph().parse(data=export_graph(graph, "ntriples"), format="nt")
    assert len(turtle) > 1000
    for parsed in (turtle, jsonld, ntriples):  # each export states when it was made
        parsed.remove((None, DCTERMS.issued, None))
    assert isomorphic(turtle, ntriples), sorted(set(turtle) ^ set(ntriples))[:3]
    assert isomorphic(turtle, jsonld), sorted(set(turtle) ^ set(jsonld))[:3]


def test_entity_export_holds_its_facts_and_their_sources(gold_graph: GraphConnection) -> None:
    graph = gold_graph
    rdf = Graph().parse(data=export_graph(graph, "turtle", entity_id="organization:deepmind"), format="turtle")
    deepmind = node_iri("entity", "organization:deepmind")
    facts = set(rdf.subjects(RDF.type, TG.Fact))
    assert facts and all(deepmind in (rdf.value(f, RDF.subject), rdf.value(f, RDF.object)) for f in facts)
    assert (node_iri("entity", "person:igor-babuschkin"), TG.HIRED_FROM, deepmind) in rdf
    assert set(rdf.subjects(RDF.type, TG.Article)) == {node_iri("article", "seed-fr-0001")}
    assert validate_rdf(rdf).conforms


def test_a_broken_graph_fails_with_readable_messages(gold_graph: GraphConnection) -> None:
    graph = gold_graph
    rdf = export_rdf_graph(graph)
    musk, twitter = node_iri("entity", "person:elon-musk"), node_iri("entity", "organization:twitter")
    rdf.add((twitter, TG.PURCHASED, musk))  # a Person bought
    rdf.add((musk, TG.name, Literal("Elon Reeve Musk")))  # two canonical names
    fact = next(f for f in rdf.subjects(RDF.predicate, TG.SIGNED))
    for ev in list(rdf.objects(fact, TG.evidence)):  # a fact without evidence
        rdf.remove((fact, TG.evidence, ev))
    rdf.remove((fact, TG.evidenceCount, None))
    dated = ID["fact/broken-date"]
    rdf.add((dated, RDF.type, TG.Fact))
    rdf.add((dated, TG.date, Literal("March 2023")))
    rdf.add((dated, TG.currency, Literal("XYZ")))
    rdf.add((dated, TG.modality, Literal("rumoured")))
    subsidiary = next(f for f in rdf.subjects(RDF.predicate, TG.SUBSIDIARY_OF)
                      if rdf.value(f, TG.modality) == Literal("asserted"))
    rdf.remove((rdf.value(subsidiary, RDF.subject), TG.SUBSIDIARY_OF, rdf.value(subsidiary, RDF.object)))
    evidence = next(iter(rdf.subjects(RDF.type, TG.Evidence)))
    start = rdf.value(evidence, TG.start).toPython()
    rdf.set((evidence, TG.start, Literal(start + 3)))  # offsets that do not give the sentence
    report = validate_rdf(rdf)
    assert not report.conforms
    text = report.text()
    print(text)
    assert "PURCHASED: the object must be a Product." in text and "Elon Musk" in text
    assert "exactly one canonical name" in text
    assert "at least one piece of evidence" in text
    assert "xsd:gYear (2023), xsd:gYearMonth (2023-03) or xsd:date (2023-03-18)" in text and "'March 2023'" in text
    assert "tg:currency is a code listed in the ontology" in text and "'XYZ'" in text
    assert "tg:modality is asserted, denied, planned or reported" in text
    assert "exactly one subject" in text
    assert "A fact's predicate (rdf:predicate) is one of the vocabulary's 14 predicates" not in text
    assert "asserted fact's direct triple" in text and "ontology#SUBSIDIARY_OF" in text
    assert f"offsets {start + 3}-" in text and "do not give its sentence" in text
    assert all(str(v).count(":") >= 1 for v in report.violations)


def test_import_round_trip_keeps_nodes_relationships_and_evidence(graph: GraphConnection, tmp_path: Path) -> None:
    build_gold_graph(graph)
    before = counts(graph)
    ids_before = {r["id"] for r in graph.run("MATCH ()-[r]->() WHERE r.id IS NOT NULL RETURN r.id AS id")}
    qualifiers_before = {r["id"]: r["q"] for r in graph.run(
        "MATCH (:Entity)-[r]->(:Entity) RETURN r.id AS id, properties(r) AS q")}
    path = tmp_path / "graph.ttl"
    path.write_text(export_graph(graph, "turtle"), encoding="utf-8")
    graph.run("MATCH (n) DETACH DELETE n")
    result = import_rdf(graph, path)
    assert result.skipped == [] and result.written.refused == []
    assert counts(graph) == before
    assert {r["id"] for r in graph.run("MATCH ()-[r]->() WHERE r.id IS NOT NULL RETURN r.id AS id")} == ids_before
    after = {r["id"]: r["q"] for r in graph.run("MATCH (:Entity)-[r]->(:Entity) RETURN r.id AS id, properties(r) AS q")}
    assert after == qualifiers_before
    versions = {r["v"] for r in graph.run("MATCH (a:Article) RETURN DISTINCT a.extractorVersion AS v")}
    assert versions == {"gold"}
    # and importing the same file again changes nothing
    again = import_rdf(graph, path)
    assert again.written.articles_unchanged == 29 and counts(graph) == before
