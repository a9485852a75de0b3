"""The audit log: one `:CurationLog` node per action, written in the action's transaction, read newest first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from neo4j import ManagedTransaction

from kg.curation.records import CurationAction, LogEntry, new_id, now
from kg.store import curation_cypher
from kg.store.connection import GraphConnection


@dataclass(frozen=True)
class LogPage:
    entries: list[LogEntry]
    next_after: tuple[str, str] | None  # (at, id) of the last entry when more follow


def write_log(tx: ManagedTransaction, action: CurationAction, by: str, why: str, detail: str,
              entity_ids: Sequence[str] = (), fact_ids: Sequence[str] = (), at: str | None = None) -> LogEntry:
    entry = LogEntry(id=new_id(), at=at or now(), by=by, action=action, entity_ids=tuple(entity_ids),
                     fact_ids=tuple(fact_ids), why=why, detail=detail)
    tx.run(curation_cypher.CREATE_LOG_ENTRY, row=entry.row())
    return entry


def read_log(conn: GraphConnection, entity_id: str | None = None, fact_id: str | None = None, limit: int = 50,
             after: tuple[str, str] | None = None) -> LogPage:
    """Entries about an entity or a fact (every entry when neither is given), newest first, one page."""
    records = conn.read(curation_cypher.LOG_PAGE, {
        "entity": entity_id, "fact": fact_id, "limit": limit + 1,
        "afterAt": after[0] if after else None, "afterId": after[1] if after else None})
    entries = [LogEntry.from_row(dict(r["entry"])) for r in records[:limit]]
    more = len(records) > limit
    return LogPage(entries, (entries[-1].at, entries[-1].id) if more and entries else None)
