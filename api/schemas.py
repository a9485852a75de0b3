"""The API's JSON shapes (camelCase on the wire), with examples for the OpenAPI document, and their mapping
from the reader's dataclasses."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from kg.store import reader


class ApiModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, serialize_by_alias=True)


# ------------------------------------------------------------------------------------------------ entities
class EntityRef(ApiModel):
    id: str = Field(examples=["organization:deepmind"])
    name: str = Field(examples=["DeepMind"])
    type: str = Field(examples=["Organization"])
    kind: str | None = Field(default=None, examples=["research_lab"])


class EntityOut(EntityRef):
    aliases: list[str] = Field(default_factory=list, examples=[["DeepMind", "Google DeepMind"]])
    wikidata_id: str | None = Field(default=None, examples=["Q15733006"])
    score: float | None = Field(default=None, description="Full-text relevance (search results only)")


class EntityPage(ApiModel):
    items: list[EntityOut]
    next_cursor: str | None = Field(default=None, description="Pass as `cursor` for the next page; null on the last")


class PredicateCountOut(ApiModel):
    predicate: str = Field(examples=["HIRED_FROM"])
    as_subject: int = Field(examples=[0])
    as_object: int = Field(examples=[2])
    total: int = Field(examples=[2])


class EntityDetailOut(EntityOut):
    fact_counts: list[PredicateCountOut]
    fact_total: int


# ------------------------------------------------------------------------------------------------ facts
class Qualifiers(ApiModel):
    date: str | None = Field(default=None, examples=["2023-03"], description="ISO 8601 prefix: year, month or day")
    quantity: float | None = Field(default=None, examples=[10000])
    approximate: bool | None = None
    amount: float | None = Field(default=None, examples=[44000000000])
    currency: str | None = Field(default=None, examples=["USD"])
    role: str | None = Field(default=None, examples=["ceo"])
    status: str | None = Field(default=None, examples=["completed"])
    modality: str = Field(default="asserted", examples=["reported"])
    reported_by: str | None = Field(default=None, examples=["Business Insider"])
    vendor: str | None = None
    round: str | None = None


class EvidenceOut(ApiModel):
    id: str | None = None
    article_id: str = Field(examples=["seed-fr-1a2b3c4d"])
    article_title: str | None = Field(default=None, examples=["Elon Musk lance X.AI"])
    article_url: str | None = Field(default=None, examples=["https://example.org/news/x-ai"])
    published: str | None = Field(default=None, examples=["2023-04-14"])
    sentence: str = Field(examples=["Igor Babuschkin et Manuel Kroiss ont quitté DeepMind pour rejoindre Musk."])
    start: int | None = None
    end: int | None = None
    extractor: str | None = Field(default=None, examples=["rule:hired-from"])
    confidence: float | None = Field(default=None, examples=[0.8])


class FactOut(ApiModel):
    id: str = Field(examples=["3f2a9c0d1e4b5a6f7c8d"])
    predicate: str = Field(examples=["HIRED_FROM"])
    subject: EntityRef
    object: EntityRef
    qualifiers: Qualifiers
    modality: str = Field(examples=["asserted"])
    date: str | None = Field(default=None, examples=["2023-03"])
    date_precision: Literal["year", "month", "day"] | None = Field(default=None, examples=["month"])
    placed_at: str | None = Field(default=None, examples=["2023-03"],
                                  description="Where the fact sits in time: its date, else its earliest evidence's "
                                              "publication day")
    placed_by: Literal["fact_date", "evidence_published", "undated"] = Field(
        examples=["fact_date"], description="Whether `placedAt` is the fact's own date or its first article's date")
    evidence_count: int = Field(examples=[1])
    evidence: list[EvidenceOut]


class FactPage(ApiModel):
    items: list[FactOut]
    next_cursor: str | None = None


class TimelineEntryOut(ApiModel):
    role: Literal["subject", "object"] = Field(description="The entity's side of the fact")
    counterpart: EntityRef
    fact: FactOut


class TimelinePage(ApiModel):
    entity: EntityRef
    items: list[TimelineEntryOut]
    next_cursor: str | None = None


# ------------------------------------------------------------------------------------------------ graph
class GraphNodeOut(EntityRef):
    degree: int = Field(description="How many facts touch this entity in the whole graph")
    depth: int | None = Field(default=None, description="Hops from the centre (or from the path's start)")


class GraphEdgeOut(ApiModel):
    id: str
    predicate: str
    source: str
    target: str
    date: str | None = None
    dated: bool = Field(description="True when `date` is the fact's own date, false when it is its first article's")
    modality: str | None = None
    evidence_count: int


class GraphOut(ApiModel):
    nodes: list[GraphNodeOut]
    edges: list[GraphEdgeOut]
    truncated: bool = Field(default=False, description="True when the limit cut nodes or edges off")
    paths: list[list[str]] = Field(default_factory=list, description="Path queries: each path's edge ids in order")


# ------------------------------------------------------------------------------------------------ cypher
class CypherRequest(ApiModel):
    query: str = Field(min_length=1, max_length=20_000,
                       examples=["MATCH (p:Person)-[r:HIRED_FROM]->(o:Organization) RETURN p.name, o.name, r.date "
                                 "LIMIT 10"])
    parameters: dict[str, Any] = Field(default_factory=dict, examples=[{"name": "DeepMind"}])


class CypherResponse(ApiModel):
    columns: list[str]
    rows: list[list[Any]] = Field(description="Nodes as {kind: node, elementId, labels, properties}, relationships "
                                              "as {kind: relationship, elementId, type, start, end, properties}, "
                                              "paths as {kind: path, nodes, relationships}")
    row_count: int
    truncated: bool = Field(description="True when more rows existed than the row cap")


# ------------------------------------------------------------------------------------------------ articles
class ArticleIn(ApiModel):
    id: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:\-]*$",
                    examples=["lemonde-2023-04-14-xai"])
    text: str = Field(min_length=1, examples=["Igor Babuschkin left DeepMind to join xAI in March 2023."])
    title: str | None = Field(default=None, max_length=1000, examples=["Musk's xAI hires from DeepMind"])
    published: str | None = Field(default=None, max_length=64, examples=["2023-04-14"],
                                  description="ISO 8601 date or date-time (an RFC 2822 date is accepted too)")
    url: str | None = Field(default=None, max_length=2000, examples=["https://example.org/news/xai"])
    lang: str | None = Field(default=None, max_length=20, pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]+)*$",
                             examples=["en"], description="Language tag (en, fr); detected from the text when absent")


class RefusedOut(ApiModel):
    description: str
    reason: str


class ArticleResultOut(ApiModel):
    article_id: str
    status: Literal["written", "unchanged"]
    facts: list[FactOut] = Field(description="The facts this article supports, as now stored (with all evidence)")
    refused: list[RefusedOut] = Field(default_factory=list)


class IngestOut(ApiModel):
    articles: list[ArticleResultOut]
    facts_written: int


# ------------------------------------------------------------------------------------------------ stats, health
class StatsOut(ApiModel):
    entities: int
    articles: int
    evidence: int
    facts: int
    entities_by_type: dict[str, int] = Field(examples=[{"Organization": 12, "Person": 9}])
    facts_by_predicate: dict[str, int] = Field(examples=[{"HIRED_FROM": 2, "SIGNED": 1}])
    articles_by_language: dict[str, int] = Field(examples=[{"en": 3, "fr": 1}])


class Neo4jHealth(ApiModel):
    connected: bool
    version: str | None = None
    error: str | None = None


class HealthOut(ApiModel):
    status: Literal["ok", "degraded"]
    neo4j: Neo4jHealth = Field(alias="neo4j")


# ------------------------------------------------------------------------------------------------ mapping
def entity_ref(e: reader.EntitySummary | reader.GraphNode) -> EntityRef:
    return EntityRef(id=e.id, name=e.name, type=e.type, kind=e.kind)


def entity_out(e: reader.EntitySummary) -> EntityOut:
    return EntityOut(id=e.id, name=e.name, type=e.type, kind=e.kind, aliases=list(e.aliases),
                     wikidata_id=e.wikidata_id, score=e.score)


def entity_detail_out(d: reader.EntityDetail) -> EntityDetailOut:
    base = entity_out(d.entity).model_dump(by_alias=False)
    base.pop("score", None)
    return EntityDetailOut(**base, fact_total=d.fact_total, fact_counts=[
        PredicateCountOut(predicate=c.predicate, as_subject=c.as_subject, as_object=c.as_object, total=c.total)
        for c in d.fact_counts])


def fact_out(f: reader.FactView) -> FactOut:
    return FactOut(
        id=f.id, predicate=f.predicate, subject=entity_ref(f.subject), object=entity_ref(f.object),
        qualifiers=Qualifiers(**f.qualifiers), modality=f.modality, date=f.date,
        date_precision=f.date_precision if f.date_precision in ("year", "month", "day") else None,
        placed_at=f.placed_at, placed_by=f.placed_by, evidence_count=max(f.evidence_count, len(f.evidence)),
        evidence=[EvidenceOut(id=e.id, article_id=e.article_id, article_title=e.article_title,
                              article_url=e.article_url, published=e.published, sentence=e.sentence, start=e.start,
                              end=e.end, extractor=e.extractor, confidence=e.confidence) for e in f.evidence])


def timeline_entry_out(t: reader.TimelineEntry) -> TimelineEntryOut:
    return TimelineEntryOut(role=t.role, counterpart=entity_ref(t.counterpart), fact=fact_out(t.fact))


def graph_out(g: reader.Subgraph) -> GraphOut:
    return GraphOut(
        nodes=[GraphNodeOut(id=n.id, name=n.name, type=n.type, kind=n.kind, degree=n.degree, depth=n.depth)
               for n in g.nodes],
        edges=[GraphEdgeOut(id=e.id, predicate=e.predicate, source=e.source, target=e.target, date=e.date,
                            dated=e.dated, modality=e.modality, evidence_count=e.evidence_count) for e in g.edges],
        truncated=g.truncated, paths=g.paths)


def stats_out(s: reader.GraphStats) -> StatsOut:
    return StatsOut(entities=s.entities, articles=s.articles, evidence=s.evidence, facts=s.facts,
                    entities_by_type={c.key: c.count for c in s.entities_by_type},
                    facts_by_predicate={c.key: c.count for c in s.facts_by_predicate},
                    articles_by_language={c.key: c.count for c in s.articles_by_language})
