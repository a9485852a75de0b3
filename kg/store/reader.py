"""Read queries over the graph, returning read-side dataclasses (what the API and the CLI show).

Pagination is keyset-based: a page carries the key of its last row (`PageKey`), and the next query starts
after it. Callers turn that key into an opaque cursor; nothing here knows about HTTP.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar, cast

from neo4j import Record

from kg.model import DEFAULT_MODALITY, QUALIFIER_FIELDS, date_bounds, fold
from kg.store import curation_cypher, read_cypher
from kg.store.connection import GraphConnection
from kg.terms import DatePrecision, EntityTypeName, Modality, PredicateName
from kg.vocabulary import vocabulary

_LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')
_UNPLACED_DEPTH = 99  # sorts nodes without a depth after every node with one
MAX_PATH_DEPTH = read_cypher.MAX_PATH_DEPTH

T = TypeVar("T")
Curation = Literal["confirmed", "rejected"]  # a curator's verdict on a fact (kg.curation.fact_actions)
PlacedBy = Literal["fact_date", "evidence_published", "undated"]
FactSort = Literal["date", "sources"]  # date order (undated last), or most independent sources first
Role = Literal["subject", "object"]

__all__ = ["QUALIFIER_FIELDS"]  # kept importable here; defined in kg.model


# ------------------------------------------------------------------------------------------------ shapes
@dataclass(frozen=True)
class EntitySummary:
    id: str
    name: str
    type: EntityTypeName
    kind: str | None = None
    aliases: list[str] = field(default_factory=list)
    wikidata_id: str | None = None
    score: float | None = None


@dataclass(frozen=True)
class PredicateCount:
    predicate: PredicateName
    as_subject: int
    as_object: int

    @property
    def total(self) -> int:
        return self.as_subject + self.as_object


@dataclass(frozen=True)
class MergedEntityView:
    """An entity merged into another (kg.curation.merging): the merged-away id, the names compared, the score and
    rule that decided, who (a curator or "resolver"), when and why."""

    source_id: str
    names: list[str]
    score: float
    rule: str
    by: str
    at: str
    why: str


@dataclass(frozen=True)
class EntityDetail:
    entity: EntitySummary
    fact_counts: list[PredicateCount]
    merged: list[MergedEntityView] = field(default_factory=list)

    @property
    def fact_total(self) -> int:
        return sum(c.total for c in self.fact_counts)


@dataclass(frozen=True)
class EvidenceView:
    id: str | None
    article_id: str
    sentence: str
    start: int | None
    end: int | None
    extractor: str | None
    confidence: float | None
    article_title: str | None
    article_url: str | None
    published: str | None


@dataclass(frozen=True)
class FactSelection:
    """Which facts of a list to keep by corroboration, and their order (docs/corroboration.md)."""

    min_sources: int | None = None  # at least this many independent sources (`sourceCount`)
    sort: FactSort = "date"
    include_rejected: bool = False  # also the facts a curator rejected (find_facts only, date order)


@dataclass(frozen=True)
class FactView:
    id: str
    predicate: PredicateName
    subject: EntitySummary
    object: EntitySummary
    qualifiers: dict[str, Any]
    modality: Modality
    date: str | None
    date_precision: DatePrecision | None
    evidence: list[EvidenceView]
    evidence_count: int
    first_published: str | None  # when the fact was first reported: its earliest evidence's publication
    source_count: int  # independent sources (kg.store.corroboration); 1 for a fact written before they were counted
    languages: list[str]  # of its evidence articles, sorted
    placed_at: str | None  # the fact's date, else its earliest evidence's publication day
    placed_by: PlacedBy
    curation: Curation | None = None


@dataclass(frozen=True)
class TimelineEntry:
    fact: FactView
    role: Role  # the entity's side of the fact
    counterpart: EntitySummary


@dataclass(frozen=True)
class PageKey:
    """Where a page ended: the sort key and id of its last row (keyset pagination)."""
    sort_key: str
    id: str


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of rows and where the next one starts (None on the last page)."""

    items: list[T]
    next_key: PageKey | None


@dataclass(frozen=True)
class GraphNode:
    id: str
    name: str
    type: EntityTypeName
    kind: str | None
    degree: int
    depth: int | None = None


@dataclass(frozen=True)
class GraphEdge:
    id: str
    predicate: PredicateName
    source: str
    target: str
    date: str | None
    dated: bool
    modality: Modality | None
    evidence_count: int
    source_count: int


@dataclass(frozen=True)
class Subgraph:
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool = False
    paths: list[list[str]] = field(default_factory=list)  # for path queries: each path's edge ids in order


@dataclass(frozen=True)
class KeyCount:
    key: str
    count: int


@dataclass(frozen=True)
class GraphStats:
    entities: int
    articles: int
    evidence: int
    facts: int
    entities_by_type: list[KeyCount]
    facts_by_predicate: list[KeyCount]
    articles_by_language: list[KeyCount]


@dataclass(frozen=True)
class StatePeriod:
    """A state (one of kg.model.STATE_PREDICATES) over a validity interval derived from events (kg.intervals)."""
    state: PredicateName
    subject: EntitySummary
    object: EntitySummary
    role: Role  # the entity's side
    counterpart: EntitySummary
    valid_from: str | None  # ISO prefix as the opening event gave it; None: start unknown
    valid_from_precision: DatePrecision | None
    valid_to: str | None  # None: still holds, as far as the graph knows
    valid_to_precision: DatePrecision | None
    from_candidates: list[str]  # every start reported, side by side when they conflict
    to_candidates: list[str]
    opened_by: list[str]  # fact ids
    closed_by: list[str]
    job_role: str | None
    evidence: list[EvidenceView]


# ------------------------------------------------------------------------------------------------ mapping
def _entity_type(value: Any) -> EntityTypeName:
    """The type stored on an entity: the writer stores only the vocabulary's types."""
    return cast(EntityTypeName, value)


def _entity(data: dict[str, Any], score: float | None = None) -> EntitySummary:
    return EntitySummary(id=data["id"], name=data.get("name") or data["id"], type=_entity_type(data.get("type")),
                         kind=data.get("kind"), aliases=sorted(data.get("aliases") or []),
                         wikidata_id=data.get("wikidataId"), score=score)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _evidence(data: dict[str, Any]) -> EvidenceView:
    return EvidenceView(id=data.get("id"), article_id=data.get("articleId") or "", sentence=data.get("sentence") or "",
                        start=data.get("start"), end=data.get("end"), extractor=data.get("extractor"),
                        confidence=data.get("confidence"), article_title=data.get("title"),
                        article_url=data.get("url"), published=_text(data.get("published")))


def _fact(record: Record) -> FactView:
    props = dict(record["props"])
    qualifiers = {QUALIFIER_FIELDS[k]: v for k, v in props.items() if k in QUALIFIER_FIELDS and v is not None}
    qualifiers.setdefault("modality", DEFAULT_MODALITY)
    sort_date = record["sortDate"]
    evidence = [_evidence(e) for e in record["evidence"]]
    placed_by: PlacedBy = "undated"
    if props.get("date"):
        placed_by = "fact_date"
    elif sort_date:
        placed_by = "evidence_published"
    return FactView(
        id=record["id"], predicate=record["predicate"], subject=_entity(record["subject"]),
        object=_entity(record["object"]), qualifiers=qualifiers, modality=qualifiers["modality"],
        date=props.get("date"), date_precision=props.get("datePrecision"),
        evidence=evidence, evidence_count=max(int(props.get("evidenceCount") or 0), len(evidence)),
        first_published=_text(props.get("firstPublished")), source_count=int(props.get("sourceCount") or 1),
        languages=list(props.get("languages") or []), placed_at=sort_date, placed_by=placed_by,
        curation=props.get("curation"))


def _edge(record: dict[str, Any]) -> GraphEdge:
    return GraphEdge(id=record["id"], predicate=record["predicate"], source=record["source"],
                     target=record["target"], date=record["date"], dated=record["dated"],
                     modality=record["modality"], evidence_count=record["evidenceCount"],
                     source_count=record["sourceCount"])


def _node_order(node: GraphNode) -> tuple[int, str, str]:
    """Nodes nearest the centre first, then by name."""
    return (_UNPLACED_DEPTH if node.depth is None else node.depth, node.name, node.id)


def _next_key(rows: list[Record], limit: int) -> PageKey | None:
    if len(rows) <= limit:
        return None
    last = rows[limit - 1]
    return PageKey(sort_key=last["sortKey"], id=last["id"])


# ------------------------------------------------------------------------------------------------ entities
def fulltext_query(text: str) -> str | None:
    """A safe Lucene query from what a person typed: every term required, the last one as a prefix too."""
    terms = [t for t in re.split(r"[\s\-'’]+", fold(text)) if t]
    terms = [_LUCENE_SPECIAL.sub(r"\\\1", t) for t in terms]
    terms = [t for t in terms if t.strip("\\")]
    if not terms:
        return None
    *head, last = terms
    parts = [f"+{t}" for t in head] + [f"+({last} OR {last}*)"]
    return " ".join(parts)


def search_entities(conn: GraphConnection, text: str, type_name: str | None = None, limit: int = 20,
                    offset: int = 0) -> list[EntitySummary]:
    """Entities whose name or an alias matches `text` (accent- and case-insensitive), best match first, equal
    scores by name."""
    return search_page(conn, text, type_name, limit, offset)[0]


def search_page(conn: GraphConnection, text: str, type_name: str | None = None, limit: int = 20,
                offset: int = 0) -> tuple[list[EntitySummary], bool]:
    """One page of `search_entities` and whether more hits follow it."""
    query = fulltext_query(text)
    if query is None:
        return [], False
    records = conn.read(read_cypher.SEARCH_ENTITIES,
                       {"query": query, "type": type_name, "limit": limit + 1, "skip": offset})
    return [_entity(r.data(), score=r["score"]) for r in records[:limit]], len(records) > limit


def get_entity(conn: GraphConnection, entity_id: str) -> EntityDetail | None:
    """One entity with its number of facts per predicate, as subject and as object (from the degree store)."""
    records = conn.read(read_cypher.entity_query(sorted(vocabulary().predicates)), {"id": entity_id})
    if not records:
        return None
    record = records[0]
    counts = [PredicateCount(c["predicate"], c["asSubject"], c["asObject"])
              for c in sorted(record["counts"], key=lambda c: c["predicate"]) if c["asSubject"] or c["asObject"]]
    return EntityDetail(entity=_entity(record.data()), fact_counts=counts, merged=merged_into(conn, entity_id))


def merged_into(conn: GraphConnection, entity_id: str) -> list[MergedEntityView]:
    """The entities merged into this one (active merges, oldest first)."""
    return [MergedEntityView(source_id=m["sourceId"], names=list(m.get("names") or []), score=float(m["score"]),
                             rule=m["rule"], by=m["by"], at=str(m["at"]), why=m.get("why") or "")
            for m in (r["merge"] for r in conn.read(curation_cypher.MERGES_INTO, {"id": entity_id}))]


def is_rejected(conn: GraphConnection, fact_id: str) -> bool:
    """Whether a curator rejected this fact id (kg.curation.fact_actions)."""
    return any(r["curation"] == "rejected" for r in conn.read(curation_cypher.FACT_CURATIONS, {"ids": [fact_id]}))


def merged_away_into(conn: GraphConnection, entity_id: str) -> str | None:
    """For an id merged away: the id it was merged into (None for any other id)."""
    records = conn.read(curation_cypher.MERGED_ENTITY, {"id": entity_id})
    return str(records[0]["mergedInto"]) if records else None


def get_entity_summary(conn: GraphConnection, entity_id: str) -> EntitySummary | None:
    """One entity's name, type, kind, aliases and Wikidata id, without counting its facts."""
    records = conn.read(read_cypher.ENTITY_SUMMARY, {"id": entity_id})
    return _entity(records[0].data()) if records else None


def entity_exists(conn: GraphConnection, entity_id: str) -> bool:
    return bool(conn.read(read_cypher.ENTITY_EXISTS, {"id": entity_id}))


def as_of_parameters(as_of: str | None) -> dict[str, Any]:
    """The query parameters of an as-of date (an ISO prefix): its first and last day as DATE."""
    bounds = date_bounds(as_of)
    return {"asOfStart": bounds[0] if bounds else None, "asOfEnd": bounds[1] if bounds else None}


def _window(date_from: str | None, date_to: str | None, after: PageKey | None,
            as_of: str | None = None, selection: FactSelection = FactSelection()) -> dict[str, Any]:
    return {"from": date_from, "to": date_to, **as_of_parameters(as_of), "minSources": selection.min_sources,
            "afterKey": after.sort_key if after else None, "afterId": after.id if after else None}


@dataclass(frozen=True)
class TimelinePlan:
    """When a timeline reads a fact type in index order (read_cypher.hub_timeline_query) instead of expanding the
    entity's facts of that type and sorting them. To find `limit + scan_extra` facts of the entity, an index read
    goes through about `(limit + scan_extra) * total / degree` facts of the type, twice (dated, then undated, up to
    the page's last day), at one db hit each; the expansion goes through `degree` facts at about three db hits each
    (the relationship, its `dateStart` and `firstPublishedOn`; PROFILE on the 1M-fact graph). The index read is
    chosen when it costs at most `scan_share` times the expansion, for types where the entity has at least
    `min_degree` facts, in entities with at least `min_facts`. Either way the page is the same; only its cost
    differs. `scan_extra` rows past the page leave room for the facts on a read's last day, which are not known
    complete (too few: the plain read runs)."""

    min_facts: int = 10_000  # entities with fewer facts are read the plain way in one query, without a plan
    min_degree: int = 1000
    scan_share: float = 1.0
    scan_extra: int = 10

    def scan(self, limit: int) -> int:
        return limit + self.scan_extra

    def index_ordered(self, degree: int, total: int, limit: int) -> bool:
        index_hits, expansion_hits = 2 * self.scan(limit) * total / max(degree, 1), 3 * degree
        return degree >= self.min_degree and index_hits <= self.scan_share * expansion_hits


_FIRST_DAY, _LAST_DAY = dt.date(1, 1, 1), dt.date(9999, 12, 31)
_AFTER_EVERY_DAY = dt.date(9999, 12, 31)  # where an index read starts for a type not read in index order: nothing
UNPLACED_KEY = "~"  # the sort key of a fact with neither a date nor a publication (read_cypher.SORT_KEYS)


def _day_range(date_from: str | None, date_to: str | None, after: PageKey | None) -> tuple[dt.date, dt.date]:
    """Days every fact of the page lies within (by `dateStart`, or `firstPublishedOn` for an undated one): a
    necessary bound for the index reads, the exact window and cursor tests being applied after. From the start of
    `date_from`'s year (a fact dated "2023" overlaps `from=2023-05`), or the cursor's first day, whichever is later,
    to the last day of `date_to`."""
    low, high = _FIRST_DAY, _LAST_DAY
    if (start := date_bounds(date_from)) is not None:
        low = dt.date(start[0].year, 1, 1)
    if after is not None and (cursor := date_bounds(after.sort_key)) is not None:
        low = max(low, cursor[0])
    if (end := date_bounds(date_to)) is not None:
        high = end[1]
    return low, high


def _index_ordered_types(conn: GraphConnection, entity_id: str, predicates: list[str], limit: int,
                         plan: TimelinePlan) -> list[str]:
    """The entity's fact types that `plan` reads in index order (empty for most entities)."""
    records = conn.read(read_cypher.timeline_plan_query(predicates), {"id": entity_id})
    if not records:
        return []
    return [t["predicate"] for t in records[0]["types"] if plan.index_ordered(t["degree"], t["total"], limit)]


def _hub_parameters(predicates: list[str], indexed: list[str], parameters: dict[str, Any],
                    plan: TimelinePlan) -> dict[str, Any]:
    """read_cypher.hub_timeline_query's parameters: which types are read in index order, which by expansion."""
    return {**parameters, "scan": plan.scan(parameters["limit"]),
            "indexFrom": {p: parameters["dayFrom"] if p in indexed else _AFTER_EVERY_DAY for p in predicates},
            "expand": {p: p not in indexed for p in predicates}}


def _timeline_records(conn: GraphConnection, entity_id: str, predicates: list[str] | None,
                      parameters: dict[str, Any], sort: FactSort, plan: TimelinePlan) -> list[Record]:
    """The page's records. An entity with fewer than `plan.min_facts` facts (all but a few dozen of a 1M-fact
    graph, and where an index read rarely pays): by reading and sorting all of them, one query. Otherwise, in date
    order, by index-ordered reads of its big types when they fill the page (a short page, e.g. the last, is read
    again the plain way, which also places facts with no date at all); with a minimum of sources (which may leave
    too few facts in each read) or by sources, the plain way."""
    plain = read_cypher.timeline_query(predicates, sort)
    after_undated = parameters["afterKey"] is not None and date_bounds(parameters["afterKey"]) is None
    if sort != "date" or parameters["minSources"] is not None or after_undated:
        return conn.read(plain, parameters)
    records = conn.read(plain, {**parameters, "plainBelow": plan.min_facts})
    if records:
        return records
    wanted = predicates or sorted(vocabulary().predicates)
    indexed = _index_ordered_types(conn, entity_id, wanted, parameters["limit"], plan)
    if indexed:
        records = conn.read(read_cypher.hub_timeline_query(wanted), _hub_parameters(wanted, indexed, parameters, plan))
        if len(records) == parameters["limit"] and records[-1]["sortKey"] != UNPLACED_KEY:
            return records
    return conn.read(plain, parameters)


def timeline(conn: GraphConnection, entity_id: str, date_from: str | None = None, date_to: str | None = None,
             predicates: list[str] | None = None, limit: int = 50,
             after: PageKey | None = None, as_of: str | None = None,
             selection: FactSelection = FactSelection(), plan: TimelinePlan = TimelinePlan()) -> Page[TimelineEntry]:
    """Facts where the entity is subject or object, in date order (or most sources first); undated facts placed
    by their earliest evidence's publication day, and facts with neither at the end."""
    for p in predicates or []:
        vocabulary().predicate(p)
    day_from, day_to = _day_range(date_from, date_to, after)
    parameters = {"id": entity_id, "limit": limit + 1, "dayFrom": day_from, "dayTo": day_to, "plainBelow": None,
                  **_window(date_from, date_to, after, as_of, selection)}
    records = _timeline_records(conn, entity_id, sorted(set(predicates)) if predicates else None, parameters,
                                selection.sort, plan)
    entries = []
    for record in records[:limit]:
        fact = _fact(record)
        if fact.subject.id == entity_id:
            entries.append(TimelineEntry(fact=fact, role="subject", counterpart=fact.object))
        else:
            entries.append(TimelineEntry(fact=fact, role="object", counterpart=fact.subject))
    return Page(items=entries, next_key=_next_key(records, limit))


# ------------------------------------------------------------------------------------------------ facts
def find_facts(conn: GraphConnection, predicate: str | None = None, subject: str | None = None,
               object_id: str | None = None, date_from: str | None = None, date_to: str | None = None,
               limit: int = 50, after: PageKey | None = None, as_of: str | None = None,
               selection: FactSelection = FactSelection()) -> Page[FactView]:
    """Facts by predicate, ends and date window, in date order (or most sources first); with
    `selection.include_rejected`, the facts a curator rejected too (`curation: rejected`, their parked evidence),
    in date order (the API refuses it with `min_sources` or `sort=sources`)."""
    if predicate is not None:
        vocabulary().predicate(predicate)
    query = read_cypher.facts_query(predicate, subject is not None, object_id is not None, selection.sort)
    parameters = {"subject": subject, "object": object_id, "limit": limit + 1,
                  **_window(date_from, date_to, after, as_of, selection)}
    records = conn.read(query, parameters)
    if selection.include_rejected:
        records += conn.read(curation_cypher.REJECTED_FACTS, {**parameters, "predicate": predicate})
        records.sort(key=lambda r: (r["sortKey"], r["id"]))
    return Page(items=[_fact(r) for r in records[:limit]], next_key=_next_key(records, limit))


def get_fact(conn: GraphConnection, fact_id: str) -> FactView | None:
    records = conn.read(read_cypher.fact_by_id_query(sorted(vocabulary().predicates)), {"id": fact_id})
    return _fact(records[0]) if records else None


def get_facts(conn: GraphConnection, fact_ids: list[str]) -> dict[str, FactView]:
    """Several facts by id in one query (ids not found are absent), e.g. every fact of a batch of articles."""
    ids = list(dict.fromkeys(fact_ids))
    if not ids:
        return {}
    records = conn.run(read_cypher.facts_by_ids_query(sorted(vocabulary().predicates)), {"ids": ids})
    return {fact.id: fact for fact in map(_fact, records)}


# ------------------------------------------------------------------------------------------------ graph
def _subgraph(conn: GraphConnection, depths: dict[str, int], edge_limit: int, truncated: bool,
              tree: dict[str, GraphEdge], reads: int, as_of: str | None = None,
              min_sources: int | None = None) -> Subgraph:
    """The nodes with their degrees, and up to `edge_limit` facts among them: first the facts the expansion
    followed (`tree`, so every entity shown is connected to the centre), then other facts among them found by a
    bounded read (`reads` facts in all, shared among the entities), by fact id."""
    ids = list(depths)
    nodes = [GraphNode(id=r["id"], name=r["name"] or r["id"], type=_entity_type(r["type"]), kind=r["kind"],
                       degree=r["degree"], depth=depths.get(r["id"]))
             for r in conn.read(read_cypher.GRAPH_NODES, {"ids": ids})]
    nodes.sort(key=_node_order)
    edges = sorted(tree.values(), key=lambda e: e.id)
    if len(edges) > edge_limit:
        return Subgraph(nodes=nodes, edges=edges[:edge_limit], truncated=True)
    more = [_edge(r["edge"]) for r in conn.read(read_cypher.EDGES_AMONG, {
        "ids": ids, "limit": edge_limit + len(edges) + 1, "perNode": max(1, reads // max(1, len(ids))),
        "minSources": min_sources, **as_of_parameters(as_of)})]
    more = [e for e in more if e.id not in tree]
    room = edge_limit - len(edges)
    edges = sorted(edges + more[:room], key=lambda e: e.id)
    return Subgraph(nodes=nodes, edges=edges, truncated=truncated or len(more) > room)


# Most facts one ring of a neighbourhood reads, shared equally among the ring's frontier entities; the same bound
# for the facts among the entities kept: every step stays a bounded read however big the hubs it crosses (ring 2
# of almost any entity reaches hubs of 80,000 facts).
NEIGHBOUR_READS_PER_RING = 2000
EDGES_PER_NODE = 4  # a neighbourhood shows at most this many facts per entity shown, unless told otherwise


def neighbourhood(conn: GraphConnection, entity_id: str, depth: int = 1, limit: int = 100,
                  edge_limit: int | None = None, reads_per_ring: int = NEIGHBOUR_READS_PER_RING,
                  as_of: str | None = None, min_sources: int | None = None) -> Subgraph | None:
    """The entity and up to `limit` entities within `depth` facts of it (nearest first, then best connected),
    with facts among them. Breadth-first, one ring per query. Each ring reads at most `reads_per_ring` facts,
    shared equally among its frontier entities (at least one each, in storage order, never sorted): the best
    connected entities are chosen among the neighbours reached, so around a hub the answer is a sample of its
    neighbours rather than a ranking of all of them, and `truncated` is true. The facts shown are those the
    expansion followed, then others among the entities kept, found by reading at most `reads_per_ring` facts.
    With `min_sources`, only facts with at least that many independent sources are followed and shown."""
    if not entity_exists(conn, entity_id):
        return None
    depths = {entity_id: 0}
    tree: dict[str, GraphEdge] = {}
    frontier = [entity_id]
    truncated = False
    for ring in range(1, depth + 1):
        room = limit - (len(depths) - 1)
        if room <= 0 or not frontier:
            truncated = truncated or bool(frontier)
            break
        per_node = max(1, reads_per_ring // len(frontier))
        records = conn.read(read_cypher.NEIGHBOURS, {
            "frontier": frontier, "seen": list(depths), "limit": room + 1, "perNode": per_node,
            "minSources": min_sources, **as_of_parameters(as_of)})
        truncated = truncated or any(r["capped"] for r in records)
        if len(records) > room:
            truncated = True
            records = records[:room]
        for record in records:
            depths[record["id"]] = ring
            tree.update((e.id, e) for e in map(_edge, record["via"]))
        frontier = [r["id"] for r in records]
    return _subgraph(conn, depths, edge_limit or limit * EDGES_PER_NODE, truncated, tree, reads_per_ring, as_of,
                     min_sources)


def shortest_paths(conn: GraphConnection, from_id: str, to_id: str, max_depth: int = 4,
                   limit: int = 10) -> Subgraph:
    """Every shortest chain of facts between two entities (at most `limit` chains), as one subgraph."""
    records = conn.read(read_cypher.shortest_paths_query(max_depth), {"from": from_id, "to": to_id, "limit": limit})
    depths: dict[str, int] = {}
    paths: list[list[str]] = []
    edges: dict[str, GraphEdge] = {}
    for record in records:
        for i, node_id in enumerate(record["nodeIds"]):
            depths[node_id] = min(depths.get(node_id, i), i)
        path_edges = [_edge(e) for e in record["edges"]]
        paths.append([e.id for e in path_edges])
        edges.update((e.id, e) for e in path_edges)
    if not records:
        return Subgraph(nodes=[], edges=[], paths=[])
    nodes = [GraphNode(id=r["id"], name=r["name"] or r["id"], type=_entity_type(r["type"]), kind=r["kind"],
                       degree=r["degree"], depth=depths.get(r["id"]))
             for r in conn.read(read_cypher.GRAPH_NODES, {"ids": list(depths)})]
    nodes.sort(key=_node_order)
    return Subgraph(nodes=nodes, edges=list(edges.values()), paths=paths)


# ------------------------------------------------------------------------------------------------ time
def entity_state(conn: GraphConnection, entity_id: str, as_of: str | None = None) -> list[StatePeriod]:
    """The entity's states that may hold at `as_of` (every period when None): employer and role, owner, owned
    companies, parent and subsidiaries, each with its bounds and their evidence."""
    periods = []
    for record in conn.read(read_cypher.ENTITY_STATE, {"id": entity_id, **as_of_parameters(as_of)}):
        i = record["interval"]
        subject, obj = _entity(record["subject"]), _entity(record["object"])
        side: Role = "subject" if subject.id == entity_id else "object"
        periods.append(StatePeriod(
            state=i["state"], subject=subject, object=obj, role=side, counterpart=obj if side == "subject" else subject,
            valid_from=i.get("validFromDate"), valid_from_precision=i.get("validFromPrecision"),
            valid_to=i.get("validToDate"), valid_to_precision=i.get("validToPrecision"),
            from_candidates=list(i.get("fromCandidates") or []), to_candidates=list(i.get("toCandidates") or []),
            opened_by=list(i.get("openedBy") or []), closed_by=list(i.get("closedBy") or []),
            job_role=i.get("role"), evidence=[_evidence(e) for e in record["evidence"]]))
    return periods


# ------------------------------------------------------------------------------------------------ stats
def stats(conn: GraphConnection) -> GraphStats:
    record = conn.read(read_cypher.STATS)[0]

    def counts(key: str) -> list[KeyCount]:
        return [KeyCount(str(c["key"]), c["n"]) for c in record[key]]

    return GraphStats(entities=record["entities"], articles=record["articles"], evidence=record["evidence"],
                      facts=record["facts"], entities_by_type=counts("entitiesByType"),
                      facts_by_predicate=counts("factsByPredicate"),
                      articles_by_language=counts("articlesByLanguage"))
