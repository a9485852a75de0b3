"""The Neo4j graph as RDF: entities typed by the ontology, each fact both as a direct triple (s tg:P o) and as a
reified tg:Fact (rdf:subject/predicate/object) with its qualifiers and its evidence (PROV-O: the fact
prov:wasDerivedFrom its evidence through tg:evidence, each evidence prov:wasQuotedFrom its article through
tg:fromArticle)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import RDF, SKOS, XSD, Graph, Literal, URIRef

from kg.errors import KgError
from kg.rdf import queries
from kg.rdf.terms import PREFIXES, WD, decimal, fact_date, node_iri, publication_date
from kg.store.connection import GraphConnection
from kg.store.writer import QUALIFIER_PROPERTIES
from kg.vocabulary import TG, vocabulary

FORMATS = {"turtle": "turtle", "ttl": "turtle", "jsonld": "json-ld", "json-ld": "json-ld",
           "ntriples": "nt", "nt": "nt"}
MEDIA_TYPES = {"turtle": "text/turtle", "json-ld": "application/ld+json", "nt": "application/n-triples"}

QUALIFIER_NAMES = tuple(QUALIFIER_PROPERTIES.values())
_NUMBERS = {"quantity", "amount", "confidence"}
_INTEGERS = {"start", "end", "evidenceCount"}
_BOOLEANS = {"approximate"}
EVIDENCE_PROPERTIES = ("sentence", "start", "end", "extractor", "confidence")
ARTICLE_PROPERTIES = ("text", "title", "url", "published", "lang", "source", "contentHash", "extractorVersion")


class UnknownEntityError(KgError):
    """The entity asked for is not in the graph."""


class ExportFormatError(KgError):
    """The RDF format asked for is not one we write."""


def rdf_format(fmt: str) -> str:
    try:
        return FORMATS[fmt.lower()]
    except KeyError:
        raise ExportFormatError(f"Unknown RDF format {fmt!r}: use turtle, jsonld or ntriples.") from None


def media_type(fmt: str) -> str:
    return MEDIA_TYPES[rdf_format(fmt)]


@dataclass
class GraphRows:
    """What an export reads from Neo4j, as plain property maps."""

    entities: list[dict[str, Any]] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)  # {subjectId, predicate, objectId, r}
    evidence: list[dict[str, Any]] = field(default_factory=list)
    articles: list[dict[str, Any]] = field(default_factory=list)


def read_rows(conn: GraphConnection, entity_id: str | None = None) -> GraphRows:
    if entity_id is None:
        return GraphRows(
            entities=[r["e"] for r in conn.read(queries.ALL_ENTITIES)],
            facts=[r.data() for r in conn.read(queries.ALL_FACTS)],
            evidence=[r["ev"] for r in conn.read(queries.ALL_EVIDENCE)],
            articles=[r["a"] for r in conn.read(queries.ALL_ARTICLES)],
        )
    if not conn.read(queries.ENTITY_EXISTS, {"id": entity_id}):
        raise UnknownEntityError(f"No entity with id {entity_id!r} in the graph: find ids with `GET /v1/entities?q=`.")
    facts = [r.data() for r in conn.read(queries.ENTITY_FACTS, {"id": entity_id})]
    entity_ids = sorted({entity_id} | {f["subjectId"] for f in facts} | {f["objectId"] for f in facts})
    evidence = [r["ev"] for r in conn.read(queries.EVIDENCE_OF_FACTS, {"factIds": [f["r"]["id"] for f in facts]})]
    article_ids = sorted({ev["articleId"] for ev in evidence})
    return GraphRows(
        entities=[r["e"] for r in conn.read(queries.ENTITIES_BY_ID, {"ids": entity_ids})],
        facts=facts,
        evidence=evidence,
        articles=[r["a"] for r in conn.read(queries.ARTICLES_BY_ID, {"ids": article_ids})],
    )


def _literal(name: str, value: Any) -> Literal:
    if name == "date":
        return fact_date(value)
    if name in ("published", "firstPublished"):
        return publication_date(str(value))
    if name in _NUMBERS:
        return decimal(value)
    if name in _INTEGERS:
        return Literal(int(value), datatype=XSD.integer)
    if name in _BOOLEANS:
        return Literal(bool(value), datatype=XSD.boolean)
    return Literal(str(value))


def _add_properties(graph: Graph, node: URIRef, props: dict[str, Any], names: tuple[str, ...]) -> None:
    for name in names:
        value = props.get(name)
        if value is not None:
            graph.add((node, TG[name], _literal(name, value)))


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.bind("skos", SKOS)
    return graph


def rows_to_rdf(rows: GraphRows) -> Graph:
    vocab = vocabulary()
    graph = new_graph()
    for e in rows.entities:
        node = node_iri("entity", e["id"])
        graph.add((node, RDF.type, TG[e["type"]]))
        graph.add((node, TG.id, Literal(e["id"])))
        graph.add((node, TG.name, Literal(e["name"])))
        for alias in e.get("aliases") or []:
            graph.add((node, TG.alias, Literal(alias)))
        if e.get("kind"):
            graph.add((node, TG.kind, Literal(e["kind"])))
        if e.get("wikidataId"):
            graph.add((node, TG.wikidataId, Literal(e["wikidataId"])))
            graph.add((node, SKOS.exactMatch, WD[e["wikidataId"]]))
    for f in rows.facts:
        props = f["r"]
        predicate = vocab.predicate(f["predicate"]).iri
        subject, obj = node_iri("entity", f["subjectId"]), node_iri("entity", f["objectId"])
        node = node_iri("fact", props["id"])
        graph.add((subject, predicate, obj))
        graph.add((node, RDF.type, TG.Fact))
        graph.add((node, TG.id, Literal(props["id"])))
        graph.add((node, RDF.subject, subject))
        graph.add((node, RDF.predicate, predicate))
        graph.add((node, RDF.object, obj))
        _add_properties(graph, node, props, (*QUALIFIER_NAMES, "datePrecision", "evidenceCount", "firstPublished"))
    for ev in rows.evidence:
        node = node_iri("evidence", ev["id"])
        graph.add((node, RDF.type, TG.Evidence))
        graph.add((node, TG.id, Literal(ev["id"])))
        graph.add((node_iri("fact", ev["factId"]), TG.evidence, node))
        graph.add((node, TG.fromArticle, node_iri("article", ev["articleId"])))
        _add_properties(graph, node, ev, (*EVIDENCE_PROPERTIES, *QUALIFIER_NAMES))
    for a in rows.articles:
        node = node_iri("article", a["id"])
        graph.add((node, RDF.type, TG.Article))
        graph.add((node, TG.id, Literal(a["id"])))
        _add_properties(graph, node, a, ARTICLE_PROPERTIES)
    return graph


def export_rdf_graph(conn: GraphConnection, entity_id: str | None = None) -> Graph:
    return rows_to_rdf(read_rows(conn, entity_id))


def export_graph(conn: GraphConnection, fmt: str = "turtle", entity_id: str | None = None) -> str:
    """The graph (or one entity's neighbourhood of facts) serialised as turtle, jsonld or ntriples text."""
    target = rdf_format(fmt)
    graph = export_rdf_graph(conn, entity_id)
    if target == "json-ld":
        context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
        return graph.serialize(format="json-ld", context=context, indent=2)
    return graph.serialize(format=target)
