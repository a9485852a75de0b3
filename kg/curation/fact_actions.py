"""Reject and confirm a fact, by id.

A rejected fact leaves the graph's reads: its relationship is deleted, its evidence parked (`parkedFor:
rejected`) and a `:FactCuration {curation: rejected}` keeps its last properties and who rejected it, when and why.
The writer never brings a rejected fact id back (kg.curation.on_write parks its evidence). A confirmed fact carries
`curation: confirmed`, also kept in a `:FactCuration`, so a fact recreated on that id is confirmed again.
"""

from __future__ import annotations

from typing import Any

from neo4j import ManagedTransaction

from kg.curation.audit import write_log
from kg.curation.errors import CurationConflict, CurationNotFound
from kg.curation.records import FactChanges, FactCurationState, Outcome, now
from kg.store import curation_cypher as q
from kg.store import time_writes
from kg.vocabulary import vocabulary

Row = dict[str, Any]


def stored_fact(tx: ManagedTransaction, fact_id: str) -> Row | None:
    record = tx.run(q.fact_by_id(sorted(vocabulary().predicates)), id=fact_id).single()
    return None if record is None else record.data()


def _state(tx: ManagedTransaction, fact_id: str) -> FactCurationState | None:
    record = tx.run(q.FACT_CURATIONS, ids=[fact_id]).single()
    return None if record is None else record["curation"]


def _missing(tx: ManagedTransaction, fact_id: str, verb: str) -> Exception:
    if _state(tx, fact_id) == "rejected":
        return CurationConflict(f"Fact {fact_id!r} is rejected already; a rejected fact cannot be {verb}.")
    return CurationNotFound(f"No fact has the id {fact_id!r}: list facts with GET /v1/facts or an entity's "
                            "timeline.")


def _verdict_row(fact: Row, curation: FactCurationState, by: str, at: str, why: str) -> Row:
    props = {k: v for k, v in fact["props"].items() if k != "curation"}
    return {**props, "curation": curation, "by": by, "at": at, "why": why, "predicate": fact["predicate"],
            "subjectId": fact["subjectId"], "objectId": fact["objectId"]}


def reject_fact(tx: ManagedTransaction, fact_id: str, recompute: time_writes.Recompute, *, by: str,
                why: str) -> Outcome:
    """Take the fact out of every read, for good (see the module's docstring); logs the action."""
    fact = stored_fact(tx, fact_id)
    if fact is None:
        raise _missing(tx, fact_id, "rejected again")
    when = now()
    tx.run(q.UPSERT_FACT_CURATION, id=fact_id, row=_verdict_row(fact, "rejected", by, when, why))
    tx.run(q.reject_fact(fact["predicate"]), id=fact_id)
    time_writes.settle(tx, [(fact["predicate"], fact["subjectId"], fact["objectId"])], recompute)
    entry = write_log(tx, "reject", by, why, f"rejected {fact['subjectId']} —{fact['predicate']}→ {fact['objectId']}",
              [fact["subjectId"], fact["objectId"]], [fact_id], when)
    return Outcome(entry, FactChanges(removed={fact_id}))


def confirm_fact(tx: ManagedTransaction, fact_id: str, *, by: str, why: str) -> Outcome:
    """Mark the fact as checked by a person (`curation: confirmed`, kept across re-ingestion); logs the action."""
    fact = stored_fact(tx, fact_id)
    if fact is None:
        raise _missing(tx, fact_id, "confirmed")
    when = now()
    tx.run(q.UPSERT_FACT_CURATION, id=fact_id, row={"curation": "confirmed", "by": by, "at": when, "why": why,
                                                    "predicate": fact["predicate"], "subjectId": fact["subjectId"],
                                                    "objectId": fact["objectId"]})
    tx.run(q.set_fact_curation(fact["predicate"]), ids=[fact_id], curation="confirmed")
    entry = write_log(tx, "confirm", by, why, f"confirmed {fact['subjectId']} —{fact['predicate']}→ {fact['objectId']}",
              [fact["subjectId"], fact["objectId"]], [fact_id], when)
    return Outcome(entry, FactChanges(updated={fact_id}))
