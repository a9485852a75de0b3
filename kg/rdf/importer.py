"""Load an RDF export back into Neo4j, through GraphWriter (so the same validation and merging rules apply).

Each evidence becomes a Fact seen in its article with the qualifiers recorded on that evidence (or the fact's
own when the evidence has none); articles keep the extractor version they were read with."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, Graph, URIRef
from rdflib.util import guess_format

from kg.errors import InputError
from kg.model import Article, ArticleExtraction, Entity, Evidence, Fact, Qualifiers
from kg.rdf.export import EVIDENCE_PROPERTIES, QUALIFIER_NAMES, rdf_format
from kg.rdf.terms import id_from_iri, python_value
from kg.store.connection import GraphConnection
from kg.store.writer import QUALIFIER_PROPERTIES, GraphWriter, WriteResult
from kg.vocabulary import TG, local_name, vocabulary

log = logging.getLogger(__name__)
_FIELD_OF = {prop: name for name, prop in QUALIFIER_PROPERTIES.items()}


@dataclass
class RdfContent:
    entities: dict[str, Entity] = field(default_factory=dict)
    extractions: dict[str, list[ArticleExtraction]] = field(default_factory=dict)  # extractor version -> articles
    facts: int = 0
    evidence: int = 0
    skipped: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    articles: int
    entities: int
    facts: int
    evidence: int
    written: WriteResult
    skipped: list[str]


def parse_rdf(source: Path | str, fmt: str | None = None, data: str | None = None) -> Graph:
    graph = Graph()
    target = rdf_format(fmt) if fmt else guess_format(str(source)) or "turtle"
    try:
        if data is not None:
            graph.parse(data=data, format=target)
        else:
            graph.parse(str(source), format=target)
    except (OSError, ValueError, SyntaxError) as exc:
        raise InputError(f"Cannot read {source} as {target} RDF ({exc}): check the file and its --format.") from exc
    except Exception as exc:  # rdflib's parsers raise their own exception types
        raise InputError(f"Cannot read {source} as {target} RDF ({exc}): check the file and its --format.") from exc
    return graph


def _value(graph: Graph, node: URIRef, name: str) -> object | None:
    literal = graph.value(node, TG[name])
    return None if literal is None else python_value(literal)


def _node_id(graph: Graph, node: URIRef) -> str:
    literal = graph.value(node, TG.id)
    return str(literal) if literal is not None else id_from_iri(node)


def _qualifiers(graph: Graph, node: URIRef) -> dict:
    found = {}
    for prop in QUALIFIER_NAMES:
        value = _value(graph, node, prop)
        if value is not None:
            found[_FIELD_OF[prop]] = value
    return found


def read_content(graph: Graph) -> RdfContent:
    vocab = vocabulary()
    content = RdfContent()
    by_iri: dict[URIRef, Entity] = {}
    for spec in vocab.entity_types.values():
        for node in graph.subjects(RDF.type, spec.iri):
            entity = Entity(
                id=_node_id(graph, node), name=str(graph.value(node, TG.name) or ""), type=spec.name,
                kind=_value(graph, node, "kind"), aliases={str(a) for a in graph.objects(node, TG.alias)},
                wikidata_id=_value(graph, node, "wikidataId"),
            )
            by_iri[node] = entity
            content.entities[entity.id] = entity

    articles: dict[URIRef, tuple[Article, str]] = {}
    for node in graph.subjects(RDF.type, TG.Article):
        article = Article(
            id=_node_id(graph, node), text=str(_value(graph, node, "text") or ""),
            title=_value(graph, node, "title"), url=_value(graph, node, "url"),
            published=_value(graph, node, "published"), lang=_value(graph, node, "lang"),
            source=_value(graph, node, "source"),
        )
        articles[node] = (article, str(_value(graph, node, "extractorVersion") or "imported"))

    facts_by_article: dict[URIRef, list[Fact]] = defaultdict(list)
    for node in graph.subjects(RDF.type, TG.Fact):
        subject = by_iri.get(graph.value(node, RDF.subject))
        obj = by_iri.get(graph.value(node, RDF.object))
        predicate = graph.value(node, RDF.predicate)
        if subject is None or obj is None or predicate is None:
            content.skipped.append(f"fact {node}: its subject, predicate or object is missing or not an entity")
            continue
        fact_qualifiers = _qualifiers(graph, node)
        evidence_nodes = list(graph.objects(node, TG.evidence))
        if not evidence_nodes:
            content.skipped.append(f"fact {node}: no tg:evidence (every fact needs at least one)")
            continue
        content.facts += 1
        for ev_node in evidence_nodes:
            article_node = graph.value(ev_node, TG.fromArticle)
            if article_node not in articles:
                content.skipped.append(f"evidence {ev_node}: its article is not in the file")
                continue
            values = {name: _value(graph, ev_node, name) for name in EVIDENCE_PROPERTIES}
            evidence = Evidence(articles[article_node][0].id, str(values["sentence"] or ""), int(values["start"] or 0),
                                int(values["end"] or 0), str(values["extractor"] or "imported"),
                                float(values["confidence"] if values["confidence"] is not None else 1.0))
            qualifiers = Qualifiers.from_dict(_qualifiers(graph, ev_node) or fact_qualifiers)
            facts_by_article[article_node].append(Fact(subject, local_name(predicate), obj, qualifiers, [evidence]))
            content.evidence += 1

    for node, (article, version) in sorted(articles.items(), key=lambda item: item[1][0].id):
        extraction = ArticleExtraction(article, facts=facts_by_article.get(node, []))
        content.extractions.setdefault(version, []).append(extraction)
    return content


def import_rdf(conn: GraphConnection, source: Path | str, fmt: str | None = None, data: str | None = None) -> ImportResult:
    """Parse an RDF file (or `data`) and write what it holds; returns what was read and written."""
    content = read_content(parse_rdf(source, fmt, data))
    for reason in content.skipped:
        log.warning("skipped while importing %s: %s", source, reason)
    written = WriteResult()
    entities = list(content.entities.values())
    if not content.extractions and entities:
        raise InputError(f"{source} has entities but no articles: an import needs the articles the facts come from.")
    for i, (version, extractions) in enumerate(sorted(content.extractions.items())):
        if i == 0:
            extractions[0].entities = entities  # every entity, with or without facts
        written.add(GraphWriter(conn, extractor_version=version).write_all(extractions))
    return ImportResult(articles=sum(len(x) for x in content.extractions.values()), entities=len(entities),
                        facts=content.facts, evidence=content.evidence, written=written, skipped=content.skipped)
