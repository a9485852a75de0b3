"""The change feed's write side: every transaction that adds, updates or removes facts records it here, in commit
order, so `GET /v1/changes?since=CURSOR` can replay what happened (issue 16; reads in kg.store.change_feed).

Contract for callers (the writer, retraction, curation): call `record_fact_changes` once per transaction, inside
that transaction, after its last fact write, with the ids of the facts it added, updated (new evidence, new
qualifiers, moved ends) and removed. The writer, whose transactions also fold and re-key facts and re-derive
validity periods (kg.store.time_writes), instead takes a `FactSnapshot` of the pairs it is about to touch and
calls `record_snapshot_changes` at the end: the feed then holds exactly the facts whose state changed.

Invariants:
- one `FactChange` node per changed fact per transaction (`id` "change:<seq>": every node has an id, which
  `kg bulk-export` relies on), with kind `added` | `updated` | `removed`, the fact's id, predicate and stored ends,
  its properties as they are at commit (added and updated; JSON text, dates as ISO strings), the cause and the
  transaction's time;
- sequence numbers come from one `ChangeFeed` node that the transaction write-locks when it reserves them, after
  its last fact write, and keeps locked until it commits. Writers that record changes therefore commit one at a
  time from that point, and numbers follow commit order with no gap a reader could see: a rolled-back transaction
  takes its numbers with it. The lock is the last one a writer takes, so it cannot be part of a deadlock;
- a transaction that changed no fact takes no number and no lock.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from neo4j import ManagedTransaction
from neo4j.time import Date, DateTime

from kg.intervals import interval_scope
from kg.store import change_cypher, cypher
from kg.store.change_cypher import FEED_ID
from kg.store.time_writes import Pair  # (predicate, subject id, object id) of a fact as stored

ChangeKind = Literal["added", "updated", "removed"]
ChangeCause = Literal["ingest", "retract", "curation"]


@dataclass(frozen=True)
class FactState:
    """A fact as stored: id, type, ends (start and end node of the relationship) and properties."""

    id: str
    predicate: str | None  # None only for a fact removed by id that the feed never saw (see `_removed_states`)
    subject_id: str | None
    object_id: str | None
    properties: Mapping[str, Any]


FactSnapshot = dict[str, FactState]  # fact id -> state


def _states(records: Iterable[Any]) -> FactSnapshot:
    return {r["id"]: FactState(r["id"], r["predicate"], r["subjectId"], r["objectId"], dict(r["properties"]))
            for r in records}


def snapshot_facts(tx: ManagedTransaction, pairs: Iterable[Pair]) -> FactSnapshot:
    """Every fact between these pairs of entities, and every state fact whose validity periods a change to one of
    them can re-derive (the state facts of their interval scopes, as kg.store.time_writes refreshes them)."""
    wanted = set(pairs)
    scopes = sorted({scope for p, s, o in wanted if (scope := interval_scope(p, s, o)) is not None})
    if scopes:
        wanted |= {(r["state"], r["s"], r["o"]) for r in tx.run(cypher.SCOPE_STATE_FACTS, scopes=scopes)}
    if not wanted:
        return {}
    rows = [{"predicate": p, "s": s, "o": o} for p, s, o in sorted(wanted)]
    return _states(tx.run(change_cypher.FACTS_OF_PAIRS, pairs=rows))


@dataclass(frozen=True)
class _Change:
    kind: ChangeKind
    fact: FactState


def _diff(before: FactSnapshot, after: FactSnapshot) -> list[_Change]:
    """Added: only after; removed: only before; updated: both, with other ends or properties."""
    changes = [_Change("removed", before[i]) for i in sorted(before.keys() - after.keys())]
    for fact_id, state in sorted(after.items()):
        old = before.get(fact_id)
        if old is None:
            changes.append(_Change("added", state))
        elif old != state:
            changes.append(_Change("updated", state))
    return changes


def record_snapshot_changes(tx: ManagedTransaction, before: FactSnapshot, pairs: Iterable[Pair],
                            cause: ChangeCause) -> int:
    """Record what changed since `before` among the facts of `pairs` (a superset of the pairs `before` was taken
    on, so facts created on new pairs are seen). Returns how many changes were recorded."""
    pairs = set(pairs) | {(s.predicate, s.subject_id, s.object_id) for s in before.values()
                          if s.predicate and s.subject_id and s.object_id}
    return _append(tx, _diff(before, snapshot_facts(tx, pairs)), cause)


def record_fact_changes(tx: ManagedTransaction, *, added: Iterable[str] = (), updated: Iterable[str] = (),
                        removed: Iterable[str] = (), cause: ChangeCause = "ingest") -> int:
    """Record, in this transaction, which facts it added, updated and removed (`cause`: ingest, retract,
    curation). The graph at the end of the transaction decides: a listed fact that is live is `added` if it was
    listed as added, else `updated`, with its current properties; one that is gone is `removed` (unless it was only
    listed as added: created and removed in the same transaction, nobody saw it). Returns how many were recorded."""
    added_ids, updated_ids, removed_ids = set(added), set(updated), set(removed)
    listed = sorted(added_ids | updated_ids | removed_ids)
    if not listed:
        return 0
    live = _states(tx.run(change_cypher.FACTS_BY_ID, ids=listed))
    gone = [i for i in listed if i not in live and (i in updated_ids or i in removed_ids)]
    changes = [_Change("removed", state) for state in _removed_states(tx, gone)]
    changes += [_Change("added" if i in added_ids else "updated", live[i]) for i in sorted(live)]
    return _append(tx, changes, cause)


def _removed_states(tx: ManagedTransaction, fact_ids: list[str]) -> list[FactState]:
    """Removed facts with the predicate and ends the feed last gave them (all None if it never saw the fact)."""
    if not fact_ids:
        return []
    known = {r["id"]: r for r in tx.run(change_cypher.LAST_KNOWN_ENDS, ids=fact_ids)}
    return [FactState(i, known[i]["predicate"], known[i]["subjectId"], known[i]["objectId"], {}) if i in known
            else FactState(i, None, None, None, {}) for i in fact_ids]


def _append(tx: ManagedTransaction, changes: list[_Change], cause: ChangeCause) -> int:
    """Reserve sequence numbers (the feed lock, held to commit) and write one FactChange per change."""
    if not changes:
        return 0
    first = tx.run(change_cypher.RESERVE_SEQUENCE, feed=FEED_ID, count=len(changes)).single(strict=True)["last"] + 1
    rows = [{"seq": first + n, "id": f"change:{first + n}", "kind": c.kind, "factId": c.fact.id,
             "predicate": c.fact.predicate, "subjectId": c.fact.subject_id, "objectId": c.fact.object_id,
             "cause": cause, "properties": None if c.kind == "removed" else properties_json(c.fact.properties)}
            for n, c in enumerate(changes)]
    tx.run(change_cypher.APPEND_CHANGES, rows=rows)
    return len(rows)


def _plain(value: Any) -> Any:
    """A property value as JSON can carry it: Neo4j dates and times as ISO 8601 text, lists item by item."""
    if isinstance(value, (Date, DateTime, dt.date)):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def properties_json(properties: Mapping[str, Any]) -> str:
    """A fact's properties as the feed stores them: JSON text (a node property cannot hold a map), keys sorted."""
    return json.dumps({k: _plain(v) for k, v in properties.items()}, sort_keys=True, ensure_ascii=False)
