"""Idempotent, batched writes of extractions to Neo4j.

Many articles share one transaction (`write_batch`); inside it every step is one UNWIND + MERGE query per label or
relationship type. Rules (each tested against a real Neo4j, see docs/graph-model.md):
- the same fact from two articles is one relationship with two Evidence nodes;
- writing an unchanged article again (same text, same extractor version) changes nothing;
- writing an edited article replaces that article's evidence and removes facts left without evidence;
- a fact's qualifiers, evidence count, first publication date, independent sources and languages are recomputed
  from all its evidence (kg.store.corroboration);
- an article that copies a stored one joins its duplicate cluster (kg.store.duplicates) before its facts are
  recomputed, so a copy never counts as a new source;
- entities merge on their id and keep every alias; an id already stored with another type is refused;
- a fact or entity that breaks the ontology is refused with a logged reason, never stored;
- curation holds (kg.curation.on_write, docs/curation.md): ids are redirected through stored and new merges, a
  curated type is kept, a rejected fact (or one whose ends became one entity) is parked, never written as a fact.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from neo4j import ManagedTransaction

from kg.curation import on_write
from kg.curation.records import FactChanges
from kg.curation.regroup import FactRules
from kg.errors import OntologyViolation
from kg.model import (
    DEFAULT_MODALITY,
    QUALIFIER_PROPERTIES,
    Article,
    ArticleExtraction,
    Entity,
    Fact,
    camel_case,
    date_precision,
    date_properties,
    evidence_id,
    qualifier_properties,
)
from kg.name_languages import seen_names
from kg.store import changes, corroboration, cypher, duplicates, rereads, time_writes
from kg.store.connection import GraphConnection
from kg.store.corroboration import EvidenceArticle
from kg.store.schema import apply_schema
from kg.validation import validate_entity, validate_fact
from kg.vocabulary import vocabulary

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 500  # articles per transaction in write_all
ARTICLE_METADATA = ("published", "source", "lang", "url", "title")  # a change to one of them is written

Row = dict[str, Any]  # one row of an UNWIND query

# Kept importable here for code written against the writer (ingest, benchmarks): defined in kg.model.
__all__ = ["DEFAULT_BATCH_SIZE", "QUALIFIER_PROPERTIES", "GraphWriter", "RefusedFact", "RetractResult", "WriteResult",
           "camel_case", "derived_fact_properties", "evidence_id", "qualifier_properties"]


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
    facts_by_predicate: Counter[str] = field(default_factory=Counter)
    refused: list[RefusedFact] = field(default_factory=list)

    def add(self, other: WriteResult) -> None:
        self.articles_written += other.articles_written
        self.articles_unchanged += other.articles_unchanged
        self.facts_written += other.facts_written
        self.facts_removed += other.facts_removed
        self.facts_by_predicate.update(other.facts_by_predicate)
        self.refused.extend(other.refused)


@dataclass(frozen=True)
class RetractResult:
    articles_removed: int = 0
    facts_removed: int = 0  # left without evidence
    facts_recomputed: int = 0  # kept evidence from other articles


def derived_fact_properties(evidence: list[Row], articles: Mapping[str, EvidenceArticle]) -> Row:
    """A fact's properties from all its evidence rows and their articles (the single definition of the rule,
    applied to every fact the writer creates or whose evidence changes): evidence count, earliest publication date
    (`firstPublished`: when the fact was first reported), independent sources (`sourceCount`) and `languages`
    (kg.store.corroboration), the most precise date, and every other qualifier from the most confident evidence
    that has one (ties: smaller evidence id)."""
    ordered = sorted(evidence, key=lambda e: (-e["confidence"], e["id"]))
    dates = [day for e in ordered if (known := articles.get(e["articleId"])) and (day := known.published)]
    supporting = [e["articleId"] for e in ordered]
    # the longest date is the most precise; among equally precise ones, the most confident evidence's (max keeps
    # the first of equal keys)
    date = max((e["date"] for e in ordered if e.get("date") is not None), key=len, default=None)
    first = min(dates) if dates else None
    props: Row = {"evidenceCount": len(ordered), "firstPublished": first, "date": date,
                  "datePrecision": date_precision(date), **date_properties(date),
                  "firstPublishedOn": date_properties(first[:10] if first else None)["dateStart"],
                  "sourceCount": corroboration.source_count(supporting, articles),
                  "languages": corroboration.languages(supporting, articles)}
    for name in QUALIFIER_PROPERTIES.values():
        if name != "date":
            props[name] = next((e[name] for e in ordered if e.get(name) is not None), None)
    props["modality"] = props["modality"] or DEFAULT_MODALITY
    return props


def entity_row(entity: Entity, lang: str | None = None) -> Row:
    return {"id": entity.id, "name": entity.name, "type": entity.type, "kind": entity.kind,
            "wikidataId": entity.wikidata_id, "aliases": entity.all_names(),
            "nameLanguages": seen_names(entity.all_names(), lang)}  # kg.name_languages: for RDF language tags


def describe(fact: Fact) -> str:
    return f"{fact.subject.name} —{fact.predicate}→ {fact.object.name}"


@dataclass
class _Prepared:
    """One article's validated content, ready to be turned into rows."""

    extraction: ArticleExtraction
    facts: list[tuple[str, Fact]]  # (fact id, fact)
    entities: dict[str, Entity]
    result: WriteResult
    mentions: dict[str, on_write.Mentions] = field(default_factory=dict)  # evidence id -> extracted ends, if moved
    parked: list[on_write.PlacedFact] = field(default_factory=list)  # facts curation keeps out (rejected, ...)

    @property
    def article_id(self) -> str:
        return self.extraction.article.id

    def attempt(self) -> _Prepared:
        """A fresh copy for one transaction attempt (execute_write may retry): refusals so far are kept."""
        return _Prepared(self.extraction, list(self.facts), dict(self.entities),
                         WriteResult(refused=list(self.result.refused)))


def _refuse(prepared: _Prepared, description: str, reason: str) -> None:
    log.warning("refused from article %s: %s (%s)", prepared.article_id, description, reason)
    prepared.result.refused.append(RefusedFact(prepared.article_id, description, reason))


def _check_fact(fact: Fact, article_id: str) -> None:
    validate_fact(fact)
    strangers = {ev.article_id for ev in fact.evidence} - {article_id}
    if strangers:
        raise OntologyViolation(
            f"its evidence cites article(s) {sorted(strangers)}, not {article_id!r}: write each article's "
            "facts with that article."
        )


def _add_entity(prepared: _Prepared, entity: Entity) -> None:
    """Merge an entity into the article's entities: one per id, aliases pooled; one id with two types is refused."""
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


def _prepare(extraction: ArticleExtraction) -> _Prepared:
    prepared = _Prepared(extraction, [], {}, WriteResult())
    for fact in extraction.facts:
        try:
            _check_fact(fact, prepared.article_id)
        except OntologyViolation as exc:
            _refuse(prepared, describe(fact), str(exc))
            continue
        prepared.facts.append((fact.id, fact))
    for entity in extraction.entities:  # the article's own entities are validated here
        try:
            validate_entity(entity)
        except OntologyViolation as exc:
            _refuse(prepared, entity.name or entity.id, str(exc))
            continue
        _add_entity(prepared, entity)
    for _, fact in prepared.facts:  # a fact's ends were validated with the fact
        _add_entity(prepared, fact.subject)
        _add_entity(prepared, fact.object)
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


@dataclass
class _Replaced:
    """What deleting the evidence of replaced articles left to do."""

    touched: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # predicate -> fact ids
    pairs: set[tuple[str, str, str]] = field(default_factory=set)  # (predicate, subject, object) of those facts
    old_support: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # fact id -> articles


@dataclass
class _FactWrites:
    """The facts a transaction merged: the evidence it brings, and the facts to recompute from all their evidence."""

    new_evidence: dict[str, list[Row]] = field(default_factory=dict)  # fact id -> its evidence rows
    recompute: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # predicate -> fact ids
    pairs: set[tuple[str, str, str]] = field(default_factory=set)  # (predicate, subject, object) merged
    created_articles: set[str] = field(default_factory=set)  # articles created by this transaction: new evidence


def _merged_entity_rows(changed: list[_Prepared]) -> list[Row]:
    """One row per entity id across the batch, aliases pooled, kind and Wikidata id from the first that has one."""
    rows: dict[str, Row] = {}
    for p in changed:
        lang = p.extraction.article.lang
        for entity in p.entities.values():
            row = rows.get(entity.id)
            if row is None:
                rows[entity.id] = entity_row(entity, lang)
            else:
                row["aliases"] = sorted(set(row["aliases"]) | set(entity.all_names()))
                row["nameLanguages"] = sorted({*row["nameLanguages"], *seen_names(entity.all_names(), lang)})
                row["kind"] = row["kind"] or entity.kind
                row["wikidataId"] = row["wikidataId"] or entity.wikidata_id
    return list(rows.values())


def _fact_row(fact_id: str, fact: Fact) -> Row:
    subject, obj = fact.subject.id, fact.object.id
    if vocabulary().is_symmetric(fact.predicate) and obj < subject:
        subject, obj = obj, subject  # one direction for symmetric facts, as in their id
    return {"id": fact_id, "subjectId": subject, "objectId": obj, "evidence": {}}


def _evidence_rows(fact_id: str, fact: Fact, ends: Row) -> dict[str, Row]:
    qualifiers = qualifier_properties(fact.qualifiers)
    rows = {}
    for ev in fact.evidence:
        ev_id = ev.id_in(fact_id)
        rows[ev_id] = {**qualifiers, **date_properties(fact.qualifiers.date), "id": ev_id,
                       "subjectId": ends["subjectId"], "objectId": ends["objectId"], "factId": fact_id,
                       "predicate": fact.predicate,
                       "articleId": ev.article_id, "sentence": ev.sentence, "start": ev.start, "end": ev.end,
                       "extractor": ev.extractor, "confidence": float(ev.confidence)}
    return rows


def _with_mentions(rows: dict[str, Row], mentions: dict[str, on_write.Mentions]) -> dict[str, Row]:
    """Evidence rows of a redirected fact keep the ends the extractor gave (what a split puts back)."""
    for ev_id, row in rows.items():
        if ev_id in mentions:
            row["subjectMention"], row["objectMention"] = mentions[ev_id]
    return rows


def _parked_rows(changed: list[_Prepared]) -> list[Row]:
    """The evidence of the facts curation keeps out of the graph's facts (kg.curation.on_write)."""
    rows: list[Row] = []
    for p in changed:
        for placed in p.parked:
            ends = _fact_row(placed.fact_id, placed.fact)
            for row in _evidence_rows(placed.fact_id, placed.fact, ends).values():
                assert placed.mentions is not None  # a parked fact always keeps its extracted ends
                key = f"{placed.fact_id}|{placed.mentions[0]}|{placed.mentions[1]}"
                rows.append({**row, "id": evidence_id(key, row["articleId"], row["start"], row["end"]),
                             "parkedFor": placed.parked_for, "subjectMention": placed.mentions[0],
                             "objectMention": placed.mentions[1]})
    return rows


def _fact_rows(changed: list[_Prepared]) -> dict[str, dict[str, Row]]:
    """predicate -> fact id -> row with all the evidence the batch has for it; counts each article's facts."""
    rows: dict[str, dict[str, Row]] = defaultdict(dict)
    for p in changed:
        for fact_id, fact in p.facts:
            row = rows[fact.predicate].get(fact_id)
            if row is None:
                row = rows[fact.predicate][fact_id] = _fact_row(fact_id, fact)
            row["evidence"].update(_with_mentions(_evidence_rows(fact_id, fact, row), p.mentions))
        _count_written(p)
    return rows


def _count_written(p: _Prepared) -> None:
    """An article written (or re-read identical: kg.store.rereads) counts as written with all its facts."""
    for _, fact in p.facts:
        p.result.facts_written += 1
        p.result.facts_by_predicate[fact.predicate] += 1
    p.result.articles_written = 1


def _article_evidence_rows(p: _Prepared) -> dict[str, Row]:
    """The evidence rows of one article's facts, by evidence id (as `_fact_rows` builds them)."""
    rows: dict[str, Row] = {}
    for fact_id, fact in p.facts:
        rows.update(_with_mentions(_evidence_rows(fact_id, fact, _fact_row(fact_id, fact)), p.mentions))
    return rows


class GraphWriter:
    """Writes extractions to Neo4j. Creates the schema once before its first write."""

    def __init__(self, conn: GraphConnection, extractor_version: str = "unversioned",
                 batch_size: int = DEFAULT_BATCH_SIZE, detect_duplicates: bool = True) -> None:
        self.conn = conn
        self.detect_duplicates = detect_duplicates  # off: articles join no cluster (benchmarks/dedup_cost.py)
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
            written = self.conn.write(self._write_transaction, prepared)
            outcome.extend((p.extraction, p.result) for p in written)
        return outcome

    def retract(self, article_ids: Sequence[str]) -> RetractResult:
        """Take articles back out: their evidence goes, every fact left without evidence goes, the facts that kept
        some are recomputed (counts, first publication, date) and intervals derived again. Idempotent; the
        entities stay (kg never deletes an entity implicitly); writing the article again brings it back whole."""
        self.ensure_schema()
        return self.conn.write(_retract_transaction, sorted(set(article_ids)))

    def articles_from_source(self, source: str) -> list[str]:
        """The ids of the articles stored with this `source` (what `kg retract --source` takes out)."""
        return [r["id"] for r in self.conn.read(cypher.ARTICLES_FROM_SOURCE, {"source": source})]

    def _write_transaction(self, tx: ManagedTransaction, validated: list[_Prepared]) -> list[_Prepared]:
        """The five steps of a write, in one transaction (each one or a few UNWIND queries for the whole batch)."""
        prepared = [p.attempt() for p in validated]
        changed, states = self._skip_unchanged(tx, prepared)
        if not changed:
            return prepared
        curation, stubs = _curate(tx, changed)
        self._refuse_type_conflicts(tx, changed)
        reread = self._identical_rereads(tx, changed, states)
        writing = [p for p in changed if p.article_id not in reread]
        stored_changed = [p.article_id for p in writing if p.article_id in states]
        replaced = self._delete_replaced_evidence(tx, stored_changed)
        before = changes.snapshot_facts(tx, replaced.pairs | {(f.predicate, f.subject.id, f.object.id)
                                                              for p in writing for _, f in p.facts})
        to_place = [p.extraction.article for p in writing]
        found = duplicates.look_up(tx, to_place) if self.detect_duplicates else None  # before the articles change
        created = {r["id"] for r in tx.run(cypher.MERGE_ARTICLES, rows=[self._article_row(p) for p in changed])}
        clusters = duplicates.assign(tx, to_place, stored_changed, compare=self.detect_duplicates, found=found)
        self._merge_entities(tx, changed)
        merged = _apply_curation(tx, curation, stubs, changed)
        articles = {p.article_id: corroboration.of_article(p.extraction.article, clusters.get(p.article_id))
                    for p in writing}
        writes = self._merge_facts(tx, writing, articles, replaced)
        writes.created_articles = created
        for p in changed:
            if p.article_id in reread:
                _count_written(p)
        on_write.confirm_written(tx, curation, _written_facts(changed))
        self._recompute_fact_properties(tx, writes, articles, replaced, {p.article_id: p for p in prepared})
        time_writes.settle(tx, sorted(writes.pairs | replaced.pairs), recompute_facts)
        changes.record_snapshot_changes(tx, before, writes.pairs | replaced.pairs, cause="ingest")
        # facts the resolver's new merges moved off other pairs (those on the batch's pairs are in the snapshot too)
        changes.record_fact_changes(tx, added=merged.added, updated=merged.updated, removed=merged.removed)
        return prepared

    def _identical_rereads(self, tx: ManagedTransaction, changed: list[_Prepared],
                           states: dict[str, Any]) -> set[str]:
        """The articles re-read by this extractor version that found exactly what is stored (kg.store.rereads):
        same text and metadata, already compared for duplicates, no entity merge, nothing parked."""
        if not self.detect_duplicates:
            return set()
        candidates = {p.article_id: _article_evidence_rows(p) for p in changed
                      if (state := states.get(p.article_id)) is not None and state["compared"]
                      and self._same_content(state, p.extraction.article)
                      and not p.extraction.merges and not p.parked}
        return rereads.identical(tx, candidates)

    @staticmethod
    def _same_content(state: Any, article: Article) -> bool:
        """Whether `state` (a row of ARTICLE_STATES) has this article's text and metadata (a new publication date
        or url is a change to write)."""
        return (state["contentHash"] == article.content_hash
                and all(state[name] == getattr(article, name) for name in ARTICLE_METADATA))

    def _is_stored(self, state: Any, article: Article) -> bool:
        """Whether `state` (a row of ARTICLE_STATES) is this article as stored: same text, same metadata, same
        extractor version."""
        return (state is not None and state["extractorVersion"] == self.extractor_version
                and self._same_content(state, article))

    def unchanged(self, articles: Sequence[Article]) -> set[str]:
        """The ids of the articles already stored exactly so (what `kg ingest` skips before extracting them)."""
        by_id = {a.id: a for a in articles}
        states = self.conn.read(cypher.ARTICLE_STATES, {"ids": list(by_id)})
        return {r["id"] for r in states if self._is_stored(r, by_id[r["id"]])}

    def _skip_unchanged(self, tx: ManagedTransaction,
                        prepared: list[_Prepared]) -> tuple[list[_Prepared], dict[str, Any]]:
        """Step 1: articles stored with the same text and extractor version are left alone. Returns the others,
        and the stored state (a row of ARTICLE_STATES) of every article already stored, by id."""
        states = {r["id"]: r for r in tx.run(cypher.ARTICLE_STATES, ids=[p.article_id for p in prepared])}
        changed: list[_Prepared] = []
        for p in prepared:
            if self._is_stored(states.get(p.article_id), p.extraction.article):
                p.result.articles_unchanged = 1
            else:
                changed.append(p)
        return changed, states

    @staticmethod
    def _delete_replaced_evidence(tx: ManagedTransaction, replaced_articles: list[str]) -> _Replaced:
        """Step 2: the evidence of articles being replaced goes; the facts it supported are remembered."""
        replaced = _Replaced()
        on_write.delete_parked_evidence(tx, replaced_articles)
        if replaced_articles:
            for record in tx.run(cypher.DELETE_ARTICLES_EVIDENCE, articleIds=replaced_articles):
                replaced.touched[record["predicate"]].add(record["factId"])
                replaced.old_support[record["factId"]].add(record["articleId"])
                if record["subjectId"] is not None:
                    replaced.pairs.add((record["predicate"], record["subjectId"], record["objectId"]))
        return replaced

    @staticmethod
    def _merge_entities(tx: ManagedTransaction, changed: list[_Prepared]) -> None:
        """Step 3: every entity of the batch, once."""
        rows = _merged_entity_rows(changed)
        if rows:
            tx.run(cypher.MERGE_ENTITIES, rows=rows)

    @staticmethod
    def _merge_facts(tx: ManagedTransaction, changed: list[_Prepared], articles: dict[str, EvidenceArticle],
                     replaced: _Replaced) -> _FactWrites:
        """Step 4: one relationship per fact; a new fact arrives with its properties, a fact that existed (and facts
        that lost evidence to a replaced article) are listed for step 5."""
        fact_rows = _fact_rows(changed)
        writes = _FactWrites()
        for predicate, rows in fact_rows.items():
            payload = []
            for row in rows.values():
                evidence = writes.new_evidence[row["id"]] = list(row["evidence"].values())
                writes.pairs.add((predicate, row["subjectId"], row["objectId"]))
                payload.append({"id": row["id"], "subjectId": row["subjectId"], "objectId": row["objectId"],
                                "derived": derived_fact_properties(evidence, articles)})
            existed = tx.run(cypher.merge_facts(predicate), rows=payload)
            writes.recompute[predicate].extend(r["factId"] for r in existed)
        for predicate, fact_ids in replaced.touched.items():  # lost evidence, got none back in this batch
            writes.recompute[predicate].extend(sorted(fact_ids - fact_rows.get(predicate, {}).keys()))
        return writes

    @staticmethod
    def _recompute_fact_properties(tx: ManagedTransaction, writes: _FactWrites, articles: dict[str, EvidenceArticle],
                                   replaced: _Replaced, by_article: dict[str, _Prepared]) -> list[str]:
        """Step 5: write the new evidence, then recompute the listed facts from all their evidence (stored evidence
        is read first); a fact left with none is deleted (its id returned)."""
        gone: list[str] = []
        stored: dict[str, list[Row]] = defaultdict(list)
        wanted = [fact_id for fact_ids in writes.recompute.values() for fact_id in fact_ids]
        if wanted:
            for record in tx.run(cypher.STORED_EVIDENCE, factIds=wanted):
                stored[record["factId"]].append(record["evidence"])
                articles[record["articleId"]] = corroboration.evidence_article(
                    record["articleId"], record["published"], record["lang"], record["source"], record["url"],
                    record["cluster"])
        _write_evidence(tx, [e for evidence in writes.new_evidence.values() for e in evidence], writes.created_articles)
        for predicate, fact_ids in writes.recompute.items():
            updates, unsupported = [], []
            for fact_id in fact_ids:
                evidence = {e["id"]: e for e in [*stored.get(fact_id, []), *writes.new_evidence.get(fact_id, [])]}
                if evidence:
                    updates.append({"id": fact_id, "derived": derived_fact_properties(list(evidence.values()),
                                                                                      articles)})
                else:
                    unsupported.append(fact_id)
            if updates:
                tx.run(cypher.set_fact_properties(predicate), rows=updates)
            if unsupported:
                removed = [r["factId"] for r in tx.run(cypher.delete_unsupported_facts(predicate),
                                                       factIds=unsupported)]
                _count_removed(removed, replaced, by_article)
                gone.extend(removed)
        return gone

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

    def _article_row(self, p: _Prepared) -> Row:
        article = p.extraction.article
        return {"id": article.id, "text": article.text, "title": article.title, "url": article.url,
                "published": article.published, "lang": article.lang, "source": article.source,
                "contentHash": article.content_hash, "extractorVersion": self.extractor_version}


def _write_evidence(tx: ManagedTransaction, rows: list[Row], created_articles: set[str]) -> None:
    """Evidence of articles this transaction created is created (it cannot exist); any other is merged."""
    fresh = [e for e in rows if e["articleId"] in created_articles]
    others = [e for e in rows if e["articleId"] not in created_articles]
    if fresh:
        tx.run(cypher.CREATE_EVIDENCE, rows=fresh)
    if others:
        tx.run(cypher.MERGE_EVIDENCE, rows=others)


def _retract_transaction(tx: ManagedTransaction, article_ids: list[str]) -> RetractResult:
    replaced = GraphWriter._delete_replaced_evidence(tx, article_ids)
    duplicates.release(tx, article_ids)
    before = changes.snapshot_facts(tx, replaced.pairs)
    deleted = tx.run(cypher.DELETE_ARTICLES, ids=article_ids).single()
    writes = _FactWrites()
    for predicate, fact_ids in replaced.touched.items():
        writes.recompute[predicate] = sorted(fact_ids)
    gone = GraphWriter._recompute_fact_properties(tx, writes, {}, replaced, {})
    time_writes.settle(tx, sorted(replaced.pairs), recompute_facts)
    changes.record_snapshot_changes(tx, before, replaced.pairs, cause="retract")
    touched = sum(len(ids) for ids in replaced.touched.values())
    return RetractResult(articles_removed=deleted["deleted"] if deleted else 0, facts_removed=len(gone),
                         facts_recomputed=touched - len(gone))


def _curate(tx: ManagedTransaction, changed: list[_Prepared]) -> tuple[on_write.BatchCuration, list[Row]]:
    """Curation before rows are built (kg.curation.on_write, steps 1-3): ends redirected, merged-away entities
    taken out of the batch's entities (returned as stub rows), curated types adopted, rejected and collapsed facts
    parked (a fact that no longer fits the ontology is refused)."""
    pooled = {eid: e for p in changed for eid, e in p.entities.items()}
    facts = [pair for p in changed for pair in p.facts]
    curation = on_write.load_batch_curation(tx, pooled, facts, [m for p in changed for m in p.extraction.merges])
    stubs = on_write.stub_rows(curation, pooled.values())
    for p in changed:
        p.entities = {eid: curation.entity(e) for eid, e in p.entities.items()
                      if not curation.redirects.is_redirected(eid)}
        kept = []
        for fact_id, fact in p.facts:
            try:
                placed = on_write.place_fact(curation, fact_id, fact)
            except OntologyViolation as exc:
                _refuse(p, describe(fact), f"{str(exc).rstrip('.')} (after curation of its entities).")
                continue
            if placed.parked_for is not None:
                p.parked.append(placed)
                continue
            if placed.mentions is not None:
                p.mentions.update({ev.id_in(placed.fact_id): placed.mentions for ev in fact.evidence})
            kept.append((placed.fact_id, placed.fact))
        p.facts = kept
    return curation, stubs


def _written_facts(changed: list[_Prepared]) -> dict[str, set[str]]:
    """predicate -> ids of the facts the batch wrote."""
    written: dict[str, set[str]] = defaultdict(set)
    for p in changed:
        for fact_id, fact in p.facts:
            written[fact.predicate].add(fact_id)
    return written


def _apply_curation(tx: ManagedTransaction, curation: on_write.BatchCuration, stubs: list[Row],
                    changed: list[_Prepared]) -> FactChanges:
    """Curation once the batch's articles and entities are written (kg.curation.on_write, step 4): the resolver's
    new merges, the stubs of merged-away entities, the parked evidence. Returns the facts the new merges moved."""
    pooled = {e.id: e for p in changed
              for e in [*p.extraction.entities, *(end for f in p.extraction.facts for end in (f.subject, f.object))]}
    moved = on_write.apply_new_merges(tx, curation, pooled, FactRules(derived_fact_properties, recompute_facts))
    on_write.write_stubs(tx, stubs)
    on_write.write_parked_evidence(tx, _parked_rows(changed))
    return moved


def recompute_facts(tx: ManagedTransaction, predicate: str, fact_ids: list[str]) -> None:
    """Recompute these facts from all their stored evidence (a fact left with none goes)."""
    writes = _FactWrites()
    writes.recompute[predicate] = fact_ids
    GraphWriter._recompute_fact_properties(tx, writes, {}, _Replaced(), {})


def _count_removed(fact_ids: list[str], replaced: _Replaced, by_article: dict[str, _Prepared]) -> None:
    """Each removed fact counts once, for the first (by id) of the batch's articles that lost evidence for it."""
    for fact_id in fact_ids:
        for article_id in sorted(replaced.old_support.get(fact_id, set())):
            if article_id in by_article:
                by_article[article_id].result.facts_removed += 1
                break
