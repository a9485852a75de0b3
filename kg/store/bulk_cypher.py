"""Cypher that reads the whole graph for `kg bulk-export` (kg.bulk_export): the property types per label set and
relationship type, then every node with its outgoing relationships, in keyset pages."""

from __future__ import annotations

from kg.store.cypher import checked_identifier

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


def paged_nodes(labels: tuple[str, ...]) -> str:
    """The nodes with exactly these labels after $after, in id order, each with its outgoing relationships: one page
    of a keyset-paged export (kg.store.paging). Ordered before projecting, so an id index or constraint on one of
    the labels (Entity, Article, Evidence) gives the order and a page reads only its own rows."""
    match = ":".join(checked_identifier(label) for label in labels)
    return f"""
MATCH (n:{match}) WHERE n.id > $after AND size(labels(n)) = {len(labels)}
WITH n ORDER BY n.id LIMIT $limit
RETURN labels(n) AS labels, properties(n) AS props,
       COLLECT {{ MATCH (n)-[r]->(b)
                 RETURN {{type: type(r), endLabels: labels(b), endId: b.id, props: properties(r)}} }} AS outgoing
"""
