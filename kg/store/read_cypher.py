"""Cypher text for reading the graph (the API's queries), in one place.

Parameters always. The only text placed into a query is a relationship type from the vocabulary, checked by
`checked_identifier`, and integers the caller has bounded (path depth).

The graph's shape: `(:Entity)-[fact:PREDICATE {id, date, datePrecision, modality, …, evidenceCount,
firstPublished}]->(:Entity)`, and `(:Evidence {factId, predicate, sentence, start, end, extractor,
confidence})-[:FROM_ARTICLE]->(:Article {id, title, url, published, …})`.
"""

from __future__ import annotations

from kg.store.cypher import checked_identifier


# ------------------------------------------------------------------------------------------------ fragments
def evidence_of(fact: str, label: str = "Evidence") -> str:
    """The evidence (nodes of `label`: live `Evidence`, or a rejected fact's `ParkedEvidence`) behind the fact bound
    to `fact`, oldest article first, as a list of maps named `evidence` (empty for a fact with none)."""
    return f"""
CALL ({fact}) {{
  OPTIONAL MATCH (ev:{label} {{factId: {fact}.id}})
  OPTIONAL MATCH (ev)-[:FROM_ARTICLE]->(a:Article)
  WITH ev, a ORDER BY a.published, a.id, ev.start
  RETURN [x IN collect(CASE WHEN ev IS NULL THEN NULL ELSE {{
    id: ev.id, articleId: ev.articleId, sentence: ev.sentence, start: ev.start, end: ev.end,
    extractor: ev.extractor, confidence: ev.confidence,
    title: a.title, url: a.url, published: a.published}} END) WHERE x IS NOT NULL] AS evidence
}}
"""


_EVIDENCE_OF_R = evidence_of("r")

_ENTITY_MAP = "{{.id, .name, .type, .kind, .wikidataId, aliases: coalesce({v}.aliases, [])}}"

_FACT_COLUMNS = f"""
RETURN r.id AS id, type(r) AS predicate, properties(r) AS props,
       s {_ENTITY_MAP.format(v="s")} AS subject,
       o {_ENTITY_MAP.format(v="o")} AS object,
       evidence
"""

# The date a fact is placed at: its own date, else the publication day of its earliest evidence.
_SORT_DATE = "coalesce(r.date, left(toString(r.firstPublished), 10))"

# A fact's (possibly partial) date `sortDate` overlaps [$from, $to], both ISO prefixes: compare on the common
# prefix, so "2023" overlaps "2023-03" and "2023-03-18" overlaps "2023-03". Each side is cut to the other's length
# (`left` of a longer length keeps the whole text), which is cutting both to the shorter one.
_DATE_WINDOW = """
($from IS NULL OR (sortDate IS NOT NULL AND left(sortDate, size($from)) >= left($from, size(sortDate))))
AND ($to IS NULL OR (sortDate IS NOT NULL AND left(sortDate, size($to)) <= left($to, size(sortDate))))
"""

# As of a date ($asOfStart..$asOfEnd, the first and last day of an ISO prefix, DATE values; both null for no
# as-of): an event counts once it happened (`dateStart`, else the first publication day of an undated one, by which
# it had happened); a state fact with periods (`validFrom`/`validTo`, copied from its :Interval nodes by
# kg.store.time_writes) counts while one of them may overlap that date, and, with none, once it was reported.
def _as_of(r: str) -> str:
    """The as-of test on the fact `r` (a variable or a map access such as `x.r`)."""
    return f"""
($asOfEnd IS NULL OR CASE
  WHEN {r}.validFrom IS NOT NULL
  THEN any(k IN range(0, size({r}.validFrom) - 1) WHERE {r}.validFrom[k] <= $asOfEnd AND {r}.validTo[k] >= $asOfStart)
  ELSE coalesce({r}.dateStart, {r}.firstPublishedOn) <= $asOfEnd END)
"""


_AS_OF = _as_of("r")

# Independent sources (`sourceCount`, kg.store.corroboration): with $minSources, only facts with at least that many
# (a fact written before sources were counted has no `sourceCount` and counts as one).
def _min_sources(r: str) -> str:
    return f"($minSources IS NULL OR coalesce({r}.sourceCount, 1) >= $minSources)"


_MIN_SOURCES = _min_sources("r")

# What a page of facts is sorted by (kg.store.reader.FactSort), as a text compared in ascending order: the fact's
# place in time (`sortDate`; undated facts last), or its number of independent sources, most first (10 digits of
# 10^10 - count, so that text order is count order).
SORT_KEYS = {
    "date": "coalesce(sortDate, '~')",
    "sources": "right('0000000000' + toString(10000000000 - coalesce(r.sourceCount, 1)), 10)",
}

# Keyset pagination over (sortKey, fact id); undated facts sort last ('~' is after every digit).
_AFTER_CURSOR = """
($afterKey IS NULL OR sortKey > $afterKey OR (sortKey = $afterKey AND r.id > $afterId))
"""

# ------------------------------------------------------------------------------------------------ entities
# Full-text search, best score first, equal scores by name. Every hit of the index is read (a short prefix can
# match thousands of names), but only its score and name (and id for ties) before the page is chosen; the type is
# checked on the node's labels (an entity's type is also its label) and the page's other properties are read for
# the page only. (The procedure's `skip`/`limit` options would stop the index early, but they do not keep equal
# scores in one order from one call to the next, so pages would repeat some entities and miss others; ordering the
# page by element id instead of name was measured no faster on the 1M-fact graph.)
SEARCH_ENTITIES = """
CALL db.index.fulltext.queryNodes('entity_names', $query) YIELD node, score
WITH node, score WHERE $type IS NULL OR $type IN labels(node)
WITH node, score ORDER BY score DESC, node.name, node.id SKIP $skip LIMIT $limit
RETURN node.id AS id, node.name AS name, node.type AS type, node.kind AS kind,
       coalesce(node.aliases, []) AS aliases, node.wikidataId AS wikidataId, score
"""

# Entity header (no counts): what a timeline shows about its entity.
ENTITY_SUMMARY = """
MATCH (e:Entity {id: $id})
RETURN e.id AS id, e.name AS name, e.type AS type, e.kind AS kind, coalesce(e.aliases, []) AS aliases,
       e.wikidataId AS wikidataId
"""


def entity_query(predicates: list[str]) -> str:
    """One entity with its number of facts per predicate as subject and as object, each read from the degree
    store (`COUNT { (e)-[:P]->() }` is one lookup per type and direction on a dense node, not a walk over its
    facts). Entities carry only fact relationships, so every relationship counted is a fact."""
    counts = ",\n  ".join(
        f"{{predicate: '{p}', asSubject: COUNT {{ (e)-[:{p}]->() }}, asObject: COUNT {{ (e)<-[:{p}]-() }}}}"
        for p in map(checked_identifier, predicates))
    return f"""
MATCH (e:Entity {{id: $id}})
RETURN e.id AS id, e.name AS name, e.type AS type, e.kind AS kind, coalesce(e.aliases, []) AS aliases,
       e.wikidataId AS wikidataId, [
  {counts}
] AS counts
"""


ENTITY_EXISTS = "MATCH (e:Entity {id: $id}) RETURN e.id AS id"

def timeline_query(predicates: list[str] | None, sort: str = "date") -> str:
    """Facts where the entity is subject or object, in date order, one page at a time. Given predicates (from the
    vocabulary, checked) become the relationship types of the pattern, so a dense node reads only those groups of
    its relationships. The far end is not checked for `:Entity`: entities carry only fact relationships, and not
    reading each counterpart node before the sort keeps a hub's timeline to one pass over its facts. No DISTINCT:
    a fact never links an entity to itself (kg/validation.py refuses it), so each fact comes once. With
    $plainBelow, an entity with that many facts or more gives no rows (read it with `hub_timeline_query`): one
    round trip for the many small entities, a cheap degree lookup for the few hubs."""
    rel = ":" + "|".join(map(checked_identifier, predicates)) if predicates else ""
    return f"""
MATCH (e:Entity {{id: $id}})
WHERE $plainBelow IS NULL OR COUNT {{ (e)--() }} < $plainBelow
MATCH (e)-[r{rel}]-()
WITH r, {_SORT_DATE} AS sortDate
WITH r, sortDate, {SORT_KEYS[sort]} AS sortKey
WHERE {_DATE_WINDOW} AND {_AFTER_CURSOR} AND {_AS_OF} AND {_MIN_SOURCES}
ORDER BY sortKey, r.id
LIMIT $limit
MATCH (s)-[r]->(o)
{_EVIDENCE_OF_R}
WITH r, s, o, evidence, sortDate, sortKey
ORDER BY sortKey, r.id
{_FACT_COLUMNS}, sortDate, sortKey
"""


# ------------------------------------------------------------------------------------------------ hub timelines
# A timeline in date order for an entity with tens of thousands of facts, without reading them all: Neo4j cannot
# serve "the relationships of one node ordered by a property", but it can serve "the relationships of one type
# ordered by a property" from a range index. So for each type where the entity holds a large share, facts of that
# type are read in index order (`dateStart`; `firstPublishedOn` for undated ones), keeping the entity's, until
# `$scan` of them are found; the entity's other types (few facts each) are read by expansion and sorted by day.
#
# Why the page is the same as `timeline_query`'s (tests/test_hub_timeline.py compares both, page after page):
# - a row's `day` is its `dateStart`, or `firstPublishedOn` when undated; its sort key is its `date` (an ISO
#   prefix) or its first publication day, and key order implies day order (a prefix sorts before its extensions,
#   which start on or after its first day), so the rows with a day before some day D are a prefix in key order;
# - a read that stopped at `$scan` rows (each read is in day order) holds every row of its types with a day before
#   its last row's day (facts with no day at all, key '~', are left out: they sort last);
#   the smallest such day over all reads (`cut`) bounds the rows known complete, and the page keeps only rows
#   with a day before it. The caller reads the page the plain way when fewer than `$limit` rows remain (e.g. near
#   the end of a timeline) or when the page reaches facts with neither a date nor a publication (key '~'), which
#   no index holds;
# - undated facts are read only up to the day of the `$limit`-th row the dated reads gave (`cutDay`): an undated
#   fact after it cannot be on the page;
# - the exact tests (date window, cursor, as-of, sources) are applied to the rows read; the index reads are bounded
#   by days every row of the page lies within ($dayFrom..$dayTo), a necessary condition only.
# Each read is a seek (or an expansion), an endpoint test and a LIMIT, and the exact tests appear twice in the whole
# query: with the tests inside every branch, planning took 7-18 s on the loaded 2-core machine.
# Invariants relied on (the writer and `kg migrate` keep them): `dateStart` is set exactly when `date` is, and
# `firstPublishedOn` exactly when `firstPublished` is.
def fact_first_published_index(predicate: str) -> str:
    """A range index on a fact type's `firstPublishedOn` (DATE): the order of its undated facts in a timeline."""
    p = checked_identifier(predicate)
    return f"CREATE INDEX fact_first_published_{p.lower()} IF NOT EXISTS FOR ()-[r:{p}]-() ON (r.firstPublishedOn)"


def timeline_plan_query(predicates: list[str]) -> str:
    """How many facts of each type the entity has (both directions, from the degree store) and the graph has (from
    the count store): what decides, per type, between an index-ordered read and an expansion."""
    types = ",\n  ".join(f"{{predicate: '{p}', degree: COUNT {{ (e)-[:{p}]-() }}, total: COUNT {{ ()-[:{p}]->() }}}}"
                         for p in map(checked_identifier, predicates))
    return f"MATCH (e:Entity {{id: $id}})\nRETURN [\n  {types}\n] AS types\n"


_DAY = "coalesce(r.dateStart, r.firstPublishedOn)"


def _page_filter(*carried: str) -> str:
    """The exact tests of a timeline page on rows `r`, binding `sortDate` and `sortKey`, carrying `carried`."""
    keep = "".join(f"{v}, " for v in carried)
    return f"""WITH {keep}r, {_SORT_DATE} AS sortDate
WITH {keep}r, sortDate, {SORT_KEYS["date"]} AS sortKey
WHERE {_DATE_WINDOW} AND {_AFTER_CURSOR} AND {_AS_OF} AND {_MIN_SOURCES}"""


def _index_ordered(predicate: str, day: str, upper: str) -> str:
    """One branch: the first $scan facts of one type for entity `e` in `day` index order, tagged with the type. It
    reads from `$indexFrom[type]`: the page's first day for a type read in index order, a day after every other."""
    p = checked_identifier(predicate)
    undated = "AND r.dateStart IS NULL " if day != "dateStart" else ""
    return f"""  MATCH (s)-[r:{p}]->(o) USING INDEX r:{p}({day})
  WHERE r.{day} >= $indexFrom.{p} AND r.{day} <= {upper} {undated}AND (s = e OR o = e)
  RETURN r, '{p}' AS branch ORDER BY r.{day} LIMIT $scan"""


def _expanded(predicate: str) -> str:
    """One branch: the first $scan facts of one type for entity `e` in day order, by expansion, when
    `$expand[type]`."""
    p = checked_identifier(predicate)
    return f"""  WITH e WHERE $expand.{p}
  MATCH (e)-[r:{p}]-()
  WHERE {_DAY} >= $dayFrom AND {_DAY} <= $dayTo
  RETURN r, '{p} expanded' AS branch ORDER BY {_DAY} LIMIT $scan"""


# The day before which a union's reads (rows `r` by `branch`, each in day order) are complete (null if every read
# ran out), and every row read, as `lists`.
_CUT = f"""WITH e, branch, collect(r) AS rows, max({_DAY}) AS last, count(r) AS n
WITH e, collect(rows) AS lists, min(CASE WHEN n = $scan THEN last END) AS cut"""


def hub_timeline_query(predicates: list[str]) -> str:
    """A timeline page (as `timeline_query` with sort=date, or fewer rows: then read it with that) reading each of
    `predicates` in index order or by expansion, as the parameters say: `$indexFrom` (type -> first day, a day after
    every fact for a type not read in index order, whose index reads then find nothing) and `$expand` (type ->
    whether it is expanded). The text depends on `predicates` only, so Neo4j plans it once (a few seconds on a
    loaded machine) and not once per entity. See the comment above. Other parameters: those of `timeline_query`
    plus $scan (rows per read, more than $limit) and $dayFrom, $dayTo (DATE bounds every row of the page lies
    within)."""
    union = "\n  UNION ALL\n".join
    dated = [_index_ordered(p, "dateStart", "$dayTo") for p in predicates] + [_expanded(p) for p in predicates]
    undated = [_index_ordered(p, "firstPublishedOn", "cutDay") for p in predicates]
    return f"""
MATCH (e:Entity {{id: $id}})
CALL (e) {{
{union(dated)}
}}
{_CUT}
UNWIND lists AS rows
UNWIND rows AS r
{_page_filter("e", "cut")}
WITH e, cut, r, sortKey ORDER BY sortKey, r.id LIMIT $limit
WITH e, cut AS datedCut, collect(r) AS firsts, collect(sortKey) AS keys
WITH e, datedCut, firsts, CASE WHEN size(firsts) = $limit AND keys[-1] <> '~' THEN date(keys[-1])
                               ELSE coalesce(datedCut, $dayTo) END AS cutDay
OPTIONAL CALL (e, cutDay) {{
{union(undated)}
}}
{_CUT.replace("WITH e, ", "WITH e, firsts, datedCut, ")}
WITH firsts, [c IN [datedCut, cut] WHERE c IS NOT NULL] AS cuts, reduce(all = [], rows IN lists | all + rows) AS more
UNWIND firsts + more AS r
WITH DISTINCT r, cuts WHERE all(c IN cuts WHERE {_DAY} < c)
{_page_filter()}
WITH r, sortDate, sortKey ORDER BY sortKey, r.id LIMIT $limit
MATCH (s)-[r]->(o)
{_EVIDENCE_OF_R}
WITH r, s, o, evidence, sortDate, sortKey
ORDER BY sortKey, r.id
{_FACT_COLUMNS}, sortDate, sortKey
"""


# ------------------------------------------------------------------------------------------------ facts


def facts_query(predicate: str | None, by_subject: bool, by_object: bool, sort: str = "date") -> str:
    """Facts filtered by predicate, subject id, object id, date window and number of sources, in date order (or
    most sources first), one page at a time.

    The pattern starts from whichever end is given so the entity-id index is used; the predicate (from the
    vocabulary, checked) becomes the relationship type so the per-type id indexes apply."""
    rel = f":{checked_identifier(predicate)}" if predicate else ""
    s = "(s:Entity {id: $subject})" if by_subject else "(s:Entity)"
    o = "(o:Entity {id: $object})" if by_object else "(o:Entity)"
    return f"""
MATCH {s}-[r{rel}]->{o}
WITH r, s, o, {_SORT_DATE} AS sortDate
WITH r, s, o, sortDate, {SORT_KEYS[sort]} AS sortKey
WHERE {_DATE_WINDOW} AND {_AFTER_CURSOR} AND {_AS_OF} AND {_MIN_SOURCES}
ORDER BY sortKey, r.id
LIMIT $limit
{_EVIDENCE_OF_R}
WITH r, s, o, evidence, sortDate, sortKey
ORDER BY sortKey, r.id
{_FACT_COLUMNS}, sortDate, sortKey
"""


def fact_by_id_query(predicates: list[str]) -> str:
    """One fact by id: one index seek per predicate of the vocabulary (each has a unique id constraint)."""
    branches = "\n  UNION ALL\n".join(
        f"  MATCH (s:Entity)-[r:{checked_identifier(p)} {{id: $id}}]->(o:Entity) RETURN r, s, o" for p in predicates)
    return f"""
CALL () {{
{branches}
}}
WITH r, s, o LIMIT 1
{_EVIDENCE_OF_R}
WITH r, s, o, evidence, {_SORT_DATE} AS sortDate
{_FACT_COLUMNS}, sortDate
"""


# ------------------------------------------------------------------------------------------------ graph
# Fact `r` as a graph edge (a map), for the graph views (neighbourhoods and paths).
_EDGE_OF_R = f"""{{id: r.id, predicate: type(r), source: startNode(r).id, target: endNode(r).id,
  date: {_SORT_DATE}, dated: r.date IS NOT NULL, modality: r.modality, evidenceCount: coalesce(r.evidenceCount, 0),
  sourceCount: coalesce(r.sourceCount, 1)}}"""

# One ring of a breadth-first expansion: entities next to the frontier that were not seen yet, best connected
# first, each with the facts that reached it (`via`). Each frontier entity reads at most `$perNode` of its facts
# to unseen entities, in storage order (no sort): a hub's 80,000 neighbours are never all read and ranked.
# `capped` says whether some frontier entity had more. With an as-of date, the facts read are then kept only if
# they count then (`_as_of`), with $minSources only if they have that many sources: the read stays as bounded as
# without them. Degrees come from the degree store
# (entities carry only fact relationships, so `COUNT { (b)--() }` is their number of facts).
NEIGHBOURS = f"""
UNWIND $frontier AS fid
MATCH (a:Entity {{id: fid}})
CALL (a) {{
  MATCH (a)-[r]-(b)
  WHERE NOT b.id IN $seen
  WITH r, b LIMIT $perNode + 1
  WITH collect({{r: r, b: b}}) AS reached
  RETURN [x IN reached[..$perNode] WHERE {_as_of("x.r")} AND {_min_sources("x.r")}] AS kept,
         size(reached) > $perNode AS capped
}}
WITH collect(kept) AS kept, any(c IN collect(capped) WHERE c) AS capped
UNWIND kept AS near
UNWIND near AS step
WITH step.b AS b, collect(step.r) AS via, capped
ORDER BY COUNT {{ (b)--() }} DESC, b.name, b.id
LIMIT $limit
RETURN b.id AS id, capped, [r IN via | {_EDGE_OF_R}] AS via
"""

# More facts among a set of entities (the induced subgraph), a bounded read: each entity reads at most `$perNode`
# of its outgoing facts (storage order) and keeps those to another entity of the set. Capped.
EDGES_AMONG = f"""
UNWIND $ids AS aid
MATCH (a:Entity {{id: aid}})
CALL (a) {{
  MATCH (a)-[r]->(b)
  WITH r, b LIMIT $perNode
  WITH r, b WHERE b.id IN $ids AND {_AS_OF} AND {_MIN_SOURCES}
  RETURN r
}}
WITH r ORDER BY r.id LIMIT $limit
RETURN {_EDGE_OF_R} AS edge
"""

GRAPH_NODES = """
UNWIND $ids AS id
MATCH (e:Entity {id: id})
RETURN e.id AS id, e.name AS name, e.type AS type, e.kind AS kind, COUNT { (e)--() } AS degree
"""


MAX_PATH_DEPTH = 6  # the longest chain of facts a path query may ask for (it is placed in the query text)


def shortest_paths_query(max_depth: int) -> str:
    """All shortest paths between two entities, over facts only, up to `max_depth` hops (bounded by the caller)."""
    if not isinstance(max_depth, int) or not 1 <= max_depth <= MAX_PATH_DEPTH:
        raise ValueError(f"max_depth must be an integer from 1 to {MAX_PATH_DEPTH}")
    return f"""
MATCH (a:Entity {{id: $from}}), (b:Entity {{id: $to}})
WHERE a <> b
MATCH p = allShortestPaths((a)-[*..{max_depth}]-(b))
WHERE all(n IN nodes(p) WHERE n:Entity)
WITH p LIMIT $limit
RETURN [n IN nodes(p) | n.id] AS nodeIds,
       [r IN relationships(p) | {_EDGE_OF_R}] AS edges
"""


# ------------------------------------------------------------------------------------------------ time
# An entity's states (validity intervals where it is subject or object), those that may overlap $asOfStart..
# $asOfEnd (all of them when both are null), each with the evidence of its bounds.
ENTITY_STATE = f"""
CALL () {{
  MATCH (i:Interval {{subjectId: $id}}) RETURN i
  UNION
  MATCH (i:Interval {{objectId: $id}}) RETURN i
}}
WITH i WHERE $asOfEnd IS NULL
   OR (coalesce(i.validFrom, $asOfEnd) <= $asOfEnd AND coalesce(i.validTo, $asOfStart) >= $asOfStart)
MATCH (s:Entity {{id: i.subjectId}})
MATCH (o:Entity {{id: i.objectId}})
CALL (i) {{
  UNWIND coalesce(i.openEvidence, []) + coalesce(i.closeEvidence, []) AS evidenceId
  MATCH (ev:Evidence {{id: evidenceId}})-[:FROM_ARTICLE]->(a:Article)
  WITH ev, a ORDER BY a.published, a.id, ev.start
  RETURN collect({{id: ev.id, articleId: ev.articleId, sentence: ev.sentence, start: ev.start, end: ev.end,
    extractor: ev.extractor, confidence: ev.confidence, title: a.title, url: a.url, published: a.published}})
    AS evidence
}}
RETURN i {{.*}} AS interval, s {_ENTITY_MAP.format(v="s")} AS subject, o {_ENTITY_MAP.format(v="o")} AS object,
       evidence
ORDER BY i.state, i.validFrom, i.validTo, i.subjectId, i.objectId
"""


# ------------------------------------------------------------------------------------------------ stats
# How many entities, articles, evidence and facts (the totals `STATS` starts with).
_TOTALS = """
CALL () { MATCH (e:Entity) RETURN count(e) AS entities }
CALL () { MATCH (a:Article) RETURN count(a) AS articles }
CALL () { MATCH (ev:Evidence) RETURN count(ev) AS evidence }
CALL () { MATCH (:Entity)-[r]->(:Entity) RETURN count(r) AS facts }
"""

COUNTS = _TOTALS + "RETURN entities, articles, evidence, facts\n"

STATS = _TOTALS + """CALL () {
  MATCH (e:Entity) WITH e.type AS type, count(*) AS n ORDER BY type
  RETURN collect({key: type, n: n}) AS entitiesByType
}
CALL () {
  MATCH (:Entity)-[r]->(:Entity) WITH type(r) AS predicate, count(*) AS n ORDER BY predicate
  RETURN collect({key: predicate, n: n}) AS factsByPredicate
}
CALL () {
  MATCH (a:Article) WITH a.lang AS lang, count(*) AS n WHERE lang IS NOT NULL ORDER BY lang
  RETURN collect({key: lang, n: n}) AS articlesByLanguage
}
RETURN entities, articles, evidence, facts, entitiesByType, factsByPredicate, articlesByLanguage
"""


def facts_by_ids_query(predicates: list[str]) -> str:
    """Several facts by id in one query (`$ids`), one index seek per id and predicate, as `fact_by_id_query`."""
    branches = "\n  UNION ALL\n".join(
        f"  MATCH (s:Entity)-[r:{checked_identifier(p)} {{id: id}}]->(o:Entity) RETURN r, s, o" for p in predicates)
    return f"""
UNWIND $ids AS id
CALL (id) {{
{branches}
}}
WITH DISTINCT r, s, o
{_EVIDENCE_OF_R}
WITH r, s, o, evidence, {_SORT_DATE} AS sortDate
{_FACT_COLUMNS}, sortDate
"""
