"""Cypher text for duplicate article clusters (kg.store.duplicates), in one place. Parameters always.

The shape: `(:Article {duplicateBands})-[:DUPLICATE_OF {similarity}]->(:Article)`, every member of a cluster
pointing to the cluster's root (which points nowhere); `duplicateBands` holds the article's LSH band keys
(kg.store.text_signatures) separated by spaces, looked up through a full-text index with the whitespace analyser:
one index lookup per key, whatever the number of articles stored.
"""

from __future__ import annotations

DUPLICATE_SCHEMA = [
    "CREATE FULLTEXT INDEX article_duplicate_bands IF NOT EXISTS FOR (a:Article) ON EACH [a.duplicateBands] "
    "OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}",
]

# Stored articles sharing a band key with each article of a batch (`row.query`: its keys, any of them matching;
# the ones sharing most keys first, at most $limit each), with their keys. The batch's own articles are left out:
# they are compared with each other in memory. The writer runs this before it writes the batch's articles: a
# full-text query in a transaction that has changed nodes of the index must also search those changes, which made it
# the slowest query of a write (kg.store.duplicates.look_up).
CANDIDATES = """
UNWIND $rows AS row
CALL db.index.fulltext.queryNodes('article_duplicate_bands', row.query, {limit: $limit}) YIELD node, score
WITH row, node WHERE NOT node.id IN $batchIds
RETURN row.id AS articleId, node.id AS candidateId, node.duplicateBands AS bands
"""

# The texts of the candidates worth the exact check, with their cluster's root as it is now.
TEXTS = """
UNWIND $ids AS id
MATCH (a:Article {id: id})
OPTIONAL MATCH (a)-[:DUPLICATE_OF]->(root:Article)
RETURN a.id AS id, a.text AS text, coalesce(root.id, a.id) AS rootId
"""

SET_BANDS = """
UNWIND $rows AS row
MATCH (a:Article {id: row.id})
SET a.duplicateBands = row.bands
"""

LINK_DUPLICATES = """
UNWIND $rows AS row
MATCH (a:Article {id: row.id})
MATCH (root:Article {id: row.rootId})
MERGE (a)-[link:DUPLICATE_OF]->(root)
SET link.similarity = row.similarity
"""

# Articles leaving their clusters (retracted, or about to be compared again after an edit). A root's other members
# stay one cluster: they point to the earliest published of them (ties: smallest id), which points nowhere.
PROMOTE_HEIRS = """
UNWIND $ids AS id
MATCH (member:Article)-[link:DUPLICATE_OF]->(:Article {id: id})
WHERE NOT member.id IN $ids
WITH id, member, link ORDER BY member.published, member.id
DELETE link
WITH id, collect(member) AS members
WITH members[0] AS heir, members[1..] AS others
UNWIND others AS other
MERGE (other)-[:DUPLICATE_OF]->(heir)
"""

UNLINK = """
UNWIND $ids AS id
MATCH (:Article {id: id})-[link:DUPLICATE_OF]-()
DELETE link
"""

# Articles never compared (written before duplicate detection, or with it off), oldest publication first, for
# `kg dedup index`: a label scan, run once on an existing graph.
UNCOMPARED_ARTICLES = """
MATCH (a:Article) WHERE a.duplicateBands IS NULL
RETURN a.id AS id, a.text AS text, a.published AS published
ORDER BY a.published, a.id
LIMIT $limit
"""

# The facts these articles support (to recompute their sources once the articles are in their clusters).
FACTS_OF_ARTICLES = """
UNWIND $ids AS id
MATCH (ev:Evidence {articleId: id})
RETURN DISTINCT ev.predicate AS predicate, ev.factId AS factId
"""

# An article's cluster: its root's id and the ids of every member (the root included), for `kg dedup show`.
CLUSTER_OF = """
MATCH (a:Article {id: $id})
OPTIONAL MATCH (a)-[:DUPLICATE_OF]->(up:Article)
WITH coalesce(up, a) AS root
RETURN root.id AS rootId, [root.id] + COLLECT { MATCH (m:Article)-[:DUPLICATE_OF]->(root) RETURN m.id ORDER BY m.id }
       AS members
"""
