"""Cypher that reads the whole graph for `kg bulk-export` (kg.bulk_export): the property types per label set and
relationship type, then every node and relationship, streamed."""

from __future__ import annotations

NODE_PROPERTY_TYPES = """
MATCH (n)
UNWIND keys(n) AS key
RETURN labels(n) AS labels, key, collect(DISTINCT valueType(n[key])) AS types
"""
RELATIONSHIP_PROPERTY_TYPES = """
MATCH ()-[r]->()
UNWIND keys(r) AS key
RETURN type(r) AS type, key, collect(DISTINCT valueType(r[key])) AS types
"""
ALL_NODES = "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props"
ALL_RELATIONSHIPS = """
MATCH (a)-[r]->(b)
RETURN type(r) AS type, labels(a) AS startLabels, a.id AS startId, labels(b) AS endLabels, b.id AS endId,
       properties(r) AS props
"""
