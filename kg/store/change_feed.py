"""The change feed's read side and retention: pages of recorded fact changes after a sequence number, and the
prune that drops changes older than the retention window (written by kg.store.changes; docs/changes.md).

A position in the feed is the sequence number of the last change a reader has (0: before the first). Positions
are numbers stored in the graph, so they survive restarts of the API. A position before the retained window
(`prunedThrough`) or after the last recorded change (a graph restored from an older backup) cannot be continued:
`FeedPositionGone` tells the reader to copy the graph again.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, cast

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from kg.errors import KgError
from kg.store import change_cypher
from kg.store.change_cypher import FEED_ID
from kg.store.changes import ChangeCause, ChangeKind
from kg.store.connection import GraphConnection

PRUNE_BATCH = 10_000  # changes deleted per transaction by a prune (bounded transaction memory)


class ChangeFeedSettings(BaseSettings):
    """How long the feed keeps changes (`KG_CHANGES_RETENTION_DAYS`, 30 by default)."""

    model_config = SettingsConfigDict(env_prefix="KG_CHANGES_", extra="ignore")

    retention_days: float = Field(default=30.0, gt=0, description="Days a recorded change is kept by `kg changes "
                                                                  "prune`")


class FeedPositionGone(KgError):
    """A reader's position is no longer (or not yet) in the feed: it must start again from a fresh copy."""


@dataclass(frozen=True)
class FactChange:
    """One recorded change of one fact."""

    seq: int
    kind: ChangeKind
    fact_id: str
    predicate: str | None  # None only for a fact removed by id that the feed never saw
    subject_id: str | None
    object_id: str | None
    properties: dict[str, Any] | None  # the fact's properties at commit; None for a removal
    cause: ChangeCause
    at: str  # ISO 8601 time of the transaction


@dataclass(frozen=True)
class ChangePage:
    changes: list[FactChange]
    position: int  # the position after this page: pass it back as `since`


@dataclass(frozen=True)
class FeedState:
    last: int  # the last sequence number given
    pruned_through: int  # changes up to this number were pruned


def feed_state(conn: GraphConnection) -> FeedState:
    record = conn.read(change_cypher.FEED_STATE, {"feed": FEED_ID})[0]
    return FeedState(last=record["last"], pruned_through=record["prunedThrough"])


def _change(row: dict[str, Any]) -> FactChange:
    properties = row.get("properties")
    return FactChange(seq=row["seq"], kind=cast(ChangeKind, row["kind"]), fact_id=row["factId"],
                      predicate=row.get("predicate"), subject_id=row.get("subjectId"), object_id=row.get("objectId"),
                      properties=json.loads(properties) if properties is not None else None,
                      cause=cast(ChangeCause, row["cause"]), at=row["at"])


def read_changes(conn: GraphConnection, since: int | None, limit: int) -> ChangePage:
    """Up to `limit` changes after position `since` (None: the start of the retained window), in commit order.
    The feed's state is read after the page, so a prune that ran meanwhile is seen (it marks before it deletes)."""
    if since is None:
        since = feed_state(conn).pruned_through
    rows = conn.read(change_cypher.CHANGES_SINCE, {"since": since, "limit": limit})
    state = feed_state(conn)
    if since < state.pruned_through:
        raise FeedPositionGone(f"Position {since} is older than the changes this graph keeps (they start after "
                               f"{state.pruned_through}): copy the graph again, then follow the feed from now.")
    if since > state.last:
        raise FeedPositionGone(f"Position {since} is after the last change of this graph ({state.last}): the graph "
                               "was restored or replaced; copy it again, then follow the feed from now.")
    changes = [_change(dict(r["change"])) for r in rows]
    return ChangePage(changes=changes, position=changes[-1].seq if changes else since)


@dataclass(frozen=True)
class PruneResult:
    deleted: int
    pruned_through: int  # positions up to this one now answer "gone"


def prune_changes(conn: GraphConnection, older_than: dt.timedelta) -> PruneResult:
    """Drop the changes recorded more than `older_than` ago, `PRUNE_BATCH` per transaction. The window's new start
    is marked first, so a reader never silently misses a change: it gets `FeedPositionGone` instead."""
    before = dt.datetime.now(dt.UTC) - older_than
    last = conn.read(change_cypher.LAST_SEQ_BEFORE, {"before": before})[0]["last"]
    if last is None:
        return PruneResult(deleted=0, pruned_through=feed_state(conn).pruned_through)
    through = conn.run(change_cypher.MARK_PRUNED, {"feed": FEED_ID, "through": last})[0]["prunedThrough"]
    deleted = 0
    while True:
        count = conn.run(change_cypher.PRUNE_BATCH, {"through": through, "batch": PRUNE_BATCH})[0]["deleted"]
        deleted += count
        if count < PRUNE_BATCH:
            return PruneResult(deleted=deleted, pruned_through=through)

