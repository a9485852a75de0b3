"""Merge two entities, and split them again (the merge undone, each fact back on its entity).

A merge turns the merged-away entity into a stub (`:MergedEntity`, no `:Entity` label: no read lists it), records
the decision (`:EntityMerge` with names, score, rule, who, when, why), gives the target the stub's names as aliases
(remembered, so a split takes them back) and places the evidence of the stub's facts on the target's facts
(kg.curation.regroup). A split reverses each step. Both run in one transaction with their audit log entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from neo4j import ManagedTransaction

from kg.curation.audit import write_log
from kg.curation.errors import CurationConflict, CurationNotFound
from kg.curation.records import MergeRecord, Outcome, new_id, now
from kg.curation.redirects import load_redirects
from kg.curation.regroup import Candidate, FactRules, regroup
from kg.store import curation_cypher as q

Row = dict[str, Any]


def live_entities(tx: ManagedTransaction, ids: Sequence[str]) -> dict[str, Row]:
    return {r["id"]: r.data() for r in tx.run(q.ENTITIES_BY_ID, ids=list(ids))}


def _merged_target(tx: ManagedTransaction, entity_id: str) -> str | None:
    record = tx.run(q.MERGED_ENTITY, id=entity_id).single()
    return None if record is None else str(record["mergedInto"])


def missing_entity(tx: ManagedTransaction, entity_id: str) -> CurationNotFound:
    """The error for an id that names no live entity (saying where it went when it was merged away)."""
    target = _merged_target(tx, entity_id)
    if target is not None:
        final = load_redirects(tx, [entity_id]).target(entity_id)
        return CurationNotFound(f"Entity {entity_id!r} was merged into {final!r}: act on {final!r}, or split "
                                f"{entity_id!r} from {target!r} first.")
    return CurationNotFound(f"No entity has the id {entity_id!r}: find ids with GET /v1/entities?q=<name> or "
                            "`kg entities` commands.")


def check_mergeable(tx: ManagedTransaction, target_id: str, source_id: str) -> tuple[Row, Row]:
    """Both entities live, distinct and of one type; returns (target, source)."""
    if target_id == source_id:
        raise CurationConflict(f"Cannot merge {target_id!r} into itself: name two different entities.")
    found = live_entities(tx, [target_id, source_id])
    for entity_id in (target_id, source_id):
        if entity_id not in found:
            raise missing_entity(tx, entity_id)
    target, source = found[target_id], found[source_id]
    if target["type"] != source["type"]:
        raise CurationConflict(f"{source_id!r} is a {source['type']} and {target_id!r} a {target['type']}: only "
                               "entities of one type merge; retype one of them first.")
    return target, source


def merge_entities(tx: ManagedTransaction, target_id: str, source_id: str, rules: FactRules, *, by: str, why: str,
                   score: float = 1.0, rule: str = "curator", names: Sequence[str] = (),
                   at: str | None = None) -> Outcome:
    """Merge `source_id` into `target_id` (see the module's docstring). Logs the action; the caller records the
    fact changes (once per transaction)."""
    _, source = check_mergeable(tx, target_id, source_id)
    when = at or now()
    candidates = [Candidate(dict(r["evidence"]), r["parked"])
                  for r in tx.run(q.EVIDENCE_ON_FACTS_OF, id=source_id)]
    tx.run(q.STUB_ENTITY, id=source_id, targetId=target_id)
    source_names = sorted({source["name"], *source["aliases"]})
    added = tx.run(q.ADD_ALIASES, id=target_id, aliases=source_names, languages=source["nameLanguages"]).single()
    record = MergeRecord(id=new_id(), source_id=source_id, target_id=target_id,
                         names=tuple(names) or tuple(source_names), score=score, rule=rule, by=by, at=when, why=why,
                         added_aliases=tuple(added["fresh"] if added else ()),
                         added_name_languages=tuple(added["freshLanguages"] if added else ()))
    tx.run(q.CREATE_MERGE_RECORD, row=record.row())
    changes = regroup(tx, candidates, rules)
    detail = (f"merged {source_id} ({source['name']}) into {target_id} (rule {rule}, score {score:g}); "
              f"{len(changes.all_ids())} fact(s) changed")
    entry = write_log(tx, "merge", by, why, detail, [target_id, source_id], changes.all_ids(), when)
    return Outcome(entry, changes, record)


def _chained_into(tx: ManagedTransaction, entity_id: str) -> set[str]:
    """The id and every stub merged into it, directly or through other stubs."""
    found, todo = {entity_id}, [entity_id]
    while todo:
        nxt = [r["id"] for r in tx.run(q.MERGED_INTO_ANY, ids=todo)]
        todo = [i for i in nxt if i not in found]
        found.update(todo)
    return found


def split_entities(tx: ManagedTransaction, target_id: str, source_id: str, rules: FactRules, *, by: str,
                   why: str) -> Outcome:
    """Undo the merge of `source_id` into `target_id`: the stub is an entity again, the target loses the aliases
    the merge gave it, and every piece of evidence extracted about the stub (or about what was merged into it)
    goes back to the facts its own ends give. The merge record stays, closed, so no resolver merges the pair
    again."""
    record = tx.run(q.ACTIVE_MERGE, sourceId=source_id, targetId=target_id).single()
    if record is None:
        if target_id not in live_entities(tx, [target_id]):
            raise missing_entity(tx, target_id)
        raise CurationNotFound(f"{source_id!r} is not merged into {target_id!r}: GET /v1/entities/{target_id} "
                               "lists what was merged into it.")
    merge = MergeRecord.from_row(dict(record["merge"]))
    ids = sorted(_chained_into(tx, source_id))
    candidates = [Candidate(dict(r["evidence"]), r["parked"]) for r in tx.run(q.EVIDENCE_MENTIONING, ids=ids)]
    tx.run(q.UNSTUB_ENTITY, id=source_id)
    tx.run(q.REMOVE_ALIASES, id=target_id, aliases=list(merge.added_aliases),
           languages=list(merge.added_name_languages))
    when = now()
    tx.run(q.CLOSE_MERGE, id=merge.id, by=by, at=when, why=why)
    changes = regroup(tx, candidates, rules)
    entry = write_log(tx, "split", by, why, f"split {source_id} from {target_id} (merged by {merge.by} at {merge.at}); "
              f"{len(changes.all_ids())} fact(s) changed", [target_id, source_id], changes.all_ids(), when)
    return Outcome(entry, changes, merge)
