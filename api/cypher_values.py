"""Driver values (nodes, relationships, paths, temporal and spatial types) as plain JSON."""

from __future__ import annotations

import base64
import math
from typing import Any

from neo4j.graph import Node, Path, Relationship
from neo4j.spatial import Point
from neo4j.time import Date, DateTime, Duration, Time


def _node(node: Node) -> dict[str, Any]:
    return {"kind": "node", "elementId": node.element_id, "labels": sorted(node.labels),
            "properties": {k: to_json(v) for k, v in node.items()}}


def _relationship(rel: Relationship) -> dict[str, Any]:
    return {"kind": "relationship", "elementId": rel.element_id, "type": rel.type,
            "start": rel.start_node.element_id if rel.start_node is not None else None,
            "end": rel.end_node.element_id if rel.end_node is not None else None,
            "properties": {k: to_json(v) for k, v in rel.items()}}


def to_json(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)  # NaN and ±Infinity are not JSON
    if isinstance(value, Node):
        return _node(value)
    if isinstance(value, Relationship):
        return _relationship(value)
    if isinstance(value, Path):
        return {"kind": "path", "nodes": [_node(n) for n in value.nodes],
                "relationships": [_relationship(r) for r in value.relationships]}
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
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    return str(value)
