"""The Turtle vocabulary is the contract of shared/ontology-brief.md, complete in English and French, and the one
place the predicates and types are written down."""

from __future__ import annotations

import re
import tokenize
from dataclasses import fields
from pathlib import Path
from typing import get_args

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kg.errors import OntologyViolation
from kg.model import QUALIFIER_PROPERTIES, Entity, Fact, Qualifiers
from kg.store.schema import schema_statements
from kg.terms import DealStatus, Modality
from kg.vocabulary import ONTOLOGY_FILE, TERMS_MODULE, TG, load_vocabulary, render_terms, vocabulary

ROOT = Path(__file__).resolve().parents[1]
BRIEF = ROOT.parent / "shared" / "ontology-brief.md"
SKOS = "http://www.w3.org/2004/02/skos/core#"


def brief_rows(first_cell: str) -> list[list[str]]:
    """Table rows of the brief whose first cell is a backticked name matching `first_cell` (a regex)."""
    rows = []
    for line in BRIEF.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and re.fullmatch(rf"`{first_cell}`", cells[0]):
            rows.append(cells)
    return rows


def ticked(cell: str) -> set[str]:
    return set(re.findall(r"`([^`]+)`", cell))


def test_predicates_and_their_types_are_those_of_the_brief() -> None:
    rows = brief_rows("[A-Z_]+")
    expected = {row[0].strip("`"): ({t.strip() for t in row[1].split(",")}, {t.strip() for t in row[2].split(",")})
                for row in rows}
    assert len(expected) == 14
    vocab = vocabulary()
    assert {name: (set(p.subject_types), set(p.object_types)) for name, p in vocab.predicates.items()} == expected
    assert {name for name, p in vocab.predicates.items() if p.symmetric} == {"PARTNERED_WITH"}


def test_entity_types_and_kinds_are_those_of_the_brief() -> None:
    rows = brief_rows("(Person|Organization|Product|Document)")
    expected = {row[0].strip("`"): ticked(row[2]) for row in rows}
    assert {name: set(spec.kinds) for name, spec in vocabulary().entity_types.items()} == expected


def test_qualifier_values_are_those_of_the_brief_and_of_the_model() -> None:
    vocab = vocabulary()
    assert set(vocab.allowed_values("status")) == ticked(brief_rows("status")[0][1]) == set(get_args(DealStatus))
    assert set(vocab.allowed_values("modality")) == ticked(brief_rows("modality")[0][1]) == set(get_args(Modality))
    assert {"USD", "EUR", "GBP", "JPY", "CNY", "FRF"} <= vocab.allowed_values("currency")
    # every field of kg.model.Qualifiers is a qualifier property of the ontology, and nothing else is
    assert set(QUALIFIER_PROPERTIES.values()) == set(vocab.qualifiers) - {"datePrecision"}
    assert {f.name for f in fields(Qualifiers)} == set(QUALIFIER_PROPERTIES)


def test_every_term_has_english_and_french_labels_and_definitions() -> None:
    graph = Graph().parse(ONTOLOGY_FILE, format="turtle")
    terms = [s for s in set(graph.subjects(RDF.type, None)) if isinstance(s, URIRef) and str(s).startswith(str(TG))]
    assert len(terms) > 40
    for term in terms:
        labels = {lit.language for lit in graph.objects(term, RDFS.label)}
        assert {"en", "fr"} <= labels, f"{term} lacks an English or French label"
    classes_and_predicates = [*graph.subjects(RDF.type, OWL.Class), *graph.subjects(RDF.type, TG.Predicate)]
    for term in (t for t in classes_and_predicates if isinstance(t, URIRef)):
        definitions = {lit.language for lit in graph.objects(term, URIRef(SKOS + "definition"))}
        assert {"en", "fr"} <= definitions, f"{term} lacks an English or French definition"


def test_alignments_to_schema_org_wikidata_prov_and_org() -> None:
    """Alignments a reasoner can use (rdfs:subClassOf, rdfs:subPropertyOf), no SKOS mapping properties (they would
    make classes skos:Concept), Wikidata as rdfs:seeAlso; a named agent class instead of anonymous unions."""
    graph = Graph().parse(ONTOLOGY_FILE, format="turtle")
    schema, prov, org = "https://schema.org/", "http://www.w3.org/ns/prov#", "http://www.w3.org/ns/org#"
    for cls, parent in ((TG.Person, schema + "Person"), (TG.Person, prov + "Person"), (TG.Person, str(TG.Agent)),
                        (TG.Organization, schema + "Organization"), (TG.Organization, org + "Organization"),
                        (TG.Agent, prov + "Agent"), (TG.Article, schema + "NewsArticle"), (TG.Fact, prov + "Entity")):
        assert (cls, RDFS.subClassOf, URIRef(parent)) in graph, (cls, parent)
    for prop, parent in ((TG.WORKS_FOR, schema + "worksFor"), (TG.WORKS_FOR, org + "memberOf"),
                         (TG.SUBSIDIARY_OF, org + "subOrganizationOf"), (TG.evidence, prov + "wasDerivedFrom"),
                         (TG.fromArticle, prov + "wasQuotedFrom")):
        assert (prop, RDFS.subPropertyOf, URIRef(parent)) in graph, (prop, parent)
    assert (TG.Person, RDFS.seeAlso, URIRef("http://www.wikidata.org/entity/Q5")) in graph
    mappings = {URIRef(SKOS + p) for p in ("exactMatch", "closeMatch", "relatedMatch", "broadMatch", "narrowMatch")}
    assert not [t for t in graph if t[1] in mappings]
    # OWL 2 DL: no sub-property of an annotation property, no subclass of rdf:Statement, no anonymous unions as
    # domain of the Person-or-Organization predicates
    assert (TG.name, RDFS.subPropertyOf, RDFS.label) not in graph
    assert (TG.Fact, RDFS.subClassOf, RDF.Statement) not in graph
    assert graph.value(TG.SUED, RDFS.domain) == TG.Agent and graph.value(TG.SUED, RDFS.range) == TG.Agent
    assert vocabulary().predicates["SUED"].subject_types == {"Person", "Organization"}
    assert "Agent" not in vocabulary().entity_types


def test_the_ontology_names_its_version_licence_and_creator() -> None:
    graph = Graph().parse(ONTOLOGY_FILE, format="turtle")
    ontology = URIRef(str(TG).rstrip("#"))
    dcterms = "http://purl.org/dc/terms/"
    version = graph.value(ontology, OWL.versionIRI)
    assert version is not None and str(version).endswith(str(graph.value(ontology, OWL.versionInfo)))
    assert graph.value(ontology, URIRef(dcterms + "license")) is not None
    assert graph.value(ontology, URIRef(dcterms + "creator")) is not None


def test_every_term_has_a_definition() -> None:
    graph = Graph().parse(ONTOLOGY_FILE, format="turtle")
    terms = {s for s in graph.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(str(TG))}
    missing = sorted(str(t) for t in terms if (t, URIRef(SKOS + "definition"), None) not in graph)
    assert missing == []


def test_the_neo4j_schema_follows_the_vocabulary() -> None:
    statements = "\n".join(schema_statements())
    for predicate in vocabulary().predicates:
        assert f"FOR ()-[r:{predicate}]-() REQUIRE r.id IS UNIQUE" in statements


def test_symmetry_of_fact_ids_comes_from_the_ontology() -> None:
    a, b = Entity.named("A", "Organization"), Entity.named("B", "Organization")
    assert Fact(a, "PARTNERED_WITH", b).id == Fact(b, "PARTNERED_WITH", a).id
    assert Fact(a, "SUED", b).id != Fact(b, "SUED", a).id


# Modules allowed to name predicates: the researchers' example queries, kg/terms.py (generated from the Turtle;
# test_generated_terms_are_current fails while it is stale), and the validity-interval rule table (kg/intervals.py
# and the one list of state predicates, kg.model.STATE_PREDICATES), which is documented in docs/graph-model.md.
PREDICATE_NAMING_MODULES = {"research_queries.py", "terms.py", "intervals.py", "model.py"}
QUERY_MODULE_SUFFIXES = ("cypher.py", "queries.py")


def _code_words(path: Path) -> str:
    """The module's text without comments, and without string literals where they are Cypher (query modules):
    Cypher that uses a predicate is not a list of predicates."""
    kept = []
    with path.open(encoding="utf-8") as source:
        for token in tokenize.generate_tokens(source.readline):
            if token.type == tokenize.COMMENT:
                continue
            if token.type == tokenize.STRING and path.name.endswith(QUERY_MODULE_SUFFIXES):
                continue
            kept.append(token.string)
    return " ".join(kept)


def test_the_predicate_list_is_written_only_in_the_ontology() -> None:
    """No Python module of kg/ restates the vocabulary: at most two predicate names in any module's code (docstrings
    count, comments do not), apart from PREDICATE_NAMING_MODULES."""
    names = set(vocabulary().predicates)
    offenders = {}
    for path in (ROOT / "kg").rglob("*.py"):
        if path.name in PREDICATE_NAMING_MODULES:
            continue
        text = _code_words(path)
        found = {n for n in names if re.search(rf"\b{n}\b", text)}
        if len(found) > 2:
            offenders[str(path.relative_to(ROOT))] = sorted(found)
    assert offenders == {}


def test_a_changed_ontology_changes_the_vocabulary(tmp_path: Path) -> None:
    text = ONTOLOGY_FILE.read_text(encoding="utf-8") + """
tg:MENTORED a owl:ObjectProperty, tg:Predicate ; rdfs:label "mentored"@en, "a été le mentor de"@fr ;
    rdfs:domain tg:Person ; rdfs:range tg:Person .
"""
    path = tmp_path / "techgraph.ttl"
    path.write_text(text, encoding="utf-8")
    vocab = load_vocabulary(path)
    assert vocab.predicates["MENTORED"].subject_types == {"Person"}
    vocab.check_fact_types("MENTORED", "Person", "Person")
    with pytest.raises(OntologyViolation, match="MENTORED cannot have a Organization as object"):
        vocab.check_fact_types("MENTORED", "Person", "Organization")


def test_an_ontology_naming_an_unknown_class_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "techgraph.ttl"
    path.write_text(ONTOLOGY_FILE.read_text(encoding="utf-8") + """
tg:ADVISED a owl:ObjectProperty, tg:Predicate ; rdfs:domain tg:Person ; rdfs:range tg:Country .
""", encoding="utf-8")
    with pytest.raises(OntologyViolation, match="not entity types"):
        load_vocabulary(path)


def test_generated_terms_are_current() -> None:
    """kg/terms.py (the vocabulary's closed sets as types) is regenerated from the Turtle: `python -m kg.vocabulary`."""
    assert TERMS_MODULE.read_text(encoding="utf-8") == render_terms(vocabulary()), "run `python -m kg.vocabulary`"
