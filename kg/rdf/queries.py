"""Cypher that reads the graph for an RDF export: the whole graph, or one entity with its facts and their sources."""

from __future__ import annotations

from kg.store import read_cypher

ALL_ENTITIES = "MATCH (e:Entity) RETURN properties(e) AS e ORDER BY e.id"

ALL_FACTS = """
MATCH (s:Entity)-[r]->(o:Entity)
RETURN s.id AS subjectId, type(r) AS predicate, o.id AS objectId, properties(r) AS r
ORDER BY r.id
"""

ALL_EVIDENCE = """
MATCH (ev:Evidence)
RETURN properties(ev) AS ev
ORDER BY ev.id
"""

ALL_ARTICLES = "MATCH (a:Article) RETURN properties(a) AS a ORDER BY a.id"

# Whether the entity exists: the read query's, written once.
ENTITY_EXISTS = read_cypher.ENTITY_EXISTS

# One entity: its facts either way, the entities at their other end, their evidence and the articles quoted.
ENTITY_FACTS = """
MATCH (s:Entity)-[r]->(o:Entity)
WHERE s.id = $id OR o.id = $id
RETURN s.id AS subjectId, type(r) AS predicate, o.id AS objectId, properties(r) AS r
ORDER BY r.id
"""

ENTITIES_BY_ID = "UNWIND $ids AS id MATCH (e:Entity {id: id}) RETURN properties(e) AS e ORDER BY e.id"

EVIDENCE_OF_FACTS = """
UNWIND $factIds AS factId
MATCH (ev:Evidence {factId: factId})
RETURN properties(ev) AS ev
ORDER BY ev.id
"""

ARTICLES_BY_ID = "UNWIND $ids AS id MATCH (a:Article {id: id}) RETURN properties(a) AS a ORDER BY a.id"

# One page of facts, in id order, for a bounded export (Turtle, JSON-LD) of a large graph.
FACTS_PAGE = """
MATCH (s:Entity)-[r]->(o:Entity)
RETURN s.id AS subjectId, type(r) AS predicate, o.id AS objectId, properties(r) AS r
ORDER BY r.id SKIP $skip LIMIT $limit
"""

COUNT_FACTS = "MATCH (:Entity)-[r]->(:Entity) RETURN count(r) AS n"

# A full streamed dump: no ORDER BY, so Neo4j sends records as it finds them instead of sorting the whole graph.
STREAM_ENTITIES = "MATCH (e:Entity) RETURN properties(e) AS e"

STREAM_FACTS = """
MATCH (s:Entity)-[r]->(o:Entity)
RETURN s.id AS subjectId, type(r) AS predicate, o.id AS objectId, properties(r) AS r
"""

STREAM_EVIDENCE = "MATCH (ev:Evidence) RETURN properties(ev) AS ev"

STREAM_ARTICLES = "MATCH (a:Article) RETURN properties(a) AS a"

COUNT_ENTITY_FACTS = """
MATCH (s:Entity)-[r]->(o:Entity)
WHERE s.id = $id OR o.id = $id
RETURN count(r) AS n
"""
