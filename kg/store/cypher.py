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
RETURN a.id AS id, a.contentHash AS contentHash, a.extractorVersion AS extractorVersion, a.published AS published,
       a.source AS source, a.lang AS lang, a.url AS url, a.title AS title,
       a.duplicateBands IS NOT NULL AS compared
"""

# The evidence stored for these articles, every property, and how much parked evidence they have (an article
# re-read by a new extractor version whose evidence comes out identical is left as it is: kg.store.writer).
ARTICLES_EVIDENCE = """
UNWIND $articleIds AS articleId
RETURN articleId, COLLECT { MATCH (ev:Evidence {articleId: articleId}) RETURN ev {.*} } AS evidence,
       COUNT { MATCH (parked:ParkedEvidence {articleId: articleId}) } AS parked
"""

# Evidence of articles being replaced: remove it and return the facts it supported.
DELETE_ARTICLES_EVIDENCE = """
UNWIND $articleIds AS articleId
MATCH (ev:Evidence {articleId: articleId})
WITH ev, articleId, ev.factId AS factId, ev.predicate AS predicate, ev.subjectId AS subjectId,
     ev.objectId AS objectId
DETACH DELETE ev
RETURN DISTINCT articleId, factId, predicate, subjectId, objectId
"""

# Entities already stored under one of these ids with another type (usually none: only conflicts come back).
ENTITY_TYPE_CONFLICTS = """
UNWIND $rows AS row
MATCH (e:Entity {id: row.id})
WHERE e.type <> row.type
RETURN e.id AS id, e.type AS type
"""

# The batch's articles, written; returns the ids of those this query created. MERGE holds the id's lock until
# commit, so no concurrent transaction can write an article created here (nor its evidence) before this one ends:
# the evidence of a created article is known new (CREATE_EVIDENCE).
MERGE_ARTICLES = """
UNWIND $rows AS row
MERGE (a:Article {id: row.id})
ON CREATE SET a.createdHere = true
WITH a, row, a.createdHere IS NOT NULL AS created
REMOVE a.createdHere
SET a += row
WITH row WHERE created
RETURN row.id AS id
"""


# Labels and relationship types below come from validated rows as `$(...)` (Neo4j 5.26 dynamic labels and
# types): one query per batch instead of one per type, with no text pasted into the query.
MERGE_ENTITIES = """
UNWIND $rows AS row
MERGE (e:Entity {id: row.id})
ON CREATE SET e:$(row.type), e.name = row.name, e.type = row.type, e.kind = row.kind,
              e.wikidataId = row.wikidataId, e.aliases = row.aliases
WITH e, row, [a IN row.aliases WHERE NOT a IN coalesce(e.aliases, [])] AS fresh,
     [l IN row.nameLanguages WHERE NOT l IN coalesce(e.nameLanguages, [])] AS freshLanguages
CALL (e, row, fresh, freshLanguages) {
  // only entities that gain something are written (untouched ones cost no index update); the node's write lock is
  // taken first and the lists compared again under it, so that concurrent writers never append one name twice
  WITH e, row, fresh, freshLanguages
  WHERE size(fresh) > 0 OR size(freshLanguages) > 0 OR (e.kind IS NULL AND row.kind IS NOT NULL)
     OR (e.wikidataId IS NULL AND row.wikidataId IS NOT NULL)
  SET e.writeLock = true
  REMOVE e.writeLock
  WITH e, row, [a IN row.aliases WHERE NOT a IN coalesce(e.aliases, [])] AS newAliases,
       [l IN row.nameLanguages WHERE NOT l IN coalesce(e.nameLanguages, [])] AS newLanguages
  SET e.aliases = coalesce(e.aliases, []) + newAliases,
      e.nameLanguages = CASE WHEN size(newLanguages) > 0 THEN coalesce(e.nameLanguages, []) + newLanguages
                             ELSE e.nameLanguages END,
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


# Evidence of articles MERGE_ARTICLES created in this transaction: none of it can exist, so it is created without
# the unique-index lookup and lock of a MERGE (same nodes and links as MERGE_EVIDENCE).
CREATE_EVIDENCE = """
UNWIND $rows AS e
MATCH (a:Article {id: e.articleId})
CREATE (ev:Evidence {id: e.id})
SET ev += e
CREATE (ev)-[:FROM_ARTICLE]->(a)
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


# Evidence stored for facts about to be recomputed, with what its article tells about the source: publication
# date, language, outlet (source, url) and duplicate cluster (the root's id, kg.store.duplicates).
STORED_EVIDENCE = """
UNWIND $factIds AS factId
MATCH (ev:Evidence {factId: factId})-[:FROM_ARTICLE]->(a:Article)
RETURN factId, ev {.*} AS evidence, a.id AS articleId, a.published AS published, a.lang AS lang,
       a.source AS source, a.url AS url, COLLECT { MATCH (a)-[:DUPLICATE_OF]->(root:Article) RETURN root.id }[0]
       AS cluster
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


# ------------------------------------------------------------------------------------------------ time
# (kg.store.time_writes: undated events folded into their dated fact, validity intervals, retraction, migration)
INTERVAL_SCHEMA = [
    "CREATE INDEX interval_scope IF NOT EXISTS FOR (i:Interval) ON (i.scopeId)",
    "CREATE INDEX interval_subject IF NOT EXISTS FOR (i:Interval) ON (i.subjectId)",
    "CREATE INDEX interval_object IF NOT EXISTS FOR (i:Interval) ON (i.objectId)",
]


def fact_date_start_index(predicate: str) -> str:
    """A range index on a fact type's `dateStart` (DATE), for `WHERE r.dateStart >= date(...)`."""
    p = checked_identifier(predicate)
    return f"CREATE INDEX fact_date_start_{p.lower()} IF NOT EXISTS FOR ()-[r:{p}]-() ON (r.dateStart)"


def pair_facts(predicate: str) -> str:
    """Every fact of one predicate between given pairs of entities, with its date."""
    rel = checked_identifier(predicate)
    return f"""
UNWIND $pairs AS pair
MATCH (s:Entity {{id: pair.s}})-[r:{rel}]->(o:Entity {{id: pair.o}})
RETURN pair.s AS s, pair.o AS o, r.id AS id, r.date AS date
"""


def delete_facts(predicate: str) -> str:
    """Facts of one predicate removed with all their evidence (an undated event folded into its dated fact)."""
    rel = checked_identifier(predicate)
    return f"""
UNWIND $factIds AS factId
MATCH ()-[r:{rel} {{id: factId}}]->()
CALL (r) {{ MATCH (ev:Evidence {{factId: r.id}}) DETACH DELETE ev }}
DELETE r
"""


def rekey_facts(predicate: str) -> str:
    """Facts of one predicate given a new id, each piece of their evidence re-keyed with it."""
    rel = checked_identifier(predicate)
    return f"""
UNWIND $rows AS row
MATCH ()-[r:{rel} {{id: row.id}}]->()
SET r.id = row.newId
WITH row
UNWIND row.evidence AS e
MATCH (ev:Evidence {{id: e.id}})
SET ev.id = e.newId, ev.factId = row.newId
"""


# The dated facts, and the state facts whose evidence states a span (with that evidence), an entity's validity
# intervals derive from (kg.intervals): employment from the person's side, ownership from the owned company's side.
SCOPE_EVENTS = """
UNWIND $scopes AS scope
MATCH (e:Entity {id: scope})
CALL (e) {
  MATCH (e)-[r:JOINED|LEFT|HIRED_FROM|WORKS_FOR|SUBSIDIARY_OF]->(o) RETURN r, e AS s, o
  UNION
  MATCH (s)-[r:ACQUIRED|OWNS]->(e) RETURN r, s, e AS o
}
WITH scope, r, s, o WHERE r.date IS NOT NULL OR r.statedFrom IS NOT NULL OR r.statedTo IS NOT NULL
CALL (r) {
  OPTIONAL MATCH (ev:Evidence {factId: r.id})
  RETURN collect(ev.id) AS evidenceIds,
         collect(CASE WHEN ev.statedFrom IS NOT NULL OR ev.statedTo IS NOT NULL
                      THEN ev {.id, .statedFrom, .statedTo, .role} END) AS stated
}
RETURN scope, r.id AS factId, type(r) AS predicate, s.id AS subjectId, o.id AS objectId, r.date AS date,
       evidenceIds, r.role AS role, stated
"""

# The state facts (WORKS_FOR, OWNS, SUBSIDIARY_OF) whose periods an entity's intervals give, with the periods they
# hold now (so that only changed ones are written).
SCOPE_STATE_FACTS = """
UNWIND $scopes AS scope
MATCH (e:Entity {id: scope})
CALL (e) {
  MATCH (e)-[r:WORKS_FOR|SUBSIDIARY_OF]->(o) RETURN r, e AS s, o
  UNION
  MATCH (s)-[r:OWNS]->(e) RETURN r, s, e AS o
}
RETURN type(r) AS state, s.id AS s, o.id AS o, r.validFrom AS validFrom, r.validTo AS validTo
"""


def set_state_periods(state: str) -> str:
    """A state fact's periods, copied from its intervals: `validFrom`/`validTo` as lists of DATE, one item per
    period (0001-01-01 for an unknown start, 9999-12-31 for a period still open); removed when it has none."""
    rel = checked_identifier(state)
    return f"""
UNWIND $rows AS row
MATCH (s:Entity {{id: row.s}})-[r:{rel}]->(o:Entity {{id: row.o}})
SET r.validFrom = CASE WHEN size(row.froms) = 0 THEN null ELSE row.froms END,
    r.validTo = CASE WHEN size(row.tos) = 0 THEN null ELSE row.tos END
"""


# The intervals stored for these scopes, every property (compared with the ones derived now: only the difference
# is written).
SCOPE_INTERVALS = """
UNWIND $scopes AS scope
MATCH (i:Interval {scopeId: scope})
RETURN i {.*} AS interval
"""

# Intervals that are no longer derived, by scope and id (`$rows`: [{scopeId, id}]).
DELETE_INTERVALS = """
UNWIND $rows AS row
MATCH (i:Interval {scopeId: row.scopeId})
WHERE i.id = row.id
DETACH DELETE i
"""

CREATE_INTERVALS = """
UNWIND $rows AS row
CREATE (i:Interval)
SET i = row
"""

ARTICLES_FROM_SOURCE = "MATCH (a:Article) WHERE a.source = $source RETURN a.id AS id ORDER BY id"

DELETE_ARTICLES = """
UNWIND $ids AS id
MATCH (a:Article {id: id})
DETACH DELETE a
RETURN count(*) AS deleted
"""

# Migration (`kg migrate`), one predicate at a time: native dates beside the text dates, evidence ends, event ids.
def migrate_fact_rows(predicate: str) -> str:
    """Facts of one predicate (with their evidence) that lack a native date or whose evidence lacks its ends."""
    rel = checked_identifier(predicate)
    return f"""
MATCH (s:Entity)-[r:{rel}]->(o:Entity)
CALL (r) {{
  MATCH (ev:Evidence {{factId: r.id}})
  RETURN collect(ev {{.id, .articleId, .start, .end, .date, .subjectId, .dateStart}}) AS evidence
}}
RETURN r.id AS id, s.id AS s, o.id AS o, r.date AS date, r.firstPublished AS firstPublished,
       r.dateStart AS dateStart, r.firstPublishedOn AS firstPublishedOn, evidence
"""


def set_migrated_facts(predicate: str) -> str:
    """Native dates on facts, a new id for a dated event, and its evidence re-keyed with it."""
    rel = checked_identifier(predicate)
    return f"""
UNWIND $rows AS row
MATCH ()-[r:{rel} {{id: row.id}}]->()
SET r.id = row.newId, r.dateStart = row.dateStart, r.dateEnd = row.dateEnd,
    r.firstPublishedOn = row.firstPublishedOn
WITH row
UNWIND row.evidence AS e
MATCH (ev:Evidence {{id: e.id}})
SET ev.id = e.newId, ev.factId = row.newId, ev.subjectId = row.s, ev.objectId = row.o,
    ev.dateStart = e.dateStart, ev.dateEnd = e.dateEnd
"""


ALL_SCOPES = """
MATCH (e:Entity)
WITH e, COUNT { (e)-[:JOINED|LEFT|HIRED_FROM|WORKS_FOR|SUBSIDIARY_OF]->() } + COUNT { ()-[:ACQUIRED|OWNS]->(e) }
        AS events
WHERE events > 0
RETURN e.id AS id, events
"""
