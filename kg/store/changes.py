"""The change feed's write side: every transaction that adds, updates or removes facts records it here, in commit
order, so `GET /v1/changes?since=CURSOR` can replay what happened (issue 16).

Contract for callers (the writer, retraction, curation): call `record_fact_changes` once per transaction, inside
that transaction, with the ids of the facts it added, updated (new evidence, new qualifiers, moved ends) and
removed. The body is filled in by the change-feed work; until then it records nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from neo4j import ManagedTransaction


def record_fact_changes(tx: ManagedTransaction, *, added: Iterable[str] = (), updated: Iterable[str] = (),
                        removed: Iterable[str] = (), cause: str = "ingest") -> None:
    """Record, in this transaction, which facts it added, updated and removed (`cause`: ingest, retract,
    curation)."""
    del tx, added, updated, removed, cause
