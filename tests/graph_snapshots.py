"""One way for tests to say "these two graphs are the same": every node and relationship as canonical text."""

from __future__ import annotations

import json
from typing import Any

from kg.store import GraphConnection
from kg.store.change_cypher import FEED_LABELS


def snapshot(conn: GraphConnection, *, with_feed: bool = False) -> tuple[list[str], list[str]]:
    """Every node (labels, properties) and relationship (type, ends, properties) as JSON with sorted keys, sorted:
    equal graphs compare equal. Keys are sorted because the order of `properties(x)` follows the store's property
    layout, which a REMOVE and a SET of the same values can change. The change feed's log of what happened is left
    out unless `with_feed` (it holds times, and two histories can reach one graph)."""
    left_out = [] if with_feed else list(FEED_LABELS)
    nodes = conn.run("MATCH (n) WHERE none(label IN labels(n) WHERE label IN $leftOut) "
                     "RETURN labels(n) AS labels, properties(n) AS props", {"leftOut": left_out})
    rels = conn.run("MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS start, b.id AS end, properties(r) AS props")
    return (sorted(_canonical({"labels": sorted(r["labels"]), **r["props"]}) for r in nodes),
            sorted(_canonical({"type": r["type"], "start": r["start"], "end": r["end"], **r["props"]}) for r in rels))


def _canonical(row: dict[str, Any]) -> str:
    return json.dumps(row, sort_keys=True, default=repr)
