"""Evidence placed again on the fact its ends give now, and facts recomputed from their evidence.

Every piece of evidence remembers the ends the extractor gave it (`subjectMention`, `objectMention`, stored only
when they differ from the fact's ends). After a merge or a split, each piece of evidence that may be affected is
placed again: its extracted ends are redirected (kg.curation.redirects), which gives its fact id. Evidence whose
ends did not move is left alone (so an undated report folded into a dated fact stays folded). Evidence whose two
ends became one entity, or whose fact is rejected, or which would repeat the id of another piece of evidence of its
new fact is parked (`:ParkedEvidence`, supporting no fact) until a split frees it. Facts are then recomputed from
all their evidence (kg.store.writer's rule; a fact left with none goes) and time settled again (undated events
folded, validity intervals derived).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from neo4j import ManagedTransaction

from kg.curation.records import FactChanges, ParkReason
from kg.curation.redirects import Redirects, load_redirects
from kg.model import evidence_id, fact_id_for
from kg.store import curation_cypher as q
from kg.store import cypher, time_writes
from kg.store.corroboration import EvidenceArticle
from kg.vocabulary import vocabulary

Row = dict[str, Any]
PARK_ONLY_KEYS = ("parkedFor",)
DeriveFacts = Callable[[list[Row], Mapping[str, EvidenceArticle]], Row]  # kg.store.writer.derived_fact_properties


@dataclass(frozen=True)
class FactRules:
    """The writer's rules a regroup applies (passed in: kg.store.writer imports this package)."""

    derive: DeriveFacts  # a new fact's properties from its evidence
    recompute: time_writes.Recompute  # facts recomputed from all their stored evidence (none left: deleted)


@dataclass(frozen=True)
class Candidate:
    """A piece of evidence to place again, as stored, and whether it is parked."""

    evidence: Row
    parked: bool

    @property
    def extracted_ends(self) -> tuple[str, str]:
        ev = self.evidence
        return ev.get("subjectMention") or ev["subjectId"], ev.get("objectMention") or ev["objectId"]


@dataclass(frozen=True)
class Placement:
    """Where a piece of evidence belongs: its fact id and ends, or the reason it supports no fact."""

    fact_id: str
    subject_id: str
    object_id: str
    parked_for: ParkReason | None


def _ends(predicate: str, subject_id: str, object_id: str) -> tuple[str, str]:
    """A fact's ends as stored: sorted for a symmetric predicate (as in its id)."""
    if vocabulary().is_symmetric(predicate) and object_id < subject_id:
        return object_id, subject_id
    return subject_id, object_id


def place(candidate: Candidate, redirects: Redirects, rejected: set[str]) -> Placement:
    ev = candidate.evidence
    predicate, date = ev["predicate"], ev.get("date")
    mention_s, mention_o = candidate.extracted_ends
    s, o = _ends(predicate, redirects.target(mention_s), redirects.target(mention_o))
    fact_id = fact_id_for(s, predicate, o, date)
    if s == o:
        return Placement(fact_id, s, o, "merged-ends")
    if fact_id in rejected or fact_id_for(mention_s, predicate, mention_o, date) in rejected:
        return Placement(fact_id, s, o, "rejected")
    return Placement(fact_id, s, o, None)


def _unmoved(candidate: Candidate, placement: Placement) -> bool:
    ev = candidate.evidence
    if candidate.parked:
        return placement.parked_for == ev.get("parkedFor") and placement.fact_id == ev.get("factId")
    return placement.parked_for is None and (placement.subject_id, placement.object_id) == (ev["subjectId"],
                                                                                             ev["objectId"])


def moved_row(candidate: Candidate, placement: Placement, parked_for: ParkReason | None) -> Row:
    """The evidence as it will be stored in its new place (a new id: evidence ids derive from their fact)."""
    ev = candidate.evidence
    mention_s, mention_o = candidate.extracted_ends
    row = {k: v for k, v in ev.items() if k not in PARK_ONLY_KEYS}
    row.update(factId=placement.fact_id, subjectId=placement.subject_id, objectId=placement.object_id)
    same = _ends(ev["predicate"], mention_s, mention_o) == (placement.subject_id, placement.object_id)
    keep_mentions = parked_for is not None or not same
    row["subjectMention"], row["objectMention"] = (mention_s, mention_o) if keep_mentions else (None, None)
    if parked_for is None:
        row["id"] = evidence_id(placement.fact_id, ev["articleId"], ev["start"], ev["end"])
    else:
        key = f"{placement.fact_id}|{mention_s}|{mention_o}"
        row["id"], row["parkedFor"] = evidence_id(key, ev["articleId"], ev["start"], ev["end"]), parked_for
    return row


@dataclass
class _Plan:
    """What a regroup deletes and writes."""

    delete_live: list[str]
    delete_parked: list[str]
    live_rows: list[Row]
    parked_rows: list[Row]
    old_facts: dict[str, set[str]]  # predicate -> fact ids that lost evidence
    pairs: set[time_writes.Pair]


def _plan(tx: ManagedTransaction, candidates: list[Candidate], redirects: Redirects, rejected: set[str]) -> _Plan:
    plan = _Plan([], [], [], [], defaultdict(set), set())
    placed = [(c, place(c, redirects, rejected)) for c in candidates]
    moving = [(c, p) for c, p in placed if not _unmoved(c, p)]
    leaving = {c.evidence["id"] for c, _ in moving if not c.parked}
    wanted = [evidence_id(p.fact_id, c.evidence["articleId"], c.evidence["start"], c.evidence["end"])
              for c, p in moving if p.parked_for is None]
    taken = {r["id"] for r in tx.run(q.EXISTING_EVIDENCE, ids=wanted)} - leaving
    for candidate, placement in moving:
        ev = candidate.evidence
        (plan.delete_parked if candidate.parked else plan.delete_live).append(ev["id"])
        if not candidate.parked:
            plan.old_facts[ev["predicate"]].add(ev["factId"])
            plan.pairs.add((ev["predicate"], ev["subjectId"], ev["objectId"]))
        reason = placement.parked_for
        row = moved_row(candidate, placement, reason)
        if reason is None and row["id"] in taken:
            reason, row = "duplicate", moved_row(candidate, placement, "duplicate")
        if reason is None:
            taken.add(row["id"])
            plan.live_rows.append(row)
            plan.pairs.add((ev["predicate"], placement.subject_id, placement.object_id))
        else:
            plan.parked_rows.append(row)
    return plan


def _rejected_among(tx: ManagedTransaction, candidates: list[Candidate], redirects: Redirects) -> set[str]:
    """The rejected fact ids any candidate could be placed on (its redirected or its extracted fact id)."""
    ids = set()
    for c in candidates:
        placement = place(c, redirects, set())
        mention_s, mention_o = c.extracted_ends
        ids |= {placement.fact_id, fact_id_for(mention_s, c.evidence["predicate"], mention_o, c.evidence.get("date"))}
    return {r["id"] for r in tx.run(q.FACT_CURATIONS, ids=sorted(ids)) if r["curation"] == "rejected"}


def existing_fact_ids(tx: ManagedTransaction, by_predicate: dict[str, set[str]]) -> set[str]:
    found: set[str] = set()
    for predicate, ids in sorted(by_predicate.items()):
        if ids:
            found |= {r["id"] for r in tx.run(q.existing_facts(predicate), ids=sorted(ids))}
    return found


def restore_confirmations(tx: ManagedTransaction, by_predicate: dict[str, set[str]]) -> None:
    """Facts (re)created on ids a curator confirmed carry `curation: confirmed` again."""
    ids = sorted(i for fact_ids in by_predicate.values() for i in fact_ids)
    confirmed = {r["id"] for r in tx.run(q.FACT_CURATIONS, ids=ids) if r["curation"] == "confirmed"}
    for predicate, fact_ids in sorted(by_predicate.items()):
        if fact_ids & confirmed:
            tx.run(q.set_fact_curation(predicate), ids=sorted(fact_ids & confirmed), curation="confirmed")


def _write_new_facts(tx: ManagedTransaction, rows: list[Row], derive: DeriveFacts) -> dict[str, set[str]]:
    """One relationship per new fact id (existing ones are left to the recompute); returns predicate -> ids."""
    by_fact: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for row in rows:
        by_fact[(row["predicate"], row["factId"])].append(row)
    payload: dict[str, list[Row]] = defaultdict(list)
    for (predicate, fact_id), evidence in sorted(by_fact.items()):
        payload[predicate].append({"id": fact_id, "subjectId": evidence[0]["subjectId"],
                                   "objectId": evidence[0]["objectId"], "derived": derive(evidence, {})})
    for predicate, fact_rows in sorted(payload.items()):
        tx.run(cypher.merge_facts(predicate), rows=fact_rows)
    return {predicate: {r["id"] for r in fact_rows} for predicate, fact_rows in payload.items()}


def regroup(tx: ManagedTransaction, candidates: Iterable[Candidate], rules: FactRules) -> FactChanges:
    """Place these pieces of evidence again (see the module's docstring); returns the facts added, updated and
    removed."""
    unique = list({(c.parked, c.evidence["id"]): c for c in candidates}.values())
    if not unique:
        return FactChanges()
    redirects = load_redirects(tx, {end for c in unique for end in c.extracted_ends})
    plan = _plan(tx, unique, redirects, _rejected_among(tx, unique, redirects))
    new_ids: dict[str, set[str]] = defaultdict(set)
    for row in plan.live_rows:
        new_ids[row["predicate"]].add(row["factId"])
    existed = existing_fact_ids(tx, new_ids)
    tx.run(q.DELETE_EVIDENCE_BY_ID, ids=plan.delete_live)
    tx.run(q.DELETE_PARKED_BY_ID, ids=plan.delete_parked)
    if plan.live_rows:
        tx.run(cypher.MERGE_EVIDENCE, rows=plan.live_rows)
    if plan.parked_rows:
        tx.run(q.MERGE_PARKED_EVIDENCE, rows=plan.parked_rows)
    _write_new_facts(tx, plan.live_rows, rules.derive)
    touched: dict[str, set[str]] = defaultdict(set)
    for predicate in {*plan.old_facts, *new_ids}:
        touched[predicate] = plan.old_facts.get(predicate, set()) | new_ids.get(predicate, set())
        rules.recompute(tx, predicate, sorted(touched[predicate]))
    restore_confirmations(tx, {p: ids - existed for p, ids in new_ids.items()})
    time_writes.settle(tx, sorted(plan.pairs), rules.recompute)
    alive = existing_fact_ids(tx, touched)
    before = existed | {i for ids in plan.old_facts.values() for i in ids}
    return FactChanges(added=alive - before, updated=alive & before, removed=before - alive)
