"""What a write or a retraction settles in time, in the same transaction (the rules of docs/graph-model.md):

- an undated report of an event joins the pair's one dated fact of that predicate (the same event at less
  precision); with two or more dated facts (a leave and a rejoin) it stays apart, since it could be either;
- the validity intervals (`:Interval` nodes, kg.intervals) of every entity whose events changed are derived again.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from neo4j import ManagedTransaction

from kg.intervals import INTERVAL_PREDICATES, EventRow, StatedBounds, derive_intervals, interval_scope
from kg.model import STATE_PREDICATES, evidence_id, fact_id_for
from kg.store import cypher
from kg.store.stored_form import StoredForm, comparable, stored_form

Row = dict[str, Any]
OPEN_START, OPEN_END = dt.date(1, 1, 1), dt.date(9999, 12, 31)  # an unknown start, a period still open
Pair = tuple[str, str, str]  # (predicate, subject id, object id) as stored
Recompute = Callable[[ManagedTransaction, str, list[str]], None]  # (tx, predicate, fact ids): recompute them


def fold_undated_events(tx: ManagedTransaction, pairs: Iterable[Pair], recompute: Recompute) -> None:
    """Move the evidence of each undated event fact into the pair's single dated fact, if it has exactly one."""
    by_predicate: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for predicate, s, o in pairs:
        if predicate not in STATE_PREDICATES:
            by_predicate[predicate].add((s, o))
    for predicate, ends in sorted(by_predicate.items()):
        facts: dict[tuple[str, str], list[Row]] = defaultdict(list)
        rows = [{"s": s, "o": o} for s, o in sorted(ends)]
        for record in tx.run(cypher.pair_facts(predicate), pairs=rows):
            facts[(record["s"], record["o"])].append(record.data())
        moves, renames = {}, {}
        for (s, o), found in facts.items():
            dated = [f["id"] for f in found if f["date"] is not None]
            undated = [f["id"] for f in found if f["date"] is None]
            plain = fact_id_for(s, predicate, o)
            if len(dated) == 1:
                moves.update({u: dated[0] for u in undated})
            elif not dated and len(undated) == 1 and undated[0] != plain:
                renames[undated[0]] = plain  # its dated evidence was retracted: back to the undated id
        if moves:
            _move_evidence(tx, predicate, moves)
            recompute(tx, predicate, sorted(set(moves.values())))
        if renames:
            _rename(tx, predicate, renames)


def _move_evidence(tx: ManagedTransaction, predicate: str, moves: dict[str, str]) -> None:
    """Each fact of `moves` (old id -> new id) gives its evidence to the new one, then goes."""
    rows = []
    for record in tx.run(cypher.STORED_EVIDENCE, factIds=sorted(moves)):
        e, target = dict(record["evidence"]), moves[record["factId"]]
        e["id"], e["factId"] = evidence_id(target, e["articleId"], e["start"], e["end"]), target
        rows.append(e)
    tx.run(cypher.delete_facts(predicate), factIds=sorted(moves))
    if rows:
        tx.run(cypher.MERGE_EVIDENCE, rows=rows)


def _rename(tx: ManagedTransaction, predicate: str, renames: dict[str, str]) -> None:
    """Give facts a new id, their evidence re-keyed with them."""
    evidence: dict[str, list[Row]] = defaultdict(list)
    for record in tx.run(cypher.STORED_EVIDENCE, factIds=sorted(renames)):
        e, new = record["evidence"], renames[record["factId"]]
        evidence[record["factId"]].append({"id": e["id"], "newId": evidence_id(new, e["articleId"], e["start"],
                                                                                  e["end"])})
    tx.run(cypher.rekey_facts(predicate),
           rows=[{"id": old, "newId": new, "evidence": evidence[old]} for old, new in sorted(renames.items())])


def refresh_intervals(tx: ManagedTransaction, pairs: Iterable[Pair]) -> None:
    """Derive again the intervals of every entity one of these facts can bound (kg.intervals.interval_scope)."""
    scopes = sorted({scope for predicate, s, o in pairs
                     if predicate in INTERVAL_PREDICATES and (scope := interval_scope(predicate, s, o)) is not None})
    if scopes:
        refresh_scopes(tx, scopes)


def refresh_scopes(tx: ManagedTransaction, scopes: list[str]) -> int:
    """Make the intervals of these entities the ones their dated events give now; returns how many there are.
    Only the difference is written: an interval stored exactly as derived (same id, same properties) is left
    alone, so a batch that does not move an entity's periods writes nothing for it."""
    events: dict[str, list[EventRow]] = defaultdict(list)
    for r in tx.run(cypher.SCOPE_EVENTS, scopes=scopes):
        stated = tuple(StatedBounds(e["id"], e["statedFrom"], e["statedTo"], e["role"])
                       for e in sorted(r["stated"], key=lambda e: e["id"]))
        events[r["scope"]].append(EventRow(r["factId"], r["predicate"], r["subjectId"], r["objectId"], r["date"],
                                           tuple(sorted(r["evidenceIds"])), r["role"], stated))
    rows = [{**interval.row(), "scopeId": scope} for scope in scopes for interval in derive_intervals(events[scope])]
    stored = [dict(r["interval"]) for r in tx.run(cypher.SCOPE_INTERVALS, scopes=scopes)]
    stale, fresh = interval_difference(stored, rows)
    if stale:
        tx.run(cypher.DELETE_INTERVALS, rows=stale)
    if fresh:
        tx.run(cypher.CREATE_INTERVALS, rows=fresh)
    _copy_periods_to_state_facts(tx, scopes, rows)
    return len(rows)


def interval_difference(stored: list[Row], derived: list[Row]) -> tuple[list[Row], list[Row]]:
    """(stale, fresh): the stored intervals to delete ({scopeId, id}) and the derived rows to create, so that the
    stored set becomes the derived one. Compared per (scope, id) as multisets of whole property sets: an id whose
    intervals all match is untouched; any other id is deleted and created again."""
    old: dict[tuple[str, str], Counter[StoredForm]] = defaultdict(Counter)
    new: dict[tuple[str, str], Counter[StoredForm]] = defaultdict(Counter)
    for row in stored:
        old[(row["scopeId"], row["id"])][stored_form(row)] += 1
    for row in derived:
        new[(row["scopeId"], row["id"])][stored_form(row)] += 1
    changed = {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}
    stale = [{"scopeId": scope, "id": interval_id} for scope, interval_id in sorted(changed & old.keys())]
    fresh = [row for row in derived if (row["scopeId"], row["id"]) in changed]
    return stale, fresh


def _copy_periods_to_state_facts(tx: ManagedTransaction, scopes: list[str], rows: list[Row]) -> None:
    """Each state fact of these entities gets its periods (`cypher.set_state_periods`), so an as-of read checks
    the fact itself rather than looking its intervals up; a fact whose periods are already those is not written."""
    periods: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
    for row in rows:
        periods[(row["state"], row["subjectId"], row["objectId"])].append(row)
    by_state: dict[str, list[Row]] = defaultdict(list)
    for r in tx.run(cypher.SCOPE_STATE_FACTS, scopes=scopes):
        found = sorted(periods.get((r["state"], r["s"], r["o"]), []), key=lambda p: (p["validFrom"] or OPEN_START))
        froms = [p["validFrom"] or OPEN_START for p in found]
        tos = [p["validTo"] or OPEN_END for p in found]
        if comparable(froms or None) == comparable(r["validFrom"]) and \
                comparable(tos or None) == comparable(r["validTo"]):
            continue
        by_state[r["state"]].append({"s": r["s"], "o": r["o"], "froms": froms, "tos": tos})
    for state, state_rows in sorted(by_state.items()):
        tx.run(cypher.set_state_periods(state), rows=state_rows)


def settle(tx: ManagedTransaction, pairs: list[Pair], recompute: Recompute) -> None:
    """Both steps for the facts a transaction touched: fold undated events, then derive intervals again."""
    fold_undated_events(tx, pairs, recompute)
    refresh_intervals(tx, pairs)
