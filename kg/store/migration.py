"""`kg migrate`: an existing graph brought up to the time-aware model, idempotently.

- facts get `dateStart`/`dateEnd` (DATE, from `date`) and `firstPublishedOn` (DATE), evidence `dateStart`/`dateEnd`
  and the ids of the fact's ends (`subjectId`/`objectId`, which retraction uses to find intervals to derive again);
- a dated event stored under the id it had before event identity (no year) gets its new id, evidence re-keyed;
- undated reports are folded into their pair's one dated fact, and every validity interval is derived again.
A second run finds nothing left to change but derives the intervals again (the same ones).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from neo4j import ManagedTransaction

from kg.model import date_properties, evidence_id, fact_id_for
from kg.store import cypher, time_writes
from kg.store.connection import GraphConnection
from kg.store.schema import apply_schema
from kg.store.writer import recompute_facts
from kg.vocabulary import vocabulary

Row = dict[str, Any]
CHUNK = 5_000  # facts per write transaction
# Events whose entities' intervals one transaction derives again (an entity with more is one transaction alone): 5,000
# entities, then 20,000 events, at a time went over the server's 256 MiB transaction memory on the 1M-fact benchmark
# graph, whose hubs have up to 20,675 employment events.
EVENTS_PER_TRANSACTION = 5_000


@dataclass
class MigrationReport:
    facts_updated: int = 0
    facts_rekeyed: int = 0
    intervals: int = 0


def _migrated_row(predicate: str, fact: Row) -> Row | None:
    """The fact's new properties, or None when it is already up to date."""
    new_id = fact_id_for(fact["s"], predicate, fact["o"], fact["date"])
    first = fact["firstPublished"]
    evidence = [{**date_properties(e["date"]), "id": e["id"],
                 "newId": evidence_id(new_id, e["articleId"], e["start"], e["end"])} for e in fact["evidence"]]
    stale = (new_id != fact["id"] or (fact["date"] is not None and fact["dateStart"] is None)
             or (first is not None and fact["firstPublishedOn"] is None)
             or any(e["subjectId"] is None or (e["date"] is not None and e["dateStart"] is None)
                    for e in fact["evidence"]))
    if not stale:
        return None
    return {"id": fact["id"], "newId": new_id, "s": fact["s"], "o": fact["o"], **date_properties(fact["date"]),
            "firstPublishedOn": date_properties(first[:10] if first else None)["dateStart"], "evidence": evidence}


def _settle_all(tx: ManagedTransaction, pairs: list[time_writes.Pair]) -> None:
    time_writes.fold_undated_events(tx, pairs, recompute_facts)


def migrate(conn: GraphConnection) -> MigrationReport:
    apply_schema(conn)
    report = MigrationReport()
    for predicate in sorted(vocabulary().predicates):
        facts = [r.data() for r in conn.read(cypher.migrate_fact_rows(predicate))]
        rows = [row for fact in facts if (row := _migrated_row(predicate, fact)) is not None]
        for i in range(0, len(rows), CHUNK):
            conn.run(cypher.set_migrated_facts(predicate), {"rows": rows[i:i + CHUNK]})
        report.facts_updated += len(rows)
        report.facts_rekeyed += sum(row["id"] != row["newId"] for row in rows)
        pairs = sorted({(predicate, f["s"], f["o"]) for f in facts})
        for i in range(0, len(pairs), CHUNK):
            conn.write(_settle_all, pairs[i:i + CHUNK])
    report.intervals = derive_all_intervals(conn)
    return report


def derive_all_intervals(conn: GraphConnection) -> int:
    """Every entity's validity intervals derived again (and copied to its state facts); returns how many."""
    batches: list[list[str]] = [[]]
    weight = 0
    for r in conn.read(cypher.ALL_SCOPES):
        if batches[-1] and weight + r["events"] > EVENTS_PER_TRANSACTION:
            batches.append([])
            weight = 0
        batches[-1].append(r["id"])
        weight += r["events"]
    return sum(conn.write(time_writes.refresh_scopes, batch) for batch in batches if batch)
