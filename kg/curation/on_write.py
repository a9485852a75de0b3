"""What the writer does with curation on every write, in its transaction (kg.store.writer):

1. the resolver's merges that come with the batch (`ArticleExtraction.merges`) are taken unless that source was
   decided before (merged, or split by a curator: a split is never undone by a resolver), the target is unknown,
   the types differ or the merge would close a cycle;
2. every entity id of the batch is redirected: merged-away ids to their live entity (its evidence keeps the
   extracted ends as `subjectMention`/`objectMention`), ids a curator retyped keep the curated type;
3. a fact whose ends became one entity, or whose id (extracted or redirected) a curator rejected, is not written:
   its evidence is parked, so a split (or nothing at all, for a rejection) decides later;
4. after the batch's entities are written, the new merges are applied (a stored source is merged like a curator's
   merge, by "resolver"; a new one becomes a stub) and logged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import cast

from neo4j import ManagedTransaction

from kg.curation.audit import write_log
from kg.curation.merging import live_entities, merge_entities
from kg.curation.records import RESOLVER, FactChanges, MergeRecord, ParkReason, new_id, now
from kg.curation.redirects import Redirects, load_redirects
from kg.curation.regroup import FactRules
from kg.errors import OntologyViolation
from kg.model import Entity, EntityMerge, Fact
from kg.store import curation_cypher as q
from kg.terms import EntityTypeName
from kg.validation import validate_fact

Mentions = tuple[str, str]  # the extracted (subject, object) ids of a piece of evidence


@dataclass
class BatchCuration:
    """What curation changes in one batch: where ids point, verdicts on fact ids, merges to apply."""

    redirects: Redirects
    targets: dict[str, Entity]  # live or batch entity of every redirected id's target (and curated types)
    new_merges: list[EntityMerge] = field(default_factory=list)
    rejected: set[str] = field(default_factory=set)
    confirmed: set[str] = field(default_factory=set)

    def entity(self, entity: Entity) -> Entity:
        """The entity a fact end stands for now."""
        target_id = self.redirects.target(entity.id)
        found = self.targets.get(target_id)
        if found is not None:
            return found
        curated = self.redirects.curated_types.get(entity.id)
        return replace(entity, type=cast(EntityTypeName, curated)) if curated else entity


@dataclass(frozen=True)
class PlacedFact:
    """A fact of the batch after curation: its id and ends now, the extracted ends when they moved, and why it is
    parked instead of written (None: written)."""

    fact_id: str
    fact: Fact
    mentions: Mentions | None
    parked_for: ParkReason | None


def _taken_merges(tx: ManagedTransaction, merges: Sequence[EntityMerge], batch: dict[str, Entity],
                  redirects: Redirects) -> list[EntityMerge]:
    """The resolver's merges the writer applies (see the module's docstring, step 1)."""
    decided = {r["sourceId"] for r in tx.run(q.MERGES_OF_SOURCES, ids=sorted({m.source_id for m in merges}))}
    ends = {m.source_id for m in merges} | {redirects.target(m.target_id) for m in merges}
    types = {i: str(e["type"]) for i, e in live_entities(tx, sorted(ends)).items()}
    types.update({i: e.type for i, e in batch.items() if i not in types})
    taken: list[EntityMerge] = []
    for merge in merges:
        pending = redirects.with_merges({m.source_id: m.target_id for m in taken})
        target = pending.target(merge.target_id)
        if (merge.source_id in decided or pending.is_redirected(merge.source_id) or target == merge.source_id
                or merge.source_id not in types or types.get(target) != types[merge.source_id]):
            continue
        taken.append(merge)
    return taken


def load_batch_curation(tx: ManagedTransaction, entities: dict[str, Entity], facts: Sequence[tuple[str, Fact]],
                        merges: Sequence[EntityMerge]) -> BatchCuration:
    """Steps 1-2 for a batch: its entities (id -> entity, pooled across articles), its facts, its merges; then the
    verdicts on every id its facts may take."""
    redirects = load_redirects(tx, [*entities, *(m.target_id for m in merges)])
    taken = _taken_merges(tx, merges, entities, redirects) if merges else []
    redirects = redirects.with_merges({m.source_id: m.target_id for m in taken})
    finals = {redirects.target(i) for i in entities if redirects.is_redirected(i)}
    stored = live_entities(tx, sorted(finals)) if finals else {}
    targets = {i: Entity(i, e["name"], e["type"], e["kind"], set(e["aliases"]), e["wikidataId"])
               for i, e in stored.items()}
    targets.update({i: entities[i] for i in finals if i not in targets and i in entities})
    for entity_id, type_name in redirects.curated_types.items():
        if entity_id in entities:
            targets[entity_id] = replace(entities[entity_id], type=cast(EntityTypeName, type_name))
    curation = BatchCuration(redirects, targets, taken)
    _load_verdicts(tx, curation, fact_ids_to_check(curation, facts))
    return curation


def _load_verdicts(tx: ManagedTransaction, curation: BatchCuration, fact_ids: Iterable[str]) -> None:
    for record in tx.run(q.FACT_CURATIONS, ids=sorted(set(fact_ids))):
        (curation.rejected if record["curation"] == "rejected" else curation.confirmed).add(record["id"])


def place_fact(curation: BatchCuration, fact_id: str, fact: Fact) -> PlacedFact:
    """Step 3 for one fact: redirected ends, re-validated when they changed (OntologyViolation if the curated type
    does not fit the predicate)."""
    subject, obj = curation.entity(fact.subject), curation.entity(fact.object)
    moved = (subject.id, obj.id) != (fact.subject.id, fact.object.id)
    placed = fact if not moved and (subject.type, obj.type) == (fact.subject.type, fact.object.type) else \
        Fact(subject, fact.predicate, obj, fact.qualifiers, fact.evidence)
    mentions = (fact.subject.id, fact.object.id) if moved else None
    new_id_ = placed.id
    if subject.id == obj.id:
        return PlacedFact(new_id_, placed, mentions or (fact.subject.id, fact.object.id), "merged-ends")
    if placed is not fact:
        validate_fact(placed)
    if fact_id in curation.rejected or new_id_ in curation.rejected:
        return PlacedFact(new_id_, placed, mentions or (fact.subject.id, fact.object.id), "rejected")
    return PlacedFact(new_id_, placed, mentions, None)


def fact_ids_to_check(curation: BatchCuration, facts: Iterable[tuple[str, Fact]]) -> set[str]:
    """Every fact id a batch's facts may take: as extracted and as redirected (what verdicts are read for)."""
    ids = set()
    for fact_id, fact in facts:
        ids.add(fact_id)
        try:
            ids.add(place_fact(curation, fact_id, fact).fact_id)
        except OntologyViolation:
            continue
    return ids


def stub_rows(curation: BatchCuration, entities: Iterable[Entity]) -> list[dict[str, object]]:
    """Merged-away entities of the batch as stub rows (their names kept there, not on the target)."""
    return [{"id": e.id, "name": e.name, "type": e.type, "kind": e.kind, "wikidataId": e.wikidata_id,
             "aliases": e.all_names(), "mergedInto": curation.redirects.merged_into[e.id]}
            for e in entities if curation.redirects.is_redirected(e.id)]


def apply_new_merges(tx: ManagedTransaction, curation: BatchCuration, batch: dict[str, Entity],
                     rules: FactRules) -> FactChanges:
    """Step 4: the resolver's merges taken for this batch, once the batch's entities are written."""
    changes = FactChanges()
    for merge in curation.new_merges:
        target = curation.redirects.target(merge.target_id)
        if merge.source_id in live_entities(tx, [merge.source_id]):
            outcome = merge_entities(tx, target, merge.source_id, rules, by=merge.by or RESOLVER, why=merge.why,
                                     score=merge.score, rule=merge.rule, names=merge.names)
            changes.include(outcome.changes)
        else:
            _record_new_stub_merge(tx, replace(merge, target_id=target), batch[merge.source_id])
    return changes


def _record_new_stub_merge(tx: ManagedTransaction, merge: EntityMerge, source: Entity) -> None:
    """A merge whose source was never stored: its stub is written with the batch; the record, the target's new
    aliases and the log entry here."""
    when = now()
    added = tx.run(q.ADD_ALIASES, id=merge.target_id, aliases=source.all_names(), languages=[]).single()
    record = MergeRecord(id=new_id(), source_id=merge.source_id, target_id=merge.target_id,
                         names=merge.names or tuple(source.all_names()),
                         score=merge.score, rule=merge.rule, by=merge.by or RESOLVER, at=when, why=merge.why,
                         added_aliases=tuple(added["fresh"] if added else ()))
    tx.run(q.CREATE_MERGE_RECORD, row=record.row())
    write_log(tx, "merge", record.by, merge.why, f"merged {merge.source_id} ({source.name}) into {merge.target_id} "
              f"(rule {merge.rule}, score {merge.score:g})", [merge.target_id, merge.source_id], (), when)


def delete_parked_evidence(tx: ManagedTransaction, article_ids: Sequence[str]) -> None:
    """Parked evidence of articles being replaced or retracted goes with their live evidence."""
    if article_ids:
        tx.run(q.DELETE_ARTICLES_PARKED_EVIDENCE, articleIds=list(article_ids))


def write_stubs(tx: ManagedTransaction, rows: list[dict[str, object]]) -> None:
    if rows:
        tx.run(q.MERGE_STUBS, rows=rows)


def write_parked_evidence(tx: ManagedTransaction, rows: list[dict[str, object]]) -> None:
    if rows:
        tx.run(q.MERGE_PARKED_EVIDENCE, rows=rows)


def confirm_written(tx: ManagedTransaction, curation: BatchCuration, written: dict[str, set[str]]) -> None:
    """Facts written on ids a curator confirmed carry `curation: confirmed` (a fact recreated after losing all its
    evidence, or put back by a split)."""
    for predicate, fact_ids in sorted(written.items()):
        confirmed = sorted(fact_ids & curation.confirmed)
        if confirmed:
            tx.run(q.set_fact_curation(predicate), ids=confirmed, curation="confirmed")
