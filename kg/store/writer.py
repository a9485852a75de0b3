"""Idempotent writes: one transaction per article, batched UNWIND + MERGE per label and relationship type.

Rules (tested against a real Neo4j):
- the same fact from two articles is one relationship with two Evidence nodes;
- writing an unchanged article again changes nothing;
- writing an edited article replaces that article's evidence and removes facts left without evidence;
- entities merge on their id and keep every alias; a fact that breaks the ontology is refused and logged.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from neo4j import ManagedTransaction

from kg.errors import OntologyViolation
from kg.model import ArticleExtraction, Entity, Fact, date_precision
from kg.store import cypher
from kg.store.connection import GraphConnection
from kg.store.schema import apply_schema
from kg.validation import validate_entity, validate_fact

log = logging.getLogger(__name__)

QUALIFIER_PROPERTIES = {
    "date": "date", "quantity": "quantity", "approximate": "approximate", "amount": "amount",
    "currency": "currency", "role": "role", "status": "status", "modality": "modality",
    "reported_by": "reportedBy", "vendor": "vendor", "round": "round",
}


@dataclass(frozen=True)
class RefusedFact:
    article_id: str
    description: str
    reason: str


@dataclass
class WriteResult:
    articles_written: int = 0
    articles_unchanged: int = 0
    facts_written: int = 0
    facts_removed: int = 0
    facts_by_predicate: Counter = field(default_factory=Counter)
    refused: list[RefusedFact] = field(default_factory=list)

    def add(self, other: WriteResult) -> None:
        self.articles_written += other.articles_written
        self.articles_unchanged += other.articles_unchanged
        self.facts_written += other.facts_written
        self.facts_removed += other.facts_removed
        self.facts_by_predicate.update(other.facts_by_predicate)
        self.refused.extend(other.refused)


def evidence_id(fact_id: str, article_id: str, start: int, end: int) -> str:
    return hashlib.sha1(f"{fact_id}|{article_id}|{start}|{end}".encode()).hexdigest()[:24]


def fact_properties(fact: Fact) -> dict:
    props = {"id": fact.id}
    for key, value in fact.qualifiers.as_dict().items():
        props[QUALIFIER_PROPERTIES[key]] = value
    if fact.qualifiers.date:
        props["datePrecision"] = date_precision(fact.qualifiers.date)
    return props


def entity_row(entity: Entity) -> dict:
    return {"id": entity.id, "name": entity.name, "type": entity.type, "kind": entity.kind,
            "wikidataId": entity.wikidata_id, "aliases": entity.all_names()}


class GraphWriter:
    """Writes extractions to Neo4j. Creates the schema once before its first write."""

    def __init__(self, conn: GraphConnection, extractor_version: str = "unversioned") -> None:
        self.conn = conn
        self.extractor_version = extractor_version
        self._schema_ready = False

    def ensure_schema(self) -> None:
        if not self._schema_ready:
            apply_schema(self.conn)
            self._schema_ready = True

    def write_all(self, extractions: Iterable[ArticleExtraction],
                  on_article: Callable[[ArticleExtraction, WriteResult], None] | None = None) -> WriteResult:
        total = WriteResult()
        for extraction in extractions:
            result = self.write(extraction)
            total.add(result)
            if on_article:
                on_article(extraction, result)
        return total

    def write(self, extraction: ArticleExtraction) -> WriteResult:
        """Write one article with its entities, facts and evidence in a single transaction."""
        self.ensure_schema()
        result = WriteResult()
        article = extraction.article
        facts: list[Fact] = []
        for fact in extraction.facts:
            try:
                validate_fact(fact)
            except OntologyViolation as exc:
                desc = f"{fact.subject.name} —{fact.predicate}→ {fact.object.name}"
                log.warning("refused fact from article %s: %s (%s)", article.id, desc, exc)
                result.refused.append(RefusedFact(article.id, desc, str(exc)))
                continue
            facts.append(fact)
        entities: dict[str, Entity] = {}
        for entity in [*extraction.entities, *(e for f in facts for e in (f.subject, f.object))]:
            try:
                validate_entity(entity)
            except OntologyViolation as exc:
                log.warning("refused entity from article %s: %s (%s)", article.id, entity.name, exc)
                result.refused.append(RefusedFact(article.id, entity.name, str(exc)))
                continue
            known = entities.get(entity.id)
            if known is None:
                entities[entity.id] = Entity(entity.id, entity.name, entity.type, entity.kind,
                                             set(entity.aliases), entity.wikidata_id)
            else:
                known.aliases |= entity.aliases | {entity.name}

        with self.conn.driver.session(database=self.conn.database) as session:
            changed = session.execute_write(self._write_article, extraction, list(entities.values()), facts, result)
        if changed:
            result.articles_written = 1
            result.facts_written = len(facts)
            result.facts_by_predicate.update(f.predicate for f in facts)
        else:
            result.articles_unchanged = 1
        return result

    def _write_article(self, tx: ManagedTransaction, extraction: ArticleExtraction, entities: list[Entity],
                       facts: list[Fact], result: WriteResult) -> bool:
        article = extraction.article
        state = tx.run(cypher.ARTICLE_STATE, id=article.id).single()
        if state and state["contentHash"] == article.content_hash and state["extractorVersion"] == self.extractor_version:
            return False
        touched: dict[str, set[str]] = defaultdict(set)
        if state is not None:  # an edited article (or a new extractor): its old evidence goes
            for record in tx.run(cypher.DELETE_ARTICLE_EVIDENCE, articleId=article.id):
                touched[record["predicate"]].add(record["factId"])
        tx.run(cypher.MERGE_ARTICLE, article={
            "id": article.id, "text": article.text, "title": article.title, "url": article.url,
            "published": article.published, "lang": article.lang, "source": article.source,
            "contentHash": article.content_hash, "extractorVersion": self.extractor_version,
        })
        by_type: dict[str, list[dict]] = defaultdict(list)
        for entity in entities:
            by_type[entity.type].append(entity_row(entity))
        for type_label, rows in by_type.items():
            tx.run(cypher.merge_entities(type_label), rows=rows)
        by_predicate: dict[str, list[dict]] = defaultdict(list)
        evidence_rows = []
        for fact in facts:
            by_predicate[fact.predicate].append(
                {"id": fact.id, "subjectId": fact.subject.id, "objectId": fact.object.id,
                 "qualifiers": fact_properties(fact)})
            touched[fact.predicate].add(fact.id)
            for ev in fact.evidence:
                evidence_rows.append({
                    "id": evidence_id(fact.id, ev.article_id, ev.start, ev.end), "factId": fact.id,
                    "predicate": fact.predicate, "articleId": ev.article_id, "sentence": ev.sentence,
                    "start": ev.start, "end": ev.end, "extractor": ev.extractor, "confidence": ev.confidence,
                })
        for predicate, rows in by_predicate.items():
            tx.run(cypher.merge_facts(predicate), rows=rows)
        if evidence_rows:
            tx.run(cypher.MERGE_EVIDENCE, rows=evidence_rows)
        for predicate, fact_ids in touched.items():
            record = tx.run(cypher.delete_unsupported_facts(predicate), factIds=sorted(fact_ids)).single()
            result.facts_removed += record["deleted"] if record else 0
            tx.run(cypher.refresh_fact_support(predicate), factIds=sorted(fact_ids))
        return True
