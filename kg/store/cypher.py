"""Cypher text for the store, in one place. Parameters always; labels and relationship types only from the
vocabulary: either passed as parameters through Neo4j 5.26's dynamic `$(...)` syntax, or checked against an
identifier pattern before they are placed in a query."""

from __future__ import annotations

from kg.errors import OntologyViolation
from kg.vocabulary import IDENTIFIER


def checked_identifier(name: str) -> str:
    if not IDENTIFIER.match(name):
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


AWAIT_INDEXES = "CALL db.awaitIndexes($seconds)"


def fact_id_constraint(predicate: str) -> str:
    p = checked_identifier(predicate)
    return f"CREATE CONSTRAINT fact_id_{p.lower()} IF NOT EXISTS FOR ()-[r:{p}]-() REQUIRE r.id IS UNIQUE"


# ------------------------------------------------------------------------------------------------ writes
# Every write query takes a batch ($rows, $ids, ...) so that many articles share one transaction.

ARTICLE_STATES = """
UNWIND $ids AS id
MATCH (a:Article {id: id})
RETURN a.id AS id, a.contentHash AS contentHash, a.extractorVersion AS extractorVersion
"""

# Evidence of articles being replaced: remove it and return the facts it supported.
DELETE_ARTICLES_EVIDENCE = """
UNWIND $articleIds AS articleId
MATCH (ev:Evidence {articleId: articleId})
WITH ev, articleId, ev.factId AS factId, ev.predicate AS predicate
DETACH DELETE ev
RETURN DISTINCT articleId, factId, predicate
"""

# Entities already stored under one of these ids with another type (usually none: only conflicts come back).
ENTITY_TYPE_CONFLICTS = """
UNWIND $rows AS row
MATCH (e:Entity {id: row.id})
WHERE e.type <> row.type
RETURN e.id AS id, e.type AS type
"""

MERGE_ARTICLES = """
UNWIND $rows AS row
MERGE (a:Article {id: row.id})
SET a += row
"""


# Labels and relationship types below come from validated rows as `$(...)` (Neo4j 5.26 dynamic labels and
# types): one query per batch instead of one per type, with no text pasted into the query.
MERGE_ENTITIES = """
UNWIND $rows AS row
MERGE (e:Entity {id: row.id})
ON CREATE SET e:$(row.type), e.name = row.name, e.type = row.type, e.kind = row.kind,
              e.wikidataId = row.wikidataId, e.aliases = row.aliases
WITH e, row, [a IN row.aliases WHERE NOT a IN coalesce(e.aliases, [])] AS fresh
CALL (e, row, fresh) {
  // only entities that gain something are written (untouched ones cost no index update)
  WITH e, row, fresh
  WHERE size(fresh) > 0 OR (e.kind IS NULL AND row.kind IS NOT NULL)
     OR (e.wikidataId IS NULL AND row.wikidataId IS NOT NULL)
  SET e.aliases = coalesce(e.aliases, []) + fresh,
      e.kind = coalesce(e.kind, row.kind),
      e.wikidataId = coalesce(e.wikidataId, row.wikidataId)
}
"""


def merge_facts(predicate: str) -> str:
    """One relationship per fact id, typed by its predicate (a static type, so MERGE expands only that type's
    relationships of the sparser end, even at a hub). A fact created here has all its evidence in its row, so its
    properties arrive computed (`row.derived`, by `kg.store.writer.derived_fact_properties`); a fact that existed
    is returned (MERGE has locked it), to be recomputed from all its evidence (`set_fact_properties`)."""
    rel = checked_identifier(predicate)
    return f"""
UNWIND $rows AS row
MATCH (s:Entity {{id: row.subjectId}})
MATCH (o:Entity {{id: row.objectId}})
MERGE (s)-[r:{rel} {{id: row.id}}]->(o)
ON CREATE SET r += row.derived
ON MATCH SET r.evidenceCount = -1
WITH r, row
WHERE r.evidenceCount = -1
RETURN row.id AS factId
"""


# Evidence of the facts just merged, each linked to its article (written in the same transaction, before it).
MERGE_EVIDENCE = """
UNWIND $rows AS e
MATCH (a:Article {id: e.articleId})
MERGE (ev:Evidence {id: e.id})
ON CREATE SET ev += e
MERGE (ev)-[:FROM_ARTICLE]->(a)
"""


def delete_unsupported_facts(predicate: str) -> str:
    """Facts of one predicate left with no evidence after a replacement disappear."""
    rel = checked_identifier(predicate)
    return f"""
UNWIND $factIds AS factId
MATCH ()-[r:{rel} {{id: factId}}]->()
WHERE NOT EXISTS {{ MATCH (ev:Evidence {{factId: factId}}) }}
DELETE r
RETURN factId
"""


# Evidence stored for facts about to be recomputed, with the publication date of its article.
STORED_EVIDENCE = """
UNWIND $factIds AS factId
MATCH (ev:Evidence {factId: factId})-[:FROM_ARTICLE]->(a:Article)
RETURN factId, ev {.*} AS evidence, a.id AS articleId, a.published AS published
"""


def set_fact_properties(predicate: str) -> str:
    """A fact's properties recomputed from all its evidence (by `kg.store.writer.derived_fact_properties`)."""
    rel = checked_identifier(predicate)
    return f"""
UNWIND $rows AS row
MATCH ()-[r:{rel} {{id: row.id}}]->()
SET r += row.derived
"""


# Entities no fact and no article mention any more (after a replacement) are left in place on purpose: they
# may carry curated ids, aliases and Wikidata ids. `kg` never deletes an entity implicitly.
