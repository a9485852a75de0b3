"""Driver values (nodes, relationships, paths, temporal and spatial types) as plain JSON.

Values nested deeper than `MAX_VALUE_DEPTH` levels (lists in lists, maps in maps…) are cut: the value at that depth
is replaced by the string `CUT_MARKER`, so a result always serialises (no RecursionError) and the client sees where.
"""

from __future__ import annotations

import base64
import math
from typing import Any

from neo4j.graph import Node, Path, Relationship
from neo4j.spatial import Point
from neo4j.time import Date, DateTime, Duration, Time

from kg.store.cypher_guard import MAX_VALUE_DEPTH

CUT_MARKER = f"[cut: nested deeper than {MAX_VALUE_DEPTH} levels]"


class _Cut:
    """Counts the values cut while converting one result."""

    def __init__(self) -> None:
        self.count = 0


def _node(node: Node, depth: int, cut: _Cut) -> dict[str, Any]:
    return {"kind": "node", "elementId": node.element_id, "labels": sorted(node.labels),
            "properties": {k: _convert(v, depth + 1, cut) for k, v in node.items()}}


def _relationship(rel: Relationship, depth: int, cut: _Cut) -> dict[str, Any]:
    return {"kind": "relationship", "elementId": rel.element_id, "type": rel.type,
            "start": rel.start_node.element_id if rel.start_node is not None else None,
            "end": rel.end_node.element_id if rel.end_node is not None else None,
            "properties": {k: _convert(v, depth + 1, cut) for k, v in rel.items()}}


def _convert(value: Any, depth: int, cut: _Cut) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)  # NaN and ±Infinity are not JSON
    if depth >= MAX_VALUE_DEPTH:
        cut.count += 1
        return CUT_MARKER
    if isinstance(value, Node):
        return _node(value, depth, cut)
    if isinstance(value, Relationship):
        return _relationship(value, depth, cut)
    if isinstance(value, Path):
        return {"kind": "path", "nodes": [_node(n, depth + 1, cut) for n in value.nodes],
                "relationships": [_relationship(r, depth + 1, cut) for r in value.relationships]}
    if isinstance(value, (Date, DateTime, Time)):
        return value.iso_format()
    if isinstance(value, Duration):
        return {"kind": "duration", "months": value.months, "days": value.days, "seconds": value.seconds,
                "nanoseconds": value.nanoseconds}
    if isinstance(value, Point):
        return {"kind": "point", "srid": value.srid, "coordinates": list(value)}
    if isinstance(value, (bytes, bytearray)):
        return {"kind": "bytes", "base64": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, dict):
        return {str(k): _convert(v, depth + 1, cut) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_convert(v, depth + 1, cut) for v in value]
    return str(value)


def to_json(value: Any) -> Any:
    """One driver value as JSON, cut below `MAX_VALUE_DEPTH` levels."""
    return _convert(value, 0, _Cut())


def rows_to_json(rows: list[list[Any]]) -> tuple[list[list[Any]], int]:
    """Rows of driver values as JSON, and how many values were cut for being nested too deep."""
    cut = _Cut()
    return [[_convert(v, 0, cut) for v in row] for row in rows], cut.count
