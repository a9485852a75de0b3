"""Cypher text for curation (kg.curation) and for the writer's curation step, in one place. Parameters always;
relationship types only from the vocabulary, checked by `checked_identifier`.

What curation keeps in the graph (docs/curation.md):
- `(:MergedEntity {id, name, type, kind, aliases, wikidataId, mergedInto})`: an entity merged into another. It has
  lost its `:Entity` label (and type label) and carries no relationship, so every read over `:Entity` (search,
  timeline, neighbourhood, stats, RDF) ignores it; a split gives the labels back.
- `(:EntityMerge {id, sourceId, targetId, names, score, rule, by, at, why, active, addedAliases, splitBy, splitAt,
  splitWhy})`: one merge decision, with its provenance; `active: false` once split (a resolver never merges that
  pair again).
- `(:ParkedEvidence {…evidence properties, parkedFor})`: evidence that supports no live fact: its fact was
  rejected, or a merge made its two ends one entity, or it would repeat another evidence's id after a merge.
- `(:FactCuration {id, curation, by, at, why, predicate, subjectId, objectId, …the fact's properties})`: a
  curator's verdict on a fact id (`rejected` or `confirmed`); for a rejected fact, its last properties.
- `(:CurationLog {id, at, by, action, entityIds, factIds, why, detail})`: the audit log.
"""

from __future__ import annotations

from kg.store.cypher import checked_identifier
from kg.store.read_cypher import evidence_of

CURATION_SCHEMA = [
    "CREATE CONSTRAINT merged_entity_id IF NOT EXISTS FOR (m:MergedEntity) REQUIRE m.id IS UNIQUE",
    "CREATE INDEX merged_entity_into IF NOT EXISTS FOR (m:MergedEntity) ON (m.mergedInto)",
    "CREATE CONSTRAINT entity_merge_id IF NOT EXISTS FOR (m:EntityMerge) REQUIRE m.id IS UNIQUE",
    "CREATE INDEX entity_merge_source IF NOT EXISTS FOR (m:EntityMerge) ON (m.sourceId)",
    "CREATE INDEX entity_merge_target IF NOT EXISTS FOR (m:EntityMerge) ON (m.targetId)",
    "CREATE CONSTRAINT parked_evidence_id IF NOT EXISTS FOR (ev:ParkedEvidence) REQUIRE ev.id IS UNIQUE",
    "CREATE INDEX parked_evidence_fact IF NOT EXISTS FOR (ev:ParkedEvidence) ON (ev.factId)",
    "CREATE INDEX parked_evidence_article IF NOT EXISTS FOR (ev:ParkedEvidence) ON (ev.articleId)",
    "CREATE INDEX parked_evidence_subject_mention IF NOT EXISTS FOR (ev:ParkedEvidence) ON (ev.subjectMention)",
    "CREATE INDEX parked_evidence_object_mention IF NOT EXISTS FOR (ev:ParkedEvidence) ON (ev.objectMention)",
    "CREATE INDEX evidence_subject_mention IF NOT EXISTS FOR (ev:Evidence) ON (ev.subjectMention)",
    "CREATE INDEX evidence_object_mention IF NOT EXISTS FOR (ev:Evidence) ON (ev.objectMention)",
    "CREATE CONSTRAINT fact_curation_id IF NOT EXISTS FOR (c:FactCuration) REQUIRE c.id IS UNIQUE",
    "CREATE CONSTRAINT curation_log_id IF NOT EXISTS FOR (l:CurationLog) REQUIRE l.id IS UNIQUE",
    "CREATE INDEX curation_log_at IF NOT EXISTS FOR (l:CurationLog) ON (l.at)",
]

# ------------------------------------------------------------------------------------------------ resolution
# Ids (of a batch) that were merged away or whose type a curator set: where each one points, and the curated type.
ENTITY_REDIRECTS = """
UNWIND $ids AS id
OPTIONAL MATCH (m:MergedEntity {id: id})
OPTIONAL MATCH (e:Entity {id: id}) WHERE e.typeCurated
WITH id, m, e WHERE m IS NOT NULL OR e IS NOT NULL
RETURN id, m.mergedInto AS mergedInto, e.type AS curatedType
"""

# Live entities by id: their type and name (the targets of redirects, the ends of a curation action).
ENTITIES_BY_ID = """
UNWIND $ids AS id
MATCH (e:Entity {id: id})
RETURN e.id AS id, e.name AS name, e.type AS type, e.kind AS kind, coalesce(e.aliases, []) AS aliases,
       e.wikidataId AS wikidataId, coalesce(e.nameLanguages, []) AS nameLanguages
"""

MERGED_ENTITY = """
MATCH (m:MergedEntity {id: $id})
RETURN m.id AS id, m.mergedInto AS mergedInto
"""

# Stubs merged directly into one of these ids (a split follows them to find the evidence it must reconsider).
MERGED_INTO_ANY = """
UNWIND $ids AS id
MATCH (m:MergedEntity {mergedInto: id})
RETURN m.id AS id
"""

# Merge decisions already taken for these sources, active or split (a resolver repeats none of them).
MERGES_OF_SOURCES = """
UNWIND $ids AS id
MATCH (m:EntityMerge {sourceId: id})
RETURN m.sourceId AS sourceId, m.targetId AS targetId, m.active AS active
"""

# Verdicts on these fact ids (rejected or confirmed).
FACT_CURATIONS = """
UNWIND $ids AS id
MATCH (c:FactCuration {id: id})
RETURN c.id AS id, c.curation AS curation
"""

# ------------------------------------------------------------------------------------------------ merge, split
# An entity merged away: it becomes a stub (no :Entity, no type label), pointing at its target.
STUB_ENTITY = """
MATCH (e:Entity {id: $id})
REMOVE e:Entity, e:$(e.type)
SET e:MergedEntity, e.mergedInto = $targetId
"""

# A merged-away entity seen by the writer for the first time (the resolver's decision about a new mention).
MERGE_STUBS = """
UNWIND $rows AS row
MERGE (m:MergedEntity {id: row.id})
ON CREATE SET m.name = row.name, m.type = row.type, m.kind = row.kind, m.wikidataId = row.wikidataId,
              m.aliases = row.aliases, m.mergedInto = row.mergedInto
ON MATCH SET m.aliases = coalesce(m.aliases, []) + [a IN row.aliases WHERE NOT a IN coalesce(m.aliases, [])]
"""

# A stub given back its labels by a split.
UNSTUB_ENTITY = """
MATCH (m:MergedEntity {id: $id})
REMOVE m:MergedEntity
SET m:Entity, m:$(m.type), m.mergedInto = null
"""

# The target gains the names of what was merged into it, and the languages they were seen in (kg.name_languages,
# as a re-ingest through the merge would give them); returns what it did not have (the split removes it).
ADD_ALIASES = """
MATCH (e:Entity {id: $id})
WITH e, [a IN $aliases WHERE NOT a IN coalesce(e.aliases, []) AND a <> e.name] AS fresh,
     [l IN $languages WHERE NOT l IN coalesce(e.nameLanguages, [])] AS freshLanguages
SET e.aliases = coalesce(e.aliases, []) + fresh,
    e.nameLanguages = CASE WHEN size(freshLanguages) > 0 THEN coalesce(e.nameLanguages, []) + freshLanguages
                           ELSE e.nameLanguages END
RETURN fresh, freshLanguages
"""

# A split takes them back (an emptied language list goes, as the writer never stores an empty one).
REMOVE_ALIASES = """
MATCH (e:Entity {id: $id})
WITH e, [l IN coalesce(e.nameLanguages, []) WHERE NOT l IN $languages] AS languages
SET e.aliases = [a IN coalesce(e.aliases, []) WHERE NOT a IN $aliases],
    e.nameLanguages = CASE WHEN size(languages) > 0 THEN languages ELSE null END
"""

CREATE_MERGE_RECORD = """
CREATE (m:EntityMerge)
SET m = $row
"""

ACTIVE_MERGE = """
MATCH (m:EntityMerge {sourceId: $sourceId})
WHERE m.targetId = $targetId AND m.active
RETURN m {.*} AS merge
"""

CLOSE_MERGE = """
MATCH (m:EntityMerge {id: $id})
SET m.active = false, m.splitBy = $by, m.splitAt = $at, m.splitWhy = $why
"""

# The active merges into an entity, oldest first (what GET /v1/entities/{id} lists as `merged`).
MERGES_INTO = """
MATCH (m:EntityMerge {targetId: $id})
WHERE m.active
RETURN m {.*} AS merge
ORDER BY m.at, m.id
"""

# ------------------------------------------------------------------------------------------------ regrouping
# Evidence on the facts of an entity (before it is merged away), with its labels.
EVIDENCE_ON_FACTS_OF = """
MATCH (:Entity {id: $id})-[r]-()
WITH DISTINCT r.id AS factId
MATCH (ev:Evidence {factId: factId})
RETURN ev {.*} AS evidence, false AS parked
"""

# Evidence (live or parked) whose extracted ends include one of these ids.
EVIDENCE_MENTIONING = """
UNWIND $ids AS id
CALL (id) {
  MATCH (ev:Evidence {subjectMention: id}) RETURN ev, false AS parked
  UNION
  MATCH (ev:Evidence {objectMention: id}) RETURN ev, false AS parked
  UNION
  MATCH (ev:ParkedEvidence {subjectMention: id}) WHERE ev.parkedFor <> 'rejected' RETURN ev, true AS parked
  UNION
  MATCH (ev:ParkedEvidence {objectMention: id}) WHERE ev.parkedFor <> 'rejected' RETURN ev, true AS parked
}
RETURN DISTINCT ev {.*} AS evidence, parked
"""

DELETE_EVIDENCE_BY_ID = """
UNWIND $ids AS id
MATCH (ev:Evidence {id: id})
DETACH DELETE ev
"""

DELETE_PARKED_BY_ID = """
UNWIND $ids AS id
MATCH (ev:ParkedEvidence {id: id})
DETACH DELETE ev
"""

EXISTING_EVIDENCE = """
UNWIND $ids AS id
MATCH (ev:Evidence {id: id})
RETURN ev.id AS id
"""

# Evidence that supports no live fact, linked to its article like live evidence.
MERGE_PARKED_EVIDENCE = """
UNWIND $rows AS e
MATCH (a:Article {id: e.articleId})
MERGE (ev:ParkedEvidence {id: e.id})
SET ev += e
MERGE (ev)-[:FROM_ARTICLE]->(a)
"""

# Parked evidence of articles being replaced or retracted goes with their live evidence.
DELETE_ARTICLES_PARKED_EVIDENCE = """
UNWIND $articleIds AS articleId
MATCH (ev:ParkedEvidence {articleId: articleId})
DETACH DELETE ev
"""


def existing_facts(predicate: str) -> str:
    """Which of these fact ids of one predicate exist as facts."""
    rel = checked_identifier(predicate)
    return f"""
UNWIND $ids AS id
MATCH ()-[r:{rel} {{id: id}}]->()
RETURN r.id AS id
"""


def set_fact_curation(predicate: str) -> str:
    """Facts of one predicate marked confirmed (or unmarked with null)."""
    rel = checked_identifier(predicate)
    return f"""
UNWIND $ids AS id
MATCH ()-[r:{rel} {{id: id}}]->()
SET r.curation = $curation
"""


# ------------------------------------------------------------------------------------------------ facts
# A fact by id, its type and ends, with its properties (one index seek per predicate).
def fact_by_id(predicates: list[str]) -> str:
    branches = "\n  UNION ALL\n".join(
        f"  MATCH (s:Entity)-[r:{checked_identifier(p)} {{id: $id}}]->(o:Entity) RETURN r, s, o" for p in predicates)
    return f"""
CALL () {{
{branches}
}}
RETURN type(r) AS predicate, s.id AS subjectId, o.id AS objectId, properties(r) AS props
LIMIT 1
"""


# A fact rejected: its evidence parked, the relationship deleted.
def reject_fact(predicate: str) -> str:
    rel = checked_identifier(predicate)
    return f"""
MATCH ()-[r:{rel} {{id: $id}}]->()
CALL (r) {{
  MATCH (ev:Evidence {{factId: r.id}})
  REMOVE ev:Evidence
  SET ev:ParkedEvidence, ev.parkedFor = 'rejected'
}}
DELETE r
"""


UPSERT_FACT_CURATION = """
MERGE (c:FactCuration {id: $id})
SET c += $row
"""

# ------------------------------------------------------------------------------------------------ entities
RENAME_ENTITY = """
MATCH (e:Entity {id: $id})
SET e.aliases = coalesce(e.aliases, []) + [n IN [e.name] WHERE NOT n IN coalesce(e.aliases, [])],
    e.name = $name
"""

RETYPE_ENTITY = """
MATCH (e:Entity {id: $id})
REMOVE e:$(e.type)
SET e:$($type), e.type = $type, e.kind = $kind, e.typeCurated = true
"""

ADD_ALIAS = """
MATCH (e:Entity {id: $id})
SET e.aliases = coalesce(e.aliases, []) + [a IN [$alias] WHERE NOT a IN coalesce(e.aliases, [])]
"""

SET_WIKIDATA = """
MATCH (e:Entity {id: $id})
SET e.wikidataId = $wikidataId
"""

# The predicates of an entity's facts and its side of them (what a retype must keep valid).
ENTITY_FACT_SHAPES = """
MATCH (e:Entity {id: $id})
CALL (e) {
  MATCH (e)-[r]->(o) RETURN DISTINCT type(r) AS predicate, 'subject' AS side, o.type AS otherType
  UNION
  MATCH (s)-[r]->(e) RETURN DISTINCT type(r) AS predicate, 'object' AS side, s.type AS otherType
}
RETURN predicate, side, otherType
"""

# ------------------------------------------------------------------------------------------------ audit log
CREATE_LOG_ENTRY = """
CREATE (l:CurationLog)
SET l = $row
"""

# One page of the audit log, newest first, optionally about one entity or one fact.
LOG_PAGE = """
MATCH (l:CurationLog)
WHERE ($entity IS NULL OR $entity IN l.entityIds) AND ($fact IS NULL OR $fact IN l.factIds)
  AND ($afterAt IS NULL OR l.at < $afterAt OR (l.at = $afterAt AND l.id < $afterId))
RETURN l {.*} AS entry
ORDER BY l.at DESC, l.id DESC
LIMIT $limit
"""

# ------------------------------------------------------------------------------------------------ reads
# Rejected facts as fact rows for the facts endpoint with include_rejected (their evidence is parked).
REJECTED_FACTS = """
MATCH (c:FactCuration {curation: 'rejected'})
WHERE ($predicate IS NULL OR c.predicate = $predicate)
  AND ($subject IS NULL OR c.subjectId = $subject) AND ($object IS NULL OR c.objectId = $object)
MATCH (s:Entity {id: c.subjectId})
MATCH (o:Entity {id: c.objectId})
""" + evidence_of("c", "ParkedEvidence") + """
WITH c, s, o, evidence, coalesce(c.date, left(toString(c.firstPublished), 10)) AS sortDate
WITH c, s, o, evidence, sortDate, coalesce(sortDate, '~') AS sortKey
WHERE ($from IS NULL OR (sortDate IS NOT NULL AND left(sortDate, size($from)) >= left($from, size(sortDate))))
  AND ($to IS NULL OR (sortDate IS NOT NULL AND left(sortDate, size($to)) <= left($to, size(sortDate))))
  AND ($afterKey IS NULL OR sortKey > $afterKey OR (sortKey = $afterKey AND c.id > $afterId))
RETURN c.id AS id, c.predicate AS predicate, properties(c) AS props,
       s {.id, .name, .type, .kind, .wikidataId, aliases: coalesce(s.aliases, [])} AS subject,
       o {.id, .name, .type, .kind, .wikidataId, aliases: coalesce(o.aliases, [])} AS object,
       evidence, sortDate, sortKey
ORDER BY sortKey, id
LIMIT $limit
"""
