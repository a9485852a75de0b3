"""What semantic-web users rely on in an export, over a real Neo4j graph: only asserted facts are plain triples,
dates compare in SPARQL, each SHACL rule catches its broken variant, the shapes work with the ontology passed
separately (as pyshacl's command line does), the researchers' SPARQL queries of docs/graph-model.md answer, the
export describes itself (VoID/DCAT) and leaves out local paths, and the streamed N-Triples equal the in-memory
export."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.model import Article, ArticleExtraction, Entity, Evidence, Fact, Qualifiers
from kg.rdf import export_graph, export_rdf_graph, validate_rdf
from kg.rdf.export import ExportOptions, export_page, stream_ntriples
from kg.rdf.shapes import CORE_SHAPES_FILE, VOCABULARY_SHAPES_FILE
from kg.rdf.terms import DCAT, DCTERMS, PROV, SCHEMA, VOID, node_iri
from kg.store import GraphConnection, GraphWriter
from kg.vocabulary import ONTOLOGY_FILE, TG

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "graph-model.md"
_SPARQL = re.compile(r"```sparql\n# (?P<name>[\w-]+)\n(?P<text>.*?)\n```", re.S)

ALICE, BOB = Entity.named("Alice Martin", "Person"), Entity.named("Bob Stone", "Person")
ACME = Entity.named("Acme", "Organization", kind="company", wikidata_id="Q100")
BETA = Entity.named("Beta", "Organization", kind="company", wikidata_id="Q200")
GAMMA = Entity.named("Gamma", "Organization", kind="company")
DELTA = Entity.named("Delta", "Organization", kind="company")
WIDGET = Entity.named("Widget", "Product", kind="hardware")

# (subject, predicate, object, qualifiers, sentence, published)
FACTS = [
    (ALICE, "WORKS_FOR", ACME, Qualifiers(date="2012", role="ceo"), "Alice Martin is chief executive of Acme.",
     "2012-06-01"),
    (ALICE, "LEFT", ACME, Qualifiers(date="2015-02"), "Alice Martin left Acme in February 2015.", "2015-02-10"),
    (ALICE, "JOINED", BETA, Qualifiers(date="2015-03"), "Alice Martin joined Beta in March 2015.", "2015-03-02"),
    (BOB, "HIRED_FROM", BETA, Qualifiers(date="2018"), "Acme hired Bob Stone away from Beta in 2018.", "2018-04-04"),
    (BOB, "JOINED", ACME, Qualifiers(date="2018"), "Bob Stone joined Acme in 2018.", "2018-04-04"),
    (ACME, "ACQUIRED", GAMMA, Qualifiers(date="2010-01-15", amount=1.2e9, currency="USD", status="completed"),
     "Acme acquired Gamma for $1.2bn on 15 January 2010.", "2010-01-16"),
    (GAMMA, "SUBSIDIARY_OF", ACME, Qualifiers(), "Gamma is a subsidiary of Acme.", "2011-01-01"),
    (DELTA, "SUBSIDIARY_OF", GAMMA, Qualifiers(), "Delta is a unit of Gamma.", "2011-01-01"),
    (ACME, "ACQUIRED", BETA, Qualifiers(date="2020-05-31", modality="planned"), "Acme intends to buy Beta.",
     "2020-05-31"),
    (BETA, "ACQUIRED", DELTA, Qualifiers(date="2019", modality="denied"), "Beta denied it would buy Delta.",
     "2019-07-07"),
    (BETA, "PURCHASED", WIDGET, Qualifiers(date="1982", modality="reported", reported_by="Reuters"),
     "Beta reportedly bought Widgets in 1982.", "1982-05-05"),
    (GAMMA, "ACQUIRED", BETA, Qualifiers(date="2021", status="cancelled"), "Gamma called off its deal for Beta.",
     "2021-09-09"),
]


def _write(graph: GraphConnection) -> None:
    extractions = []
    for n, (subject, predicate, obj, qualifiers, sentence, published) in enumerate(FACTS):
        source = "/home/reporter/news/a.txt" if n == 0 else "https://feeds.example.net/tech"
        article = Article(id=f"news:{n}", text=sentence, title=f"Story {n}", published=published, lang="en",
                          source=source)
        evidence = Evidence(article.id, sentence, 0, len(sentence), f"rule:{predicate.lower()}", 0.9)
        extractions.append(ArticleExtraction(article, facts=[Fact(subject, predicate, obj, qualifiers, [evidence])]))
    result = GraphWriter(graph, "sparql-test").write_all(extractions)
    assert result.refused == [], [f"{r.description}: {r.reason}" for r in result.refused]


@pytest.fixture(scope="module")
def sample(graph_connection: GraphConnection) -> GraphConnection:
    graph_connection.run("MATCH (n) DETACH DELETE n")
    _write(graph_connection)
    return graph_connection


@pytest.fixture(scope="module")
def rdf(sample: GraphConnection) -> Graph:
    return Graph().parse(data="".join(stream_ntriples(sample)), format="nt")


def iri(entity: Entity) -> URIRef:
    return node_iri("entity", entity.id)


def fact_node(rdf: Graph, subject: Entity, predicate: str, obj: Entity) -> URIRef:
    nodes = [f for f in rdf.subjects(RDF.subject, iri(subject))
             if rdf.value(f, RDF.predicate) == TG[predicate] and rdf.value(f, RDF.object) == iri(obj)]
    assert len(nodes) == 1
    return URIRef(str(nodes[0]))


def test_denied_planned_reported_and_cancelled_facts_are_not_plain_triples(rdf: Graph) -> None:
    for subject, predicate, obj, qualifiers, *_ in FACTS:
        node = fact_node(rdf, subject, predicate, obj)
        assert rdf.value(node, TG.modality) == Literal(qualifiers.modality)  # always, "asserted" included
        asserted = qualifiers.modality == "asserted" and qualifiers.status not in ("planned", "cancelled")
        assert ((iri(subject), TG[predicate], iri(obj)) in rdf) is asserted, (predicate, qualifiers)
    assert (iri(BETA), TG.ACQUIRED, iri(DELTA)) not in rdf  # denied
    assert (iri(ACME), TG.ACQUIRED, iri(BETA)) not in rdf  # planned
    assert rdf.value(fact_node(rdf, GAMMA, "ACQUIRED", BETA), TG.status) == Literal("cancelled")
    assert validate_rdf(rdf).conforms


def test_a_sparql_date_range_query_returns_the_right_facts(rdf: Graph) -> None:
    query = """
        PREFIX tg: <https://techgraph.example.org/ontology#>
        PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
        SELECT ?date ?start WHERE {
            ?f a tg:Fact ; tg:date ?date ; tg:dateStart ?start ; tg:dateEnd ?end .
            FILTER (?start >= "2010-01-01"^^xsd:date && ?end <= "2015-12-31"^^xsd:date)
        } ORDER BY ?start"""
    rows = [(str(r.date), r.start) for r in rdf.query(query)]  # type: ignore[union-attr]
    assert [d for d, _ in rows] == ["2010-01-15", "2012", "2015-02", "2015-03"]
    assert all(s.datatype == XSD.date for _, s in rows)
    ordered = [str(r.date) for r in rdf.query(  # type: ignore[union-attr]
        "PREFIX tg: <https://techgraph.example.org/ontology#> "
        "SELECT ?date WHERE { ?f a tg:Fact ; tg:date ?date ; tg:dateStart ?s } ORDER BY ?s")]
    assert ordered[0] == "1982" and ordered[-1] == "2021" and ordered.index("2020-05-31") > ordered.index("2019")
    month = fact_node(rdf, ALICE, "LEFT", ACME)
    assert (rdf.value(month, TG.dateStart), rdf.value(month, TG.dateEnd)) == (
        Literal("2015-02-01", datatype=XSD.date), Literal("2015-02-28", datatype=XSD.date))
    years = {int(r.y) for r in rdf.query(  # type: ignore[union-attr]
        "PREFIX tg: <https://techgraph.example.org/ontology#> SELECT (YEAR(?s) AS ?y) WHERE { ?f tg:dateStart ?s }")}
    assert {1982, 2010, 2021} <= years


def _broken(rdf: Graph) -> Graph:
    copy = Graph()
    for triple in rdf:
        copy.add(triple)
    return copy


def _messages(graph: Graph, severity: str = "Violation") -> str:
    report = validate_rdf(graph)
    return "\n".join(str(v) for v in report.violations if v.severity == severity)


def test_each_shacl_rule_catches_its_broken_variant(rdf: Graph) -> None:
    assert validate_rdf(rdf).conforms and validate_rdf(rdf).violations == []
    acquisition = fact_node(rdf, ACME, "ACQUIRED", GAMMA)
    cases = []
    g = _broken(rdf)  # a misspelt property on a fact: closed shape
    g.add((acquisition, TG.ammount, Literal(5)))
    cases.append((g, "ammount"))
    g = _broken(rdf)  # a misspelt property on an entity
    g.add((iri(ACME), TG.nmae, Literal("Acme Corp")))
    cases.append((g, "An entity has only the properties of the ontology"))
    g = _broken(rdf)  # an orphan direct triple: no tg:Fact
    g.add((iri(ALICE), TG.FOUNDED, iri(GAMMA)))
    cases.append((g, "has no tg:Fact with its modality and evidence"))
    g = _broken(rdf)  # a denied fact exported as a plain triple
    g.add((iri(BETA), TG.ACQUIRED, iri(DELTA)))
    cases.append((g, "not asserted (modality denied"))
    g = _broken(rdf)  # a cancelled deal exported as a plain triple
    g.add((iri(GAMMA), TG.ACQUIRED, iri(BETA)))
    cases.append((g, "status cancelled) is exported as the plain triple"))
    g = _broken(rdf)  # an asserted fact without its direct triple
    g.remove((iri(ACME), TG.ACQUIRED, iri(GAMMA)))
    cases.append((g, "asserted fact's direct triple"))
    g = _broken(rdf)  # date bounds the wrong way round
    g.set((acquisition, TG.dateStart, Literal("2011-01-01", datatype=XSD.date)))
    cases.append((g, "tg:dateStart 2011-01-01 is after tg:dateEnd 2010-01-15"))
    g = _broken(rdf)  # a fact without modality
    g.remove((acquisition, TG.modality, None))
    cases.append((g, "A fact states its modality"))
    for broken, expected in cases:
        report = validate_rdf(broken)
        assert not report.conforms, expected
        assert expected in _messages(broken), (expected, report.text())


def test_suspicious_graphs_give_warnings_and_still_conform(rdf: Graph) -> None:
    g = _broken(rdf)  # two entities with one Wikidata id
    g.set((iri(BETA), TG.wikidataId, Literal("Q100")))
    report = validate_rdf(g)
    assert report.conforms and len(report.warnings) == 1, report.text()
    assert "The Wikidata id 'Q100' is also the id of" in report.warnings[0].message or "Q100" in str(report.warnings[0])
    g = _broken(rdf)  # a self-loop: a company subsidiary of itself
    subsidiary = fact_node(rdf, GAMMA, "SUBSIDIARY_OF", ACME)
    g.remove((iri(GAMMA), TG.SUBSIDIARY_OF, iri(ACME)))
    g.set((subsidiary, RDF.object, iri(GAMMA)))
    g.add((iri(GAMMA), TG.SUBSIDIARY_OF, iri(GAMMA)))
    report = validate_rdf(g)
    assert report.conforms, report.text()
    assert [w.severity for w in report.warnings] == ["Warning"] and "self-loop" in report.warnings[0].message
    assert "warning(s)" in report.text()


def test_the_shapes_validate_an_export_with_the_ontology_passed_separately(rdf: Graph, tmp_path: Path) -> None:
    """As documented: pyshacl's command line, the shapes in one file, the ontology as -e, inference none."""
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(CORE_SHAPES_FILE.read_text(encoding="utf-8") + VOCABULARY_SHAPES_FILE.read_text(encoding="utf-8"),
                      encoding="utf-8")
    data = tmp_path / "graph.nt"
    data.write_text(rdf.serialize(format="nt"), encoding="utf-8")
    pyshacl = [sys.executable, "-m", "pyshacl", "-s", str(shapes), "-e", str(ONTOLOGY_FILE), "-i", "none"]
    ok = subprocess.run([*pyshacl, str(data)], capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0, ok.stdout[-3000:]
    broken = _broken(rdf)
    broken.add((iri(BETA), TG.ACQUIRED, iri(DELTA)))
    data.write_text(broken.serialize(format="nt"), encoding="utf-8")
    bad = subprocess.run([*pyshacl, str(data)], capture_output=True, text=True, timeout=300)
    assert bad.returncode == 1 and "plain triple" in bad.stdout


def _doc_queries() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    return {m["name"]: m["text"] for m in _SPARQL.finditer(text)}


def _rows(rdf: Graph, name: str) -> list[tuple[object, ...]]:
    return [tuple(None if v is None else v.toPython() for v in row)  # type: ignore[union-attr]
            for row in rdf.query(_doc_queries()[name])]


def test_the_documented_sparql_queries_answer_their_questions(rdf: Graph) -> None:
    assert set(_doc_queries()) == {"moves-between-employers", "acquisitions-by-year", "subsidiaries",
                                   "evidence-of-a-fact", "asserted-vs-reported"}
    moves = _rows(rdf, "moves-between-employers")
    assert [(p, f, t) for p, f, t, _ in moves] == [("Alice Martin", "Acme", "Beta"), ("Bob Stone", "Beta", "Acme")]
    assert str(moves[0][3]) == "2015-03-01"
    acquisitions = _rows(rdf, "acquisitions-by-year")  # the planned, denied and cancelled deals are not there
    assert [(y, b, t) for y, b, t, *_ in acquisitions] == [(2010, "Acme", "Gamma")]
    assert float(str(acquisitions[0][3])) == 1.2e9 and acquisitions[0][4] == "USD"
    assert _rows(rdf, "subsidiaries") == [("Delta", "Gamma"), ("Gamma", "Acme")]
    evidence = _rows(rdf, "evidence-of-a-fact")
    assert [(s, t, x) for s, t, _, x in evidence] == [("Acme acquired Gamma for $1.2bn on 15 January 2010.",
                                                       "Story 5", "rule:acquired")]
    facts = _rows(rdf, "asserted-vs-reported")
    assert len(facts) == len(FACTS)
    by_modality = {(m, plain) for _, _, _, m, _, plain in facts}
    assert by_modality == {("asserted", True), ("asserted", False), ("denied", False), ("planned", False),
                           ("reported", False)}
    assert ("Gamma", str(TG.ACQUIRED), "Beta", "asserted", "cancelled", False) in [
        (s, str(p), o, m, st, plain) for s, p, o, m, st, plain in facts]


def test_the_export_describes_itself_and_leaves_out_local_paths(sample: GraphConnection, rdf: Graph) -> None:
    dataset = next(iter(rdf.subjects(RDF.type, VOID.Dataset)))
    assert (dataset, RDF.type, DCAT.Dataset) in rdf
    for prop in (DCTERMS.license, DCTERMS.creator, DCTERMS.issued, DCTERMS.conformsTo, VOID.vocabulary):
        assert rdf.value(dataset, prop) is not None, prop
    sources = {str(s) for s in rdf.objects(None, TG.source)}
    assert sources == {"https://feeds.example.net/tech"}  # the local path of news:0 is left out
    evidence = next(iter(rdf.subjects(RDF.type, TG.Evidence)))
    activity = rdf.value(evidence, PROV.wasGeneratedBy)
    assert (activity, RDF.type, PROV.Activity) in rdf and rdf.value(activity, RDFS.label) is not None
    assert (iri(ACME), SCHEMA.sameAs, URIRef("http://www.wikidata.org/entity/Q100")) in rdf
    options = ExportOptions(base_iri="https://data.example.net/tg/", article_text=False, local_paths=True)
    other = export_rdf_graph(sample, options=options)
    assert not list(other.objects(None, TG.text))
    assert "/home/reporter/news/a.txt" in {str(s) for s in other.objects(None, TG.source)}
    assert (URIRef("https://data.example.net/tg/entity/" + ACME.id), RDF.type, TG.Organization) in other
    assert validate_rdf(other).conforms


def _without_issue_time(graph: Graph) -> Graph:
    graph.remove((None, DCTERMS.issued, None))
    return graph


def test_the_streamed_export_equals_the_in_memory_one(sample: GraphConnection, rdf: Graph) -> None:
    memory = Graph().parse(data=export_graph(sample, "ntriples"), format="nt")
    assert isomorphic(_without_issue_time(memory), _without_issue_time(_broken(rdf)))
    first, second = (Graph().parse(data=export_page(sample, "turtle", offset, 6), format="turtle")
                     for offset in (0, 6))
    assert len(set(first.subjects(RDF.type, TG.Fact))) == 6 == len(set(second.subjects(RDF.type, TG.Fact)))
    assert not set(first.subjects(RDF.type, TG.Fact)) & set(second.subjects(RDF.type, TG.Fact))
    assert validate_rdf(first).conforms


def test_owl_rl_reasoning_over_the_export_uses_the_alignments_and_invents_no_classes(rdf: Graph) -> None:
    """The review's check, with owlrl: ontology + export under OWL-RL is consistent, creates no anonymous classes
    (named tg:Agent and tg:Ownable instead of unions), infers the schema.org / PROV / ORG terms from asserted facts
    only, and never makes an entity a skos:Concept."""
    import owlrl  # a test dependency (pyproject.toml): never skipped
    from rdflib import OWL, BNode

    closure = Graph()
    for triple in (*rdf, *Graph().parse(ONTOLOGY_FILE, format="turtle")):
        closure.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(closure)
    assert not [s for s in closure.subjects(RDF.type, OWL.Class) if isinstance(s, BNode)]
    assert not list(closure.subjects(RDF.type, OWL.Nothing))
    schema, org, prov = "https://schema.org/", "http://www.w3.org/ns/org#", "http://www.w3.org/ns/prov#"
    assert (iri(ALICE), URIRef(schema + "worksFor"), iri(ACME)) in closure
    assert (iri(ALICE), URIRef(org + "memberOf"), iri(ACME)) in closure
    assert (iri(GAMMA), URIRef(org + "subOrganizationOf"), iri(ACME)) in closure
    assert (iri(ALICE), RDF.type, URIRef(prov + "Person")) in closure
    assert (iri(BETA), RDF.type, TG.Agent) in closure
    assert (iri(BETA), TG.ACQUIRED, iri(DELTA)) not in closure  # the denial stays a denial under reasoning
    assert not list(closure.subjects(RDF.type, URIRef("http://www.w3.org/2004/02/skos/core#Concept")))
