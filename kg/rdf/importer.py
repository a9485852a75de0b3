"""Load an RDF export back into Neo4j, through GraphWriter (so the same validation and merging rules apply).

Each evidence becomes a Fact seen in its article with the qualifiers recorded on that evidence (or the fact's
own when the evidence has none); articles keep the extractor version they were read with."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.term import Node
from rdflib.util import guess_format

from kg.errors import InputError
from kg.model import QUALIFIER_FIELDS, Article, ArticleExtraction, Entity, Evidence, Fact, Qualifiers
from kg.rdf.export import EVIDENCE_PROPERTIES, QUALIFIER_NAMES, rdf_format
from kg.rdf.terms import id_from_iri, python_value
from kg.store.connection import GraphConnection
from kg.store.writer import GraphWriter, WriteResult
from kg.terms import EntityTypeName, PredicateName
from kg.vocabulary import TG, local_name, vocabulary

log = logging.getLogger(__name__)
IMPORTED = "imported"  # the extractor (and extractor version) of what an export does not name
DEFAULT_CONFIDENCE = 1.0  # evidence exported without a confidence


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
    except Exception as exc:  # rdflib's parsers raise their own exception types, besides OSError and ValueError
        raise InputError(f"Cannot read {source} as {target} RDF ({exc}): check the file and its --format.") from exc
    return graph


def _value(graph: Graph, node: Node, name: str) -> object | None:
    literal = graph.value(node, TG[name])
    return python_value(literal) if isinstance(literal, Literal) else None


def _text(graph: Graph, node: Node, name: str) -> str | None:
    value = _value(graph, node, name)
    return None if value is None else str(value)


def _number(value: object, default: float) -> float:
    return float(value) if isinstance(value, (int, float, str)) else default


def _node_id(graph: Graph, node: Node) -> str:
    literal = graph.value(node, TG.id)
    return str(literal) if literal is not None else id_from_iri(URIRef(str(node)))


def _qualifiers(graph: Graph, node: Node) -> dict[str, object]:
    found = {}
    for prop in QUALIFIER_NAMES:
        value = _value(graph, node, prop)
        if value is not None:
            found[QUALIFIER_FIELDS[prop]] = value
    return found


def _read_entities(graph: Graph, content: RdfContent) -> dict[Node, Entity]:
    by_iri: dict[Node, Entity] = {}
    for spec in vocabulary().entity_types.values():
        for node in graph.subjects(RDF.type, spec.iri):
            entity = Entity(
                id=_node_id(graph, node), name=str(graph.value(node, TG.name) or ""),
                type=cast(EntityTypeName, spec.name),  # a type of the vocabulary
                kind=_text(graph, node, "kind"), aliases={str(a) for a in graph.objects(node, TG.alias)},
                wikidata_id=_text(graph, node, "wikidataId"),
            )
            by_iri[node] = entity
            content.entities[entity.id] = entity
    return by_iri


def _read_articles(graph: Graph) -> dict[Node, tuple[Article, str]]:
    """Each article with the extractor version it was read with."""
    articles: dict[Node, tuple[Article, str]] = {}
    for node in graph.subjects(RDF.type, TG.Article):
        article = Article(
            id=_node_id(graph, node), text=_text(graph, node, "text") or "",
            title=_text(graph, node, "title"), url=_text(graph, node, "url"),
            published=_text(graph, node, "published"), lang=_text(graph, node, "lang"),
            source=_text(graph, node, "source"),
        )
        articles[node] = (article, _text(graph, node, "extractorVersion") or IMPORTED)
    return articles


def _evidence(graph: Graph, node: Node, article_id: str) -> Evidence:
    values = {name: _value(graph, node, name) for name in EVIDENCE_PROPERTIES}
    return Evidence(article_id, str(values["sentence"] or ""), int(_number(values["start"], 0)),
                    int(_number(values["end"], 0)), str(values["extractor"] or IMPORTED),
                    _number(values["confidence"], DEFAULT_CONFIDENCE))


def _entity_at(by_iri: dict[Node, Entity], node: Node | None) -> Entity | None:
    return None if node is None else by_iri.get(node)


def _read_facts(graph: Graph, content: RdfContent, by_iri: dict[Node, Entity],
                articles: dict[Node, tuple[Article, str]]) -> dict[Node, list[Fact]]:
    """Each evidence of each fact, as a fact seen in the evidence's article."""
    facts_by_article: dict[Node, list[Fact]] = defaultdict(list)
    for node in graph.subjects(RDF.type, TG.Fact):
        subject = _entity_at(by_iri, graph.value(node, RDF.subject))
        obj = _entity_at(by_iri, graph.value(node, RDF.object))
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
            if article_node is None or article_node not in articles:
                content.skipped.append(f"evidence {ev_node}: its article is not in the file")
                continue
            evidence = _evidence(graph, ev_node, articles[article_node][0].id)
            qualifiers = Qualifiers.from_dict(_qualifiers(graph, ev_node) or fact_qualifiers)
            name = cast(PredicateName, local_name(predicate))  # checked by the writer's validation
            facts_by_article[article_node].append(Fact(subject, name, obj, qualifiers, [evidence]))
            content.evidence += 1
    return facts_by_article


def read_content(graph: Graph) -> RdfContent:
    content = RdfContent()
    by_iri = _read_entities(graph, content)
    articles = _read_articles(graph)
    facts_by_article = _read_facts(graph, content, by_iri, articles)
    for node, (article, version) in sorted(articles.items(), key=lambda item: item[1][0].id):
        extraction = ArticleExtraction(article, facts=facts_by_article.get(node, []))
        content.extractions.setdefault(version, []).append(extraction)
    return content


def import_rdf(conn: GraphConnection, source: Path | str, fmt: str | None = None,
               data: str | None = None) -> ImportResult:
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
