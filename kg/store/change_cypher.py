"""Cypher text of the change feed (kg.store.changes writes it, kg.store.change_feed reads and prunes it).

The feed is a list of `(:FactChange)` nodes numbered by `seq`, plus one `(:ChangeFeed {id: 'facts'})` node that
holds the last number given (`seq`) and the last number pruned (`prunedThrough`). Change nodes are linked to
nothing: entity and fact reads never meet them.
"""

from __future__ import annotations

FEED_ID = "facts"  # the id of the one ChangeFeed node
FEED_LABELS = ("ChangeFeed", "FactChange")  # the feed's own nodes: a log of history, not part of the graph's state

CHANGE_SCHEMA = [
    "CREATE CONSTRAINT change_feed_id IF NOT EXISTS FOR (f:ChangeFeed) REQUIRE f.id IS UNIQUE",
    "CREATE CONSTRAINT fact_change_seq IF NOT EXISTS FOR (c:FactChange) REQUIRE c.seq IS UNIQUE",
    "CREATE INDEX fact_change_fact IF NOT EXISTS FOR (c:FactChange) ON (c.factId)",
]

# ------------------------------------------------------------------------------------------------ write side
# The facts between given pairs of entities (either direction: symmetric facts are stored one way), each with its
# ends as stored and all its properties. `$pairs`: [{predicate, s, o}]. Both ends are found first, so the planner
# checks the relationships between them from the end with fewer (Expand(Into)) instead of expanding a hub.
FACTS_OF_PAIRS = """
UNWIND $pairs AS pair
MATCH (s:Entity {id: pair.s})
MATCH (o:Entity {id: pair.o})
CALL (s, o, pair) { MATCH (s)-[r]-(o) WHERE type(r) = pair.predicate RETURN DISTINCT r }
RETURN DISTINCT r.id AS id, type(r) AS predicate, startNode(r).id AS subjectId, endNode(r).id AS objectId,
       properties(r) AS properties
"""

# Live facts by id, found through their evidence (every stored fact has some; `subjectId`/`objectId`/`predicate`
# on evidence name the fact's stored ends and type). An id with no evidence is not a live fact: no row.
FACTS_BY_ID = """
UNWIND $ids AS factId
CALL (factId) { MATCH (ev:Evidence {factId: factId}) RETURN ev LIMIT 1 }
MATCH (s:Entity {id: ev.subjectId})
MATCH (o:Entity {id: ev.objectId})
CALL (s, o, ev, factId) { MATCH (s)-[r]-(o) WHERE r.id = factId AND type(r) = ev.predicate RETURN DISTINCT r }
RETURN DISTINCT r.id AS id, type(r) AS predicate, startNode(r).id AS subjectId, endNode(r).id AS objectId,
       properties(r) AS properties
"""

# What the feed last said about each of these facts (the predicate and ends of a fact removed by id).
LAST_KNOWN_ENDS = """
UNWIND $ids AS factId
CALL (factId) {
  MATCH (c:FactChange {factId: factId})
  RETURN c ORDER BY c.seq DESC LIMIT 1
}
RETURN factId AS id, c.predicate AS predicate, c.subjectId AS subjectId, c.objectId AS objectId
"""

# Reserve `$count` sequence numbers. The SET write-locks the feed node until the transaction ends, so writers that
# record changes pass here one at a time and numbers follow commit order (see kg.store.changes).
RESERVE_SEQUENCE = """
MERGE (f:ChangeFeed {id: $feed})
ON CREATE SET f.seq = 0, f.prunedThrough = 0
SET f.seq = f.seq + $count
RETURN f.seq - $count AS last
"""

APPEND_CHANGES = """
UNWIND $rows AS row
CREATE (c:FactChange)
SET c = row, c.at = datetime.transaction()
"""

# ------------------------------------------------------------------------------------------------ read side
FEED_STATE = """
OPTIONAL MATCH (f:ChangeFeed {id: $feed})
RETURN coalesce(f.seq, 0) AS last, coalesce(f.prunedThrough, 0) AS prunedThrough
"""

CHANGES_SINCE = """
MATCH (c:FactChange)
WHERE c.seq > $since
RETURN c {.*, at: toString(c.at)} AS change
ORDER BY c.seq
LIMIT $limit
"""

# The highest sequence number recorded before `$before` (a datetime): what a prune removes up to. A scan of the
# changes, on purpose: an index on `at` would cost every write an index update to save a daily prune a few seconds.
LAST_SEQ_BEFORE = """
MATCH (c:FactChange)
WHERE c.at < $before
RETURN max(c.seq) AS last
"""

# One bounded slice of a prune: changes up to `$through` go, `$batch` at a time (returns how many went).
PRUNE_BATCH = """
MATCH (c:FactChange)
WHERE c.seq <= $through
WITH c ORDER BY c.seq LIMIT $batch
DELETE c
RETURN count(*) AS deleted
"""

MARK_PRUNED = """
MERGE (f:ChangeFeed {id: $feed})
ON CREATE SET f.seq = 0, f.prunedThrough = 0
SET f.prunedThrough = CASE WHEN $through > f.prunedThrough THEN $through ELSE f.prunedThrough END
RETURN f.prunedThrough AS prunedThrough
"""
