"""Cypher that reads the graph for an RDF export: the whole graph, or one entity with its facts and their sources."""

from __future__ import annotations

from kg.store import read_cypher
from kg.store.cypher import checked_identifier

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

# A full dump, in keyset pages (kg.store.paging): one short read transaction per page, each found through the id
# constraint of its label or relationship type and returned in id order, so the last id starts the next page.
# ORDER BY comes before the projection to a map (`WITH x ORDER BY x.id`): the index then gives the order and
# each page reads only its own rows; ordering the projected map would sort every remaining row on each page.
PAGED_ENTITIES = """
MATCH (e:Entity) WHERE e.id > $after
WITH e ORDER BY e.id LIMIT $limit
RETURN properties(e) AS e
"""

PAGED_EVIDENCE = """
MATCH (ev:Evidence) WHERE ev.id > $after
WITH ev ORDER BY ev.id LIMIT $limit
RETURN properties(ev) AS ev
"""

PAGED_ARTICLES = """
MATCH (a:Article) WHERE a.id > $after
WITH a ORDER BY a.id LIMIT $limit
RETURN properties(a) AS a
"""


def paged_facts(predicate: str) -> str:
    """One predicate's facts after $after, in id order (its `fact_id_<predicate>` constraint serves the range)."""
    p = checked_identifier(predicate)
    return f"""
MATCH (s:Entity)-[r:{p}]->(o:Entity) WHERE r.id > $after
WITH s, r, o ORDER BY r.id LIMIT $limit
RETURN s.id AS subjectId, type(r) AS predicate, o.id AS objectId, properties(r) AS r
"""


COUNT_ENTITY_FACTS = """
MATCH (s:Entity)-[r]->(o:Entity)
WHERE s.id = $id OR o.id = $id
RETURN count(r) AS n
"""
