"""The typed shapes of curation: merge records, audit log entries, and the facts an action changed."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

from neo4j import ManagedTransaction

from kg.store.changes import record_fact_changes

CurationAction = Literal["merge", "split", "rename", "retype", "alias", "wikidata", "reject", "confirm"]
FactCurationState = Literal["confirmed", "rejected"]
ParkReason = Literal["rejected", "merged-ends", "duplicate"]  # why a piece of evidence supports no live fact
RESOLVER = "resolver"  # the `by` of an automatic merge


def now() -> str:
    """The time an action happened: ISO 8601 in UTC, to the microsecond (log entries sort on it)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def new_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class MergeRecord:
    """One merge decision: `source_id` was merged into `target_id`; `added_aliases` are the names the target gained
    and `added_name_languages` their languages (a split takes both back). `active` is false once split."""

    id: str
    source_id: str
    target_id: str
    names: tuple[str, ...]
    score: float
    rule: str
    by: str
    at: str
    why: str
    active: bool = True
    added_aliases: tuple[str, ...] = ()
    added_name_languages: tuple[str, ...] = ()

    def row(self) -> dict[str, Any]:
        return {"id": self.id, "sourceId": self.source_id, "targetId": self.target_id, "names": list(self.names),
                "score": self.score, "rule": self.rule, "by": self.by, "at": self.at, "why": self.why,
                "active": self.active, "addedAliases": list(self.added_aliases),
                "addedNameLanguages": list(self.added_name_languages)}

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> MergeRecord:
        return cls(id=row["id"], source_id=row["sourceId"], target_id=row["targetId"],
                   names=tuple(row.get("names") or ()), score=float(row.get("score") or 0.0),
                   rule=row.get("rule") or "", by=row.get("by") or "", at=str(row.get("at") or ""),
                   why=row.get("why") or "", active=bool(row.get("active")),
                   added_aliases=tuple(row.get("addedAliases") or ()),
                   added_name_languages=tuple(row.get("addedNameLanguages") or ()))


@dataclass(frozen=True)
class LogEntry:
    """One audit log entry: who did what, when, why, to which entities and facts (`detail`: what changed, in a
    sentence)."""

    id: str
    at: str
    by: str
    action: CurationAction
    entity_ids: tuple[str, ...]
    fact_ids: tuple[str, ...]
    why: str
    detail: str

    def row(self) -> dict[str, Any]:
        return {"id": self.id, "at": self.at, "by": self.by, "action": self.action, "entityIds": list(self.entity_ids),
                "factIds": list(self.fact_ids), "why": self.why, "detail": self.detail}

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> LogEntry:
        return cls(id=row["id"], at=row["at"], by=row["by"], action=row["action"],
                   entity_ids=tuple(row.get("entityIds") or ()), fact_ids=tuple(row.get("factIds") or ()),
                   why=row.get("why") or "", detail=row.get("detail") or "")


@dataclass
class FactChanges:
    """The fact ids one action added, updated and removed (what the change feed hears, once per transaction)."""

    added: set[str] = field(default_factory=set)
    updated: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)

    def include(self, other: FactChanges) -> None:
        self.added |= other.added
        self.updated |= other.updated
        self.removed |= other.removed

    def all_ids(self) -> list[str]:
        return sorted(self.added | self.updated | self.removed)

    def record(self, tx: ManagedTransaction) -> None:
        """The action's one call to the change feed (kg.store.changes)."""
        record_fact_changes(tx, added=sorted(self.added), updated=sorted(self.updated - self.added),
                            removed=sorted(self.removed), cause="curation")


@dataclass(frozen=True)
class Outcome:
    """What one action did: its audit log entry, the facts it changed, and for a merge or a split the merge."""

    entry: LogEntry
    changes: FactChanges = field(default_factory=FactChanges)
    merge: MergeRecord | None = None
