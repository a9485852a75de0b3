"""Cypher text for the store, in one place. Parameters always; labels and relationship types only from the
vocabulary, checked against an identifier pattern before they are placed in a query."""

from __future__ import annotations

import re

from kg.errors import OntologyViolation

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def checked_identifier(name: str) -> str:
    if not _IDENTIFIER.match(name):
        raise OntologyViolation(f"{name!r} is not a valid Neo4j label or relationship type.")
    return name


# ------------------------------------------------------------------------------------------------ schema
NODE_SCHEMA = [
    "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE",
    "CREATE CONSTRAINT article_id IF NOT EXISTS FOR (a:Article) REQUIRE a.id IS UNIQUE",
    "CREATE CONSTRAINT evidence_id IF NOT EXISTS FOR (ev:Evidence) REQUIRE ev.id IS UNIQUE",
    "CREATE INDEX evidence_fact IF NOT EXISTS FOR (ev:Evidence) ON (ev.factId)",
    "CREATE INDEX evidence_article IF NOT EXISTS FOR (ev:Evidence) ON (ev.articleId)",
    "CREATE INDEX entity_name IF NOT EXISTS FOR (e:Entity) ON (e.name)",
    "CREATE INDEX entity_type IF NOT EXISTS FOR (e:Entity) ON (e.type)",
    "CREATE INDEX article_published IF NOT EXISTS FOR (a:Article) ON (a.published)",
    "CREATE FULLTEXT INDEX entity_names IF NOT EXISTS FOR (e:Entity) ON EACH [e.name, e.aliases] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'standard-folding'}}",
]


def fact_id_constraint(predicate: str) -> str:
    p = checked_identifier(predicate)
    return f"CREATE CONSTRAINT fact_id_{p.lower()} IF NOT EXISTS FOR ()-[r:{p}]-() REQUIRE r.id IS UNIQUE"


# ------------------------------------------------------------------------------------------------ writes
ARTICLE_STATE = "MATCH (a:Article {id: $id}) RETURN a.contentHash AS contentHash, a.extractorVersion AS extractorVersion"

# Evidence of an article being replaced: remove it and return the facts it supported.
DELETE_ARTICLE_EVIDENCE = """
MATCH (ev:Evidence {articleId: $articleId})
WITH ev, ev.factId AS factId, ev.predicate AS predicate
DETACH DELETE ev
RETURN DISTINCT factId, predicate
"""


def delete_unsupported_facts(predicate: str) -> str:
    """Facts of one predicate left with no evidence after a replacement disappear."""
    rel = checked_identifier(predicate)
    return f"""
UNWIND $factIds AS factId
MATCH ()-[r:{rel} {{id: factId}}]->()
WHERE NOT EXISTS {{ MATCH (ev:Evidence {{factId: factId}}) }}
DELETE r
RETURN count(*) AS deleted
"""

MERGE_ARTICLE = """
MERGE (a:Article {id: $article.id})
SET a += $article
"""


def merge_entities(type_label: str) -> str:
    label = checked_identifier(type_label)
    return f"""
UNWIND $rows AS row
MERGE (e:Entity {{id: row.id}})
ON CREATE SET e.name = row.name, e.type = row.type
SET e:{label},
    e.kind = coalesce(e.kind, row.kind),
    e.wikidataId = coalesce(e.wikidataId, row.wikidataId),
    e.aliases = reduce(acc = coalesce(e.aliases, []), a IN row.aliases |
                       CASE WHEN a IN acc THEN acc ELSE acc + a END)
"""


def merge_facts(predicate: str) -> str:
    rel = checked_identifier(predicate)
    return f"""
UNWIND $rows AS row
MATCH (s:Entity {{id: row.subjectId}})
MATCH (o:Entity {{id: row.objectId}})
MERGE (s)-[r:{rel} {{id: row.id}}]->(o)
SET r += row.qualifiers
"""


MERGE_EVIDENCE = """
UNWIND $rows AS row
MATCH (a:Article {id: row.articleId})
MERGE (ev:Evidence {id: row.id})
SET ev += row
MERGE (ev)-[:FROM_ARTICLE]->(a)
"""

# Keep on each fact how many pieces of evidence support it and the earliest publication date seen.
def refresh_fact_support(predicate: str) -> str:
    rel = checked_identifier(predicate)
    return f"""
UNWIND $factIds AS factId
MATCH ()-[r:{rel} {{id: factId}}]->()
CALL (r, factId) {{
  MATCH (ev:Evidence {{factId: factId}})-[:FROM_ARTICLE]->(a:Article)
  RETURN count(ev) AS n, min(a.published) AS firstPublished
}}
SET r.evidenceCount = n, r.firstPublished = firstPublished
"""

# ------------------------------------------------------------------------------------------------ reads
SEARCH_ENTITIES = """
CALL db.index.fulltext.queryNodes('entity_names', $query) YIELD node, score
WHERE $type IS NULL OR node.type = $type
RETURN node.id AS id, node.name AS name, node.type AS type, node.kind AS kind,
       coalesce(node.aliases, []) AS aliases, node.wikidataId AS wikidataId, score
ORDER BY score DESC, name
LIMIT $limit
"""

COUNTS = """
CALL () { MATCH (e:Entity) RETURN count(e) AS entities }
CALL () { MATCH (a:Article) RETURN count(a) AS articles }
CALL () { MATCH (ev:Evidence) RETURN count(ev) AS evidence }
CALL () { MATCH (:Entity)-[r]->(:Entity) RETURN count(r) AS facts }
RETURN entities, articles, evidence, facts
"""
