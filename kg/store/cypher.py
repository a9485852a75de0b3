"""Cypher text for the store, in one place. Parameters always; labels and relationship types only from the
vocabulary: either passed as parameters through Neo4j 5.26's dynamic `$(...)` syntax, or checked against an
identifier pattern before they are placed in a query."""

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

ENTITY_TYPES = """
UNWIND $ids AS id
MATCH (e:Entity {id: id})
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


def _derive_fact_properties(qualifier_properties: list[str]) -> str:
    """Cypher that sets a fact's properties from all its evidence (expects r and factId in scope): how many pieces
    support it, the earliest publication date, and its qualifiers (the most precise date; otherwise the value of
    the most confident evidence that has one). A fact is thus a function of its evidence, in any arrival order."""
    others = [checked_identifier(p) for p in qualifier_properties if p not in ("date", "modality")]
    picks = ",\n    ".join(f"r.{p} = head([e IN evs WHERE e.{p} IS NOT NULL | e.{p}])" for p in others)
    return f"""
CALL (factId) {{
  MATCH (ev:Evidence {{factId: factId}})-[:FROM_ARTICLE]->(a:Article)
  WITH ev, a ORDER BY ev.confidence DESC, ev.id
  RETURN count(ev) AS n, min(a.published) AS firstPublished, collect(ev {{.*}}) AS evs
}}
WITH r, n, firstPublished, evs,
     reduce(best = null, e IN evs | CASE WHEN e.date IS NOT NULL AND (best IS NULL OR size(e.date) > size(best))
                                         THEN e.date ELSE best END) AS date
SET r.evidenceCount = n, r.firstPublished = firstPublished,
    r.date = date,
    r.datePrecision = CASE size(date) WHEN 4 THEN 'year' WHEN 7 THEN 'month' WHEN 10 THEN 'day' END,
    r.modality = coalesce(head([e IN evs WHERE e.modality IS NOT NULL | e.modality]), 'asserted'),
    {picks}
"""


def write_facts(qualifier_properties: list[str]) -> str:
    """One relationship per fact id (typed by its predicate), its new evidence linked to its article, then its
    properties. A fact created here has all its evidence in its row, so its properties arrive computed
    (`row.derived`, by `kg.store.writer.derived_fact_properties`, the same rules); a fact that existed is recomputed
    from all its evidence. Both ends are bound, so the MERGE checks only their links."""
    return """
UNWIND $rows AS row
MATCH (s:Entity {id: row.subjectId})
MATCH (o:Entity {id: row.objectId})
MERGE (s)-[r:$(row.predicate) {id: row.id}]->(o)
ON CREATE SET r += row.derived
ON MATCH SET r.evidenceCount = -1
WITH r, row
CALL (row) {
  UNWIND row.evidence AS e
  MATCH (a:Article {id: e.articleId})
  MERGE (ev:Evidence {id: e.id})
  ON CREATE SET ev += e
  MERGE (ev)-[:FROM_ARTICLE]->(a)
}
WITH r, row.id AS factId
WHERE r.evidenceCount = -1
""" + _derive_fact_properties(qualifier_properties)


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


def refresh_facts(predicate: str, qualifier_properties: list[str]) -> str:
    """Recompute facts that lost evidence (an edited article) but still have some."""
    rel = checked_identifier(predicate)
    return f"""
UNWIND $factIds AS factId
MATCH ()-[r:{rel} {{id: factId}}]->()
""" + _derive_fact_properties(qualifier_properties)



# Entities no fact and no article mention any more (after a replacement) are left in place on purpose: they
# may carry curated ids, aliases and Wikidata ids. `kg` never deletes an entity implicitly.
