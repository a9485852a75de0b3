"""The Neo4j graph as RDF: entities typed by the ontology; each fact as a reified tg:Fact (rdf:subject/predicate/
object) with its modality, qualifiers, comparable date bounds and evidence (PROV-O: the fact prov:wasDerivedFrom its
evidence through tg:evidence, each evidence prov:wasQuotedFrom its article through tg:fromArticle and
prov:wasGeneratedBy its extractor, a prov:Activity); and, for asserted facts only, the direct triple s tg:P o.

Every triple comes from one generator (`record_triples`): `export_graph` collects them in an rdflib Graph for an
entity or a bounded page (Turtle, JSON-LD), `stream_ntriples` writes them line by line as pages of records arrive
from Neo4j (one short transaction per page), so a full N-Triples dump runs in constant memory."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.plugins.serializers.nt import _nt_row
from rdflib.term import Node

from kg.errors import KgError
from kg.model import DEFAULT_MODALITY
from kg.name_languages import languages_by_name
from kg.rdf import queries, terms
from kg.rdf.terms import DCAT, DCTERMS, PREFIXES, PROV, SCHEMA, VOID, WD, date_bound_literals, node_iri
from kg.store.connection import GraphConnection
from kg.store.paging import DEFAULT_PAGE_SIZE, keyset_pages
from kg.store.writer import QUALIFIER_PROPERTIES
from kg.vocabulary import TG, vocabulary

FORMATS = {"turtle": "turtle", "ttl": "turtle", "jsonld": "json-ld", "json-ld": "json-ld",
           "ntriples": "nt", "nt": "nt"}
MEDIA_TYPES = {"turtle": "text/turtle", "json-ld": "application/ld+json", "nt": "application/n-triples"}

QUALIFIER_NAMES = tuple(QUALIFIER_PROPERTIES.values())
_NUMBERS = {"quantity", "amount", "confidence"}
_INTEGERS = {"start", "end", "evidenceCount"}
_BOOLEANS = {"approximate"}
_DATES = {"date", "statedFrom", "statedTo"}  # ISO 8601 prefixes, typed by their precision
EVIDENCE_PROPERTIES = ("sentence", "start", "end", "extractor", "confidence")
ARTICLE_PROPERTIES = ("title", "url", "published", "lang", "contentHash", "extractorVersion")
NOT_ASSERTED_STATUSES = frozenset({"planned", "cancelled"})  # deals that did not (or not yet) happen
MAX_PAGE_FACTS = 2_000  # the largest page of facts an in-memory (Turtle, JSON-LD) export builds (~6 s at 1M facts)

Triple = tuple[Node, Node, Node]


class UnknownEntityError(KgError):
    """The entity asked for is not in the graph."""


class ExportFormatError(KgError):
    """The RDF format asked for is not one we write."""


@dataclass(frozen=True)
class ExportOptions:
    """What an export holds: article text (on by default) and local file paths (never, unless asked)."""

    base_iri: str = str(terms.ID)
    article_text: bool = True
    local_paths: bool = False

    @property
    def base(self) -> Namespace:
        return Namespace(self.base_iri)


def rdf_format(fmt: str) -> str:
    try:
        return FORMATS[fmt.lower()]
    except KeyError:
        raise ExportFormatError(f"Unknown RDF format {fmt!r}: use turtle, jsonld or ntriples.") from None


def media_type(fmt: str) -> str:
    return MEDIA_TYPES[rdf_format(fmt)]


def is_asserted(props: dict[str, Any]) -> bool:
    """Whether a fact is stated as true: asserted modality, and not a planned or cancelled deal. Only these facts
    become direct triples; the others exist only as reified tg:Fact with their modality and status."""
    modality = props.get("modality") or DEFAULT_MODALITY
    return bool(modality == "asserted" and props.get("status") not in NOT_ASSERTED_STATUSES)


def is_local_path(source: str) -> bool:
    """A file path (absolute, relative or file:) rather than a URL or an outlet name."""
    return source.startswith(("/", "./", "../", "~", "file:")) or (len(source) > 2 and source[1:3] in (":\\", ":/"))


@dataclass
class GraphRows:
    """What a bounded export reads from Neo4j, as plain property maps."""

    entities: list[dict[str, Any]] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)  # {subjectId, predicate, objectId, r}
    evidence: list[dict[str, Any]] = field(default_factory=list)
    articles: list[dict[str, Any]] = field(default_factory=list)


def _rows_around(conn: GraphConnection, facts: list[dict[str, Any]], entity_ids: set[str]) -> GraphRows:
    """These facts with the entities at their ends, their evidence and the articles it is quoted from."""
    entity_ids |= {f["subjectId"] for f in facts} | {f["objectId"] for f in facts}
    evidence = [r["ev"] for r in conn.read(queries.EVIDENCE_OF_FACTS, {"factIds": [f["r"]["id"] for f in facts]})]
    article_ids = sorted({ev["articleId"] for ev in evidence})
    return GraphRows(
        entities=[r["e"] for r in conn.read(queries.ENTITIES_BY_ID, {"ids": sorted(entity_ids)})],
        facts=facts, evidence=evidence,
        articles=[r["a"] for r in conn.read(queries.ARTICLES_BY_ID, {"ids": article_ids})],
    )


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
    return _rows_around(conn, facts, {entity_id})


def read_page(conn: GraphConnection, offset: int, limit: int) -> GraphRows:
    """One page of facts (in id order) with what they need; at most MAX_PAGE_FACTS facts."""
    limit = max(0, min(limit, MAX_PAGE_FACTS))
    facts = [r.data() for r in conn.read(queries.FACTS_PAGE, {"skip": max(0, offset), "limit": limit})]
    return _rows_around(conn, facts, set())


def count_facts(conn: GraphConnection, entity_id: str | None = None) -> int:
    """Facts in the graph, or of one entity (either end)."""
    if entity_id is None:
        return int(conn.read(queries.COUNT_FACTS)[0]["n"])
    return int(conn.read(queries.COUNT_ENTITY_FACTS, {"id": entity_id})[0]["n"])


def _literal(name: str, value: Any) -> Literal:
    if name in _DATES:
        return terms.fact_date(value)
    if name in ("published", "firstPublished"):
        return terms.publication_date(str(value))
    if name in _NUMBERS:
        return terms.decimal(value)
    if name in _INTEGERS:
        return Literal(int(value), datatype=XSD.integer)
    if name in _BOOLEANS:
        return Literal(bool(value), datatype=XSD.boolean)
    return Literal(str(value))


def _properties(node: URIRef, props: dict[str, Any], names: Iterable[str]) -> Iterator[Triple]:
    for name in names:
        value = props.get(name)
        if value is not None:
            yield node, TG[name], _literal(name, value)


def _date_bounds(node: URIRef, props: dict[str, Any]) -> Iterator[Triple]:
    bounds = date_bound_literals(props.get("date"))
    if bounds is not None:
        yield node, TG.dateStart, bounds[0]
        yield node, TG.dateEnd, bounds[1]


def name_triples(node: URIRef, e: dict[str, Any]) -> Iterator[Triple]:
    """`rdfs:label` for the canonical name and `schema:alternateName` for each alias, tagged with the language they
    were seen in when it is one (kg.name_languages), untagged otherwise; tg:name and tg:alias stay plain texts, so a
    SPARQL match on a name needs no language."""
    languages = languages_by_name(e.get("nameLanguages"))
    yield node, RDFS.label, Literal(e["name"], lang=languages.get(e["name"]))
    for alias in sorted(set(e.get("aliases") or []) - {e["name"]}):
        yield node, SCHEMA.alternateName, Literal(alias, lang=languages.get(alias))


def entity_triples(e: dict[str, Any], base: Namespace) -> Iterator[Triple]:
    node = node_iri("entity", e["id"], base)
    yield node, RDF.type, TG[e["type"]]
    yield node, TG.id, Literal(e["id"])
    yield node, TG.name, Literal(e["name"])
    for alias in sorted(e.get("aliases") or []):
        yield node, TG.alias, Literal(alias)
    yield from name_triples(node, e)
    if e.get("kind"):
        yield node, TG.kind, Literal(e["kind"])
    if e.get("wikidataId"):
        yield node, TG.wikidataId, Literal(e["wikidataId"])
        yield node, SCHEMA.sameAs, WD[e["wikidataId"]]


def fact_triples(f: dict[str, Any], base: Namespace) -> Iterator[Triple]:
    props = {**f["r"], "modality": f["r"].get("modality") or DEFAULT_MODALITY}
    predicate = vocabulary().predicate(f["predicate"]).iri
    subject, obj = node_iri("entity", f["subjectId"], base), node_iri("entity", f["objectId"], base)
    node = node_iri("fact", props["id"], base)
    if is_asserted(props):
        yield subject, predicate, obj
    yield node, RDF.type, TG.Fact
    yield node, TG.id, Literal(props["id"])
    yield node, RDF.subject, subject
    yield node, RDF.predicate, predicate
    yield node, RDF.object, obj
    yield from _properties(node, props, (*QUALIFIER_NAMES, "datePrecision", "evidenceCount", "firstPublished",
                                         "curation"))
    yield from _date_bounds(node, props)


def evidence_triples(ev: dict[str, Any], base: Namespace) -> Iterator[Triple]:
    node = node_iri("evidence", ev["id"], base)
    yield node, RDF.type, TG.Evidence
    yield node, TG.id, Literal(ev["id"])
    yield node_iri("fact", ev["factId"], base), TG.evidence, node
    yield node, TG.fromArticle, node_iri("article", ev["articleId"], base)
    if ev.get("extractor"):
        yield node, PROV.wasGeneratedBy, node_iri("extractor", str(ev["extractor"]), base)
    yield from _properties(node, ev, (*EVIDENCE_PROPERTIES, *QUALIFIER_NAMES))
    yield from _date_bounds(node, ev)


def extractor_triples(name: str, base: Namespace) -> Iterator[Triple]:
    node = node_iri("extractor", name, base)
    yield node, RDF.type, PROV.Activity
    yield node, RDFS.label, Literal(name)


def article_triples(a: dict[str, Any], options: ExportOptions) -> Iterator[Triple]:
    node = node_iri("article", a["id"], options.base)
    yield node, RDF.type, TG.Article
    yield node, TG.id, Literal(a["id"])
    if options.article_text and a.get("text") is not None:
        yield node, TG.text, Literal(str(a["text"]))
    source = a.get("source")
    if source and (options.local_paths or not is_local_path(str(source))):
        yield node, TG.source, Literal(str(source))
    yield from _properties(node, a, ARTICLE_PROPERTIES)


def metadata_triples(options: ExportOptions, scope: str) -> Iterator[Triple]:
    """The VoID/DCAT description every export starts with: what it is, its vocabulary, licence and creator."""
    settings = terms.RdfSettings()
    dataset = URIRef(options.base_iri + "dataset")
    yield dataset, RDF.type, VOID.Dataset
    yield dataset, RDF.type, DCAT.Dataset
    yield dataset, DCTERMS.title, Literal(f"techgraph export ({scope})", lang="en")
    yield dataset, DCTERMS.description, Literal(
        "Facts about the tech industry read from news articles, each with its evidence. Direct triples are given "
        "for asserted facts only; reported, planned, denied and cancelled facts are reified tg:Fact nodes.", lang="en")
    yield dataset, DCTERMS.issued, Literal(datetime.now(UTC).replace(microsecond=0).isoformat(), datatype=XSD.dateTime)
    yield dataset, DCTERMS.license, URIRef(settings.license)
    yield dataset, DCTERMS.creator, Literal(settings.creator)
    yield dataset, DCTERMS.rights, Literal("Article texts and evidence sentences remain under their publishers' "
                                           "terms.", lang="en")
    yield dataset, DCTERMS.conformsTo, terms.ONTOLOGY_IRI
    yield dataset, VOID.vocabulary, URIRef(str(TG))
    yield dataset, VOID.uriSpace, Literal(options.base_iri)


def rows_triples(rows: GraphRows, options: ExportOptions) -> Iterator[Triple]:
    base = options.base
    for e in rows.entities:
        yield from entity_triples(e, base)
    for f in rows.facts:
        yield from fact_triples(f, base)
    for name in sorted({str(ev["extractor"]) for ev in rows.evidence if ev.get("extractor")}):
        yield from extractor_triples(name, base)
    for ev in rows.evidence:
        yield from evidence_triples(ev, base)
    for a in rows.articles:
        yield from article_triples(a, options)


def new_graph(options: ExportOptions | None = None) -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    graph.bind("tgid", (options or ExportOptions()).base, replace=True)
    return graph


def rows_to_rdf(rows: GraphRows, options: ExportOptions | None = None, scope: str = "graph") -> Graph:
    options = options or ExportOptions()
    graph = new_graph(options)
    for triple in metadata_triples(options, scope):
        graph.add(triple)
    for triple in rows_triples(rows, options):
        graph.add(triple)
    return graph


def export_rdf_graph(conn: GraphConnection, entity_id: str | None = None,
                     options: ExportOptions | None = None) -> Graph:
    scope = "graph" if entity_id is None else f"entity {entity_id}"
    return rows_to_rdf(read_rows(conn, entity_id), options, scope)


def serialize(graph: Graph, fmt: str) -> str:
    target = rdf_format(fmt)
    if target == "json-ld":
        context = {prefix: str(ns) for prefix, ns in graph.namespaces() if prefix in PREFIXES}
        return graph.serialize(format="json-ld", context=context, indent=2)
    return graph.serialize(format=target)


def export_graph(conn: GraphConnection, fmt: str = "turtle", entity_id: str | None = None,
                 options: ExportOptions | None = None) -> str:
    """The graph (or one entity's neighbourhood of facts) serialised as turtle, jsonld or ntriples text, in memory:
    for a large graph use `stream_ntriples`."""
    return serialize(export_rdf_graph(conn, entity_id, options), fmt)


def export_page(conn: GraphConnection, fmt: str, offset: int, limit: int, options: ExportOptions | None = None) -> str:
    rows = read_page(conn, offset, limit)
    return serialize(rows_to_rdf(rows, options, f"facts {offset} to {offset + len(rows.facts)}"), fmt)


def _entity_pages(conn: GraphConnection, page_size: int) -> Iterator[dict[str, Any]]:
    for record in keyset_pages(conn, queries.PAGED_ENTITIES, lambda r: r["e"]["id"], page_size):
        yield record["e"]


def _fact_pages(conn: GraphConnection, page_size: int) -> Iterator[dict[str, Any]]:
    """Every fact, predicate by predicate (in vocabulary order), each predicate's in id order."""
    for predicate in sorted(vocabulary().predicates):
        for record in keyset_pages(conn, queries.paged_facts(predicate), lambda r: r["r"]["id"], page_size):
            yield record.data()


def _evidence_pages(conn: GraphConnection, page_size: int) -> Iterator[dict[str, Any]]:
    for record in keyset_pages(conn, queries.PAGED_EVIDENCE, lambda r: r["ev"]["id"], page_size):
        yield record["ev"]


def _article_pages(conn: GraphConnection, page_size: int) -> Iterator[dict[str, Any]]:
    for record in keyset_pages(conn, queries.PAGED_ARTICLES, lambda r: r["a"]["id"], page_size):
        yield record["a"]


def _streamed_triples(conn: GraphConnection, options: ExportOptions, page_size: int) -> Iterator[Triple]:
    base, extractors = options.base, set()
    for e in _entity_pages(conn, page_size):
        yield from entity_triples(e, base)
    for f in _fact_pages(conn, page_size):
        yield from fact_triples(f, base)
    for ev in _evidence_pages(conn, page_size):
        if ev.get("extractor") and ev["extractor"] not in extractors:  # a handful of extractors: a small set
            extractors.add(ev["extractor"])
            yield from extractor_triples(str(ev["extractor"]), base)
        yield from evidence_triples(ev, base)
    for a in _article_pages(conn, page_size):
        yield from article_triples(a, options)


def stream_ntriples(conn: GraphConnection, options: ExportOptions | None = None,
                    page_size: int = DEFAULT_PAGE_SIZE) -> Iterator[str]:
    """The whole graph as N-Triples lines, written page by page (kg.store.paging): entities, then each predicate's
    facts, evidence and articles, each in id order, `page_size` records per short read transaction. Memory holds
    one page, and no transaction outlives the server's timeout whatever the size of the graph."""
    options = options or ExportOptions()
    for triple in metadata_triples(options, "graph"):
        yield _nt_row(triple)
    for triple in _streamed_triples(conn, options, page_size):
        yield _nt_row(triple)
