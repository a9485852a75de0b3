"""Idempotent, batched writes of extractions to Neo4j.

Many articles share one transaction (`write_batch`); inside it every step is one UNWIND + MERGE query per label or
relationship type. Rules (each tested against a real Neo4j, see docs/graph-model.md):
- the same fact from two articles is one relationship with two Evidence nodes;
- writing an unchanged article again (same text, same extractor version) changes nothing;
- writing an edited article replaces that article's evidence and removes facts left without evidence;
- a fact's qualifiers, evidence count and first publication date are recomputed from all its evidence;
- entities merge on their id and keep every alias; an id already stored with another type is refused;
- a fact or entity that breaks the ontology is refused with a logged reason, never stored.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields

from neo4j import ManagedTransaction

from kg.errors import OntologyViolation
from kg.model import ArticleExtraction, Entity, Fact, Qualifiers
from kg.store import cypher
from kg.store.connection import GraphConnection
from kg.store.schema import apply_schema
from kg.validation import validate_entity, validate_fact
from kg.vocabulary import vocabulary

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 500  # articles per transaction in write_all


def camel_case(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


# Qualifiers field (Python) -> property name (Neo4j and RDF): reported_by -> reportedBy.
QUALIFIER_PROPERTIES: dict[str, str] = {f.name: camel_case(f.name) for f in fields(Qualifiers)}


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


def qualifier_properties(qualifiers: Qualifiers) -> dict:
    return {QUALIFIER_PROPERTIES[key]: value for key, value in qualifiers.as_dict().items()}


PRECISIONS = {4: "year", 7: "month", 10: "day"}


def derived_fact_properties(evidence: list[dict], published: dict[str, str | None]) -> dict:
    """A fact's properties from all its evidence rows (the single definition of the rule, applied to every fact
    the writer creates or whose evidence changes): evidence count, earliest publication date, the most precise
    date, and every other qualifier from the most confident evidence that has one (ties: smaller evidence id)."""
    ordered = sorted(evidence, key=lambda e: (-e["confidence"], e["id"]))
    dates = [published[e["articleId"]] for e in ordered if published.get(e["articleId"]) is not None]
    date = None
    for e in ordered:
        if e.get("date") is not None and (date is None or len(e["date"]) > len(date)):
            date = e["date"]
    props = {"evidenceCount": len(ordered), "firstPublished": min(dates) if dates else None, "date": date,
             "datePrecision": PRECISIONS.get(len(date)) if date else None}
    for name in QUALIFIER_PROPERTIES.values():
        if name != "date":
            props[name] = next((e[name] for e in ordered if e.get(name) is not None), None)
    props["modality"] = props["modality"] or "asserted"
    return props


def entity_row(entity: Entity) -> dict:
    return {"id": entity.id, "name": entity.name, "type": entity.type, "kind": entity.kind,
            "wikidataId": entity.wikidata_id, "aliases": entity.all_names()}


def describe(fact: Fact) -> str:
    return f"{fact.subject.name} —{fact.predicate}→ {fact.object.name}"


@dataclass
class _Prepared:
    """One article's validated content, ready to be turned into rows."""

    extraction: ArticleExtraction
    facts: list[tuple[str, Fact]]  # (fact id, fact)
    entities: dict[str, Entity]
    result: WriteResult

    def attempt(self) -> _Prepared:
        """A fresh copy for one transaction attempt (execute_write may retry): refusals so far are kept."""
        return _Prepared(self.extraction, list(self.facts), dict(self.entities),
                         WriteResult(refused=list(self.result.refused)))


def _refuse(prepared: _Prepared, description: str, reason: str) -> None:
    log.warning("refused from article %s: %s (%s)", prepared.extraction.article.id, description, reason)
    prepared.result.refused.append(RefusedFact(prepared.extraction.article.id, description, reason))


def _prepare(extraction: ArticleExtraction) -> _Prepared:
    article_id = extraction.article.id
    prepared = _Prepared(extraction, [], {}, WriteResult())
    for fact in extraction.facts:
        try:
            validate_fact(fact)
            strangers = {ev.article_id for ev in fact.evidence} - {article_id}
            if strangers:
                raise OntologyViolation(
                    f"its evidence cites article(s) {sorted(strangers)}, not {article_id!r}: write each article's "
                    "facts with that article."
                )
        except OntologyViolation as exc:
            _refuse(prepared, describe(fact), str(exc))
            continue
        prepared.facts.append((fact.id, fact))
    fact_entities = [e for _, f in prepared.facts for e in (f.subject, f.object)]  # validated with their facts
    for i, entity in enumerate([*extraction.entities, *fact_entities]):
        if i < len(extraction.entities):
            try:
                validate_entity(entity)
            except OntologyViolation as exc:
                _refuse(prepared, entity.name or entity.id, str(exc))
                continue
        known = prepared.entities.get(entity.id)
        if known is None:
            prepared.entities[entity.id] = Entity(entity.id, entity.name, entity.type, entity.kind,
                                                  set(entity.aliases), entity.wikidata_id)
        elif known.type != entity.type:
            _refuse(prepared, entity.name, f"id {entity.id!r} is used for a {known.type} and a {entity.type} "
                                           "in the same article; give distinct entities distinct ids.")
        else:
            known.aliases |= entity.aliases | {entity.name}
            known.kind = known.kind or entity.kind
            known.wikidata_id = known.wikidata_id or entity.wikidata_id
    return prepared


def _unique_article_runs(extractions: Sequence[ArticleExtraction]) -> Iterator[list[ArticleExtraction]]:
    """Split a batch so that no article id appears twice in one transaction (a later version wins, in order)."""
    run: list[ArticleExtraction] = []
    seen: set[str] = set()
    for extraction in extractions:
        if extraction.article.id in seen:
            yield run
            run, seen = [], set()
        run.append(extraction)
        seen.add(extraction.article.id)
    if run:
        yield run


class GraphWriter:
    """Writes extractions to Neo4j. Creates the schema once before its first write."""

    def __init__(self, conn: GraphConnection, extractor_version: str = "unversioned",
                 batch_size: int = DEFAULT_BATCH_SIZE) -> None:
        self.conn = conn
        self.extractor_version = extractor_version
        self.batch_size = batch_size
        self._schema_ready = False

    def ensure_schema(self) -> None:
        if not self._schema_ready:
            apply_schema(self.conn)
            self._schema_ready = True

    def write(self, extraction: ArticleExtraction) -> WriteResult:
        """Write one article with its entities, facts and evidence in a single transaction."""
        return self.write_batch([extraction])

    def write_all(self, extractions: Iterable[ArticleExtraction],
                  on_article: Callable[[ArticleExtraction, WriteResult], None] | None = None,
                  batch_size: int | None = None) -> WriteResult:
        """Write any number of articles, `batch_size` articles per transaction; `on_article` hears about each."""
        size = batch_size or self.batch_size
        total = WriteResult()
        batch: list[ArticleExtraction] = []

        def flush() -> None:
            for extraction, result in self._write_runs(batch):
                total.add(result)
                if on_article:
                    on_article(extraction, result)
            batch.clear()

        for extraction in extractions:
            batch.append(extraction)
            if len(batch) >= size:
                flush()
        if batch:
            flush()
        return total

    def write_batch(self, extractions: Sequence[ArticleExtraction]) -> WriteResult:
        """Write many articles in one transaction (split only where an article id repeats)."""
        total = WriteResult()
        for _, result in self._write_runs(list(extractions)):
            total.add(result)
        return total

    # ------------------------------------------------------------------------------------------------ internals
    def _write_runs(self, extractions: list[ArticleExtraction]) -> list[tuple[ArticleExtraction, WriteResult]]:
        self.ensure_schema()
        outcome: list[tuple[ArticleExtraction, WriteResult]] = []
        for run in _unique_article_runs(extractions):
            prepared = [_prepare(extraction) for extraction in run]
            with self.conn.driver.session(database=self.conn.database) as session:
                written = session.execute_write(self._write_transaction, prepared)
            outcome.extend((p.extraction, p.result) for p in written)
        return outcome

    def _write_transaction(self, tx: ManagedTransaction, validated: list[_Prepared]) -> list[_Prepared]:
        prepared = [p.attempt() for p in validated]
        by_article = {p.extraction.article.id: p for p in prepared}
        states = {r["id"]: r for r in tx.run(cypher.ARTICLE_STATES, ids=list(by_article))}
        changed: list[_Prepared] = []
        for article_id, p in by_article.items():
            state = states.get(article_id)
            if (state is not None and state["contentHash"] == p.extraction.article.content_hash
                    and state["extractorVersion"] == self.extractor_version):
                p.result.articles_unchanged = 1
            else:
                changed.append(p)
        if not changed:
            return prepared

        touched: dict[str, set[str]] = defaultdict(set)  # predicate -> fact ids whose evidence changed
        old_support: dict[str, set[str]] = defaultdict(set)  # fact id -> articles that lost evidence for it
        replaced = [p.extraction.article.id for p in changed if p.extraction.article.id in states]
        if replaced:
            for record in tx.run(cypher.DELETE_ARTICLES_EVIDENCE, articleIds=replaced):
                touched[record["predicate"]].add(record["factId"])
                old_support[record["factId"]].add(record["articleId"])

        self._refuse_type_conflicts(tx, changed)

        tx.run(cypher.MERGE_ARTICLES, rows=[self._article_row(p) for p in changed])

        entity_rows: dict[str, dict] = {}  # id -> row
        for p in changed:
            for entity in p.entities.values():
                row = entity_rows.get(entity.id)
                if row is None:
                    entity_rows[entity.id] = entity_row(entity)
                else:
                    row["aliases"] = sorted(set(row["aliases"]) | set(entity.all_names()))
                    row["kind"] = row["kind"] or entity.kind
                    row["wikidataId"] = row["wikidataId"] or entity.wikidata_id
        if entity_rows:
            tx.run(cypher.MERGE_ENTITIES, rows=list(entity_rows.values()))

        fact_rows: dict[str, dict[str, dict]] = defaultdict(dict)  # predicate -> fact id -> row with its evidence
        vocab = vocabulary()
        for p in changed:
            for fact_id, fact in p.facts:
                row = fact_rows[fact.predicate].get(fact_id)
                if row is None:
                    subject, obj = fact.subject.id, fact.object.id
                    if vocab.is_symmetric(fact.predicate) and obj < subject:
                        subject, obj = obj, subject  # one direction for symmetric facts, as in their id
                    row = fact_rows[fact.predicate][fact_id] = {
                        "id": fact_id, "subjectId": subject, "objectId": obj, "evidence": {}}
                qualifiers = qualifier_properties(fact.qualifiers)
                for ev in fact.evidence:
                    ev_id = evidence_id(fact_id, ev.article_id, ev.start, ev.end)
                    row["evidence"][ev_id] = {
                        **qualifiers, "id": ev_id, "factId": fact_id, "predicate": fact.predicate,
                        "articleId": ev.article_id, "sentence": ev.sentence, "start": ev.start, "end": ev.end,
                        "extractor": ev.extractor, "confidence": float(ev.confidence),
                    }
                p.result.facts_written += 1
                p.result.facts_by_predicate[fact.predicate] += 1
            p.result.articles_written = 1
        published = {p.extraction.article.id: p.extraction.article.published for p in changed}
        new_evidence: dict[str, list[dict]] = {}  # fact id -> its evidence written by this transaction
        recompute: dict[str, list[str]] = defaultdict(list)  # predicate -> facts whose evidence set changed
        for predicate, rows in fact_rows.items():
            payload = []
            for row in rows.values():
                evidence = new_evidence[row["id"]] = list(row["evidence"].values())
                payload.append({"id": row["id"], "subjectId": row["subjectId"], "objectId": row["objectId"],
                                "derived": derived_fact_properties(evidence, published)})
            # created facts arrive with their properties; facts that existed (now locked) are returned
            recompute[predicate].extend(r["factId"] for r in tx.run(cypher.merge_facts(predicate), rows=payload))
        # Facts that lost evidence (a replaced article) and got none back in this batch.
        for predicate, fact_ids in touched.items():
            recompute[predicate].extend(sorted(fact_ids - fact_rows.get(predicate, {}).keys()))

        # Evidence already stored for the facts to recompute (read before the new evidence is written).
        stored: dict[str, list[dict]] = defaultdict(list)
        wanted = [fact_id for fact_ids in recompute.values() for fact_id in fact_ids]
        if wanted:
            for record in tx.run(cypher.STORED_EVIDENCE, factIds=wanted):
                stored[record["factId"]].append(record["evidence"])
                published[record["articleId"]] = record["published"]
        evidence_rows = [e for evidence in new_evidence.values() for e in evidence]
        if evidence_rows:
            tx.run(cypher.MERGE_EVIDENCE, rows=evidence_rows)

        for predicate, fact_ids in recompute.items():
            updates, unsupported = [], []
            for fact_id in fact_ids:
                evidence = {e["id"]: e for e in [*stored.get(fact_id, []), *new_evidence.get(fact_id, [])]}
                if evidence:
                    updates.append({"id": fact_id, "derived": derived_fact_properties(list(evidence.values()),
                                                                                      published)})
                else:
                    unsupported.append(fact_id)
            if updates:
                tx.run(cypher.set_fact_properties(predicate), rows=updates)
            if unsupported:  # no evidence left anywhere: the fact goes
                for record in tx.run(cypher.delete_unsupported_facts(predicate), factIds=unsupported):
                    for article_id in sorted(old_support.get(record["factId"], set())):
                        if article_id in by_article:
                            by_article[article_id].result.facts_removed += 1
                            break
        return prepared

    def _refuse_type_conflicts(self, tx: ManagedTransaction, changed: list[_Prepared]) -> None:
        """An entity id already stored with another type is not retyped: its facts are refused."""
        wanted = {eid: e.type for p in changed for eid, e in p.entities.items()}
        if not wanted:
            return
        rows = [{"id": eid, "type": type_name} for eid, type_name in wanted.items()]
        stored = {r["id"]: r["type"] for r in tx.run(cypher.ENTITY_TYPE_CONFLICTS, rows=rows)}
        conflicts = set(stored)
        if not conflicts:
            return
        for p in changed:
            for eid in conflicts & p.entities.keys():
                entity = p.entities.pop(eid)
                _refuse(p, entity.name, f"stored as a {stored[eid]} under id {eid!r}, cannot also be a "
                                        f"{entity.type}; give the {entity.type} its own id.")
            kept = []
            for fact_id, fact in p.facts:
                clash = {fact.subject.id, fact.object.id} & conflicts
                if clash:
                    _refuse(p, describe(fact), f"stored as another type: entity {sorted(clash)[0]!r} "
                                               "already exists with a different type.")
                else:
                    kept.append((fact_id, fact))
            p.facts = kept

    def _article_row(self, p: _Prepared) -> dict:
        article = p.extraction.article
        return {"id": article.id, "text": article.text, "title": article.title, "url": article.url,
                "published": article.published, "lang": article.lang, "source": article.source,
                "contentHash": article.content_hash, "extractorVersion": self.extractor_version}
