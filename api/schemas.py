"""The API's JSON shapes (camelCase on the wire), each schema and property described with examples for the OpenAPI
document, and built from the reader's dataclasses with `model_validate(..., from_attributes=True)`.

Closed vocabularies (predicates, entity types, modality, deal status, date precision) are enums generated from the
ontology (`kg/terms.py`), so a client generated from the document gets types rather than strings.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_camel

from kg.store import reader
from kg.terms import DatePrecisionValue, DealStatusValue, EntityType, ModalityValue, Predicate

ENTITY_ID = ("An entity's id: its type in lower case and its folded canonical name (`organization:deepmind`), "
             "or a curated id. Find ids with GET /v1/entities?q=<name>.")
NEXT_CURSOR = "Pass as `cursor` to get the next page; null on the last page."


class ApiModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, serialize_by_alias=True,
                              from_attributes=True)


# ------------------------------------------------------------------------------------------------ entities
class EntityRef(ApiModel):
    """An entity as it appears in a fact or a graph: id, name, type and kind."""

    id: str = Field(description=ENTITY_ID, examples=["organization:deepmind"])
    name: str = Field(description="Canonical name", examples=["DeepMind"])
    type: EntityType = Field(description="Entity type, from the ontology", examples=["Organization"])
    kind: str | None = Field(default=None, description="Finer kind within the type (allowed kinds depend on it)",
                             examples=["research_lab"])


class EntityOut(EntityRef):
    """An entity with its aliases and Wikidata id."""

    aliases: list[str] = Field(default_factory=list, description="Every name the entity is known by",
                               examples=[["DeepMind", "Google DeepMind"]])
    wikidata_id: str | None = Field(default=None, description="Wikidata QID, when curated", examples=["Q15733006"])


class EntityHit(EntityOut):
    """An entity found by a search, with its relevance."""

    score: float = Field(description="Full-text relevance: higher is a better match", examples=[3.2])


class EntityPage(ApiModel):
    """One page of search results, best match first."""

    items: list[EntityHit] = Field(description="The entities of this page")
    next_cursor: str | None = Field(default=None, description=NEXT_CURSOR)


class PredicateCountOut(ApiModel):
    """How many facts of one predicate an entity has, on each side."""

    predicate: Predicate = Field(description="The predicate", examples=["HIRED_FROM"])
    as_subject: int = Field(description="Facts where the entity is the subject", examples=[0])
    as_object: int = Field(description="Facts where the entity is the object", examples=[2])
    total: int = Field(description="Both sides together", examples=[2])


class MergedOut(ApiModel):
    """An entity merged into this one (undo it with POST /v1/curation/split)."""

    id: str = Field(description="The merged-away entity's id (no longer listed by any read)",
                    examples=["organization:giant"])
    names: list[str] = Field(description="The names that were compared", examples=[["Giant", "Giant Company Software"]])
    score: float = Field(description="The resolver's similarity, 1.0 for a curator's decision", examples=[0.93])
    rule: str = Field(description="The rule that decided (`curator` for a person's merge)", examples=["prefix"])
    by: str = Field(description="Who merged: a curator's name or `resolver`", examples=["resolver"])
    at: str = Field(description="When (ISO 8601, UTC)", examples=["2026-12-01T18:00:00.000000+00:00"])
    why: str = Field(description="The reason given", examples=["same company"])


class EntityDetailOut(EntityOut):
    """An entity with its number of facts per predicate."""

    fact_counts: list[PredicateCountOut] = Field(description="Per predicate with at least one fact, by predicate")
    fact_total: int = Field(description="All the entity's facts", examples=[14])
    merged: list[MergedOut] = Field(default_factory=list, description="The entities merged into this one")
    state: list[StatePeriodOut] | None = Field(default=None, description="With `as_of`: what held then")


# ------------------------------------------------------------------------------------------------ facts
class Qualifiers(ApiModel):
    """What qualifies a fact: when, how much, in which role, how certain. Absent values are null."""

    date: str | None = Field(default=None, examples=["2023-03"],
                             description="When the fact happened: an ISO 8601 prefix (year, month or day)")
    quantity: float | None = Field(default=None, description="How many (units bought, people hired)", examples=[10000])
    approximate: bool | None = Field(default=None, description="True when the quantity or amount is approximate",
                                     examples=[True])
    amount: float | None = Field(default=None, description="Money involved, in `currency`", examples=[44000000000])
    currency: str | None = Field(default=None, description="ISO 4217 code of `amount`", examples=["USD"])
    role: str | None = Field(default=None, description="Role or position (JOINED, WORKS_FOR, HIRED_FROM)",
                             examples=["ceo"])
    status: DealStatusValue | None = Field(default=None, description="State of a deal", examples=["completed"])
    modality: ModalityValue = Field(default=ModalityValue.ASSERTED, examples=["reported"],
                                    description="How the source states the fact")
    reported_by: str | None = Field(default=None, description="Who the source cites for a reported fact",
                                    examples=["Business Insider"])
    vendor: str | None = Field(default=None, description="Who sold what was purchased", examples=["Nvidia"])
    round: str | None = Field(default=None, description="Funding round of an investment", examples=["Series B"])
    stated_from: str | None = Field(default=None, examples=["2018"],
                                    description="Start of a state as the text states it ('since 2018'): ISO prefix")
    stated_to: str | None = Field(default=None, examples=["2020-03"],
                                  description="End of a state as the text states it ('until March 2020'): ISO prefix")


class EvidenceOut(ApiModel):
    """A sentence of an article that states the fact."""

    id: str | None = Field(default=None, description="Evidence id", examples=["9c1d0e2f3a4b5c6d7e8f9a0b"])
    article_id: str = Field(description="The article's id", examples=["seed-fr-1a2b3c4d"])
    article_title: str | None = Field(default=None, description="The article's title",
                                      examples=["Elon Musk lance X.AI"])
    article_url: str | None = Field(default=None, description="Where the article was published",
                                    examples=["https://example.org/news/x-ai"])
    published: str | None = Field(default=None, description="The article's publication date (ISO 8601)",
                                  examples=["2023-04-14"])
    sentence: str = Field(description="The sentence, as in the article",
                          examples=["Igor Babuschkin et Manuel Kroiss ont quitté DeepMind pour rejoindre Musk."])
    start: int | None = Field(default=None, description="Character offset of the sentence in the article text",
                              examples=[120])
    end: int | None = Field(default=None, description="Character offset just after the sentence", examples=[196])
    extractor: str | None = Field(default=None, description="The rule or component that read it",
                                  examples=["rule:hired-from"])
    confidence: float | None = Field(default=None, description="The extractor's confidence, from 0 to 1",
                                     examples=[0.8])


class FactOut(ApiModel):
    """A fact: subject, predicate, object, its qualifiers and every piece of evidence for it."""

    id: str = Field(description="Fact id (the same subject, predicate and object from any article)",
                    examples=["3f2a9c0d1e4b5a6f7c8d"])
    predicate: Predicate = Field(description="The predicate, from the ontology", examples=["HIRED_FROM"])
    subject: EntityRef = Field(description="The subject entity")
    object: EntityRef = Field(description="The object entity")
    qualifiers: Qualifiers = Field(description="Date, amounts, role, status, modality…")
    modality: ModalityValue = Field(description="How the sources state the fact (as in `qualifiers`)",
                                    examples=["asserted"])
    date: str | None = Field(default=None, description="The fact's own date (ISO 8601 prefix)", examples=["2023-03"])
    date_precision: DatePrecisionValue | None = Field(default=None, description="Precision of `date`",
                                                      examples=["month"])
    placed_at: str | None = Field(default=None, examples=["2023-03"],
                                  description="Where the fact sits in time: its date, else its earliest evidence's "
                                              "publication day")
    placed_by: Literal["fact_date", "evidence_published", "undated"] = Field(
        examples=["fact_date"], description="Whether `placedAt` is the fact's own date or its first article's date")
    evidence_count: int = Field(description="How many pieces of evidence support the fact", examples=[1])
    source_count: int = Field(description="How many independent sources support the fact: copies of one article "
                                          "(a duplicate cluster) and articles of one outlet count once",
                              examples=[2])
    languages: list[str] = Field(description="Languages of the articles that support the fact, sorted",
                                 examples=[["en", "fr"]])
    first_published: str | None = Field(default=None, description="When the fact was first reported: the earliest "
                                        "publication date among its evidence (ISO 8601)", examples=["2023-04-14"])
    evidence: list[EvidenceOut] = Field(description="The evidence, oldest article first")
    curation: Literal["confirmed", "rejected"] | None = Field(
        default=None, examples=["confirmed"], description="A curator's verdict: `confirmed`, `rejected` (shown only "
                                                          "with include_rejected=true), or null")


class FactPage(ApiModel):
    """One page of facts, in date order."""

    items: list[FactOut] = Field(description="The facts of this page")
    next_cursor: str | None = Field(default=None, description=NEXT_CURSOR)


class TimelineEntryOut(ApiModel):
    """A fact of an entity's timeline, seen from the entity."""

    role: Literal["subject", "object"] = Field(description="The entity's side of the fact", examples=["object"])
    counterpart: EntityRef = Field(description="The entity at the other end of the fact")
    fact: FactOut = Field(description="The fact")


class TimelinePage(ApiModel):
    """One page of an entity's timeline."""

    entity: EntityRef = Field(description="The entity whose timeline this is")
    items: list[TimelineEntryOut] = Field(description="The facts of this page, in date order")
    next_cursor: str | None = Field(default=None, description=NEXT_CURSOR)


# ------------------------------------------------------------------------------------------------ graph
class GraphNodeOut(EntityRef):
    """An entity in a graph view."""

    degree: int = Field(description="How many facts touch this entity in the whole graph", examples=[12])
    depth: int | None = Field(default=None, description="Hops from the centre (or from the path's start)",
                              examples=[1])


class GraphEdgeOut(ApiModel):
    """A fact in a graph view."""

    id: str = Field(description="Fact id", examples=["3f2a9c0d1e4b5a6f7c8d"])
    predicate: Predicate = Field(description="The fact's predicate", examples=["HIRED_FROM"])
    source: str = Field(description="Subject entity id", examples=["person:igor-babuschkin"])
    target: str = Field(description="Object entity id", examples=["organization:deepmind"])
    date: str | None = Field(default=None, description="The fact's date, else its first article's day",
                             examples=["2023-03"])
    dated: bool = Field(description="True when `date` is the fact's own date, false when it is its first article's")
    modality: ModalityValue | None = Field(default=None, description="How the sources state the fact",
                                           examples=["asserted"])
    evidence_count: int = Field(description="How many pieces of evidence support the fact", examples=[1])
    source_count: int = Field(description="How many independent sources support the fact", examples=[1])


class GraphOut(ApiModel):
    """Entities and facts for a graph view."""

    nodes: list[GraphNodeOut] = Field(description="The entities, nearest the centre first")
    edges: list[GraphEdgeOut] = Field(description="The facts among them")
    truncated: bool = Field(default=False, description="True when the limit cut nodes or edges off")
    paths: list[list[str]] = Field(default_factory=list, description="Path queries: each path's edge ids in order")


# ------------------------------------------------------------------------------------------------ cypher
class CypherRequest(ApiModel):
    """A read-only Cypher query and its parameters."""

    query: str = Field(min_length=1, max_length=20_000, description="One read-only Cypher statement",
                       examples=["MATCH (p:Person)-[r:HIRED_FROM]->(o:Organization) RETURN p.name, o.name, r.date "
                                 "LIMIT 10"])
    parameters: dict[str, Any] = Field(default_factory=dict, description="Values of the query's $parameters",
                                       examples=[{"name": "DeepMind"}])


class CypherResponse(ApiModel):
    """The rows a Cypher query returned."""

    columns: list[str] = Field(description="The query's RETURN columns, in order", examples=[["person", "role"]])
    rows: list[list[Any]] = Field(description="Nodes as {kind: node, elementId, labels, properties}, relationships "
                                              "as {kind: relationship, elementId, type, start, end, properties}, "
                                              "paths as {kind: path, nodes, relationships}")
    row_count: int = Field(description="How many rows are in `rows`", examples=[2])
    truncated: bool = Field(description="True when more rows existed than the row cap")


# ------------------------------------------------------------------------------------------------ articles
class ArticleIn(ApiModel):
    """An article to ingest, shaped like a line of a JSONL file."""

    id: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:\-]*$",
                    description="The article's id (writing the same id again replaces the article)",
                    examples=["lemonde-2023-04-14-xai"])
    text: str = Field(min_length=1, description="The article's text",
                      examples=["Igor Babuschkin left DeepMind to join xAI in March 2023."])
    title: str | None = Field(default=None, max_length=1000, description="The article's title",
                              examples=["Musk's xAI hires from DeepMind"])
    published: str | None = Field(default=None, max_length=64, examples=["2023-04-14"],
                                  description="ISO 8601 date or date-time (an RFC 2822 date is accepted too)")
    url: str | None = Field(default=None, max_length=2000, description="Where it was published", examples=["https://example.org/news/xai"])
    lang: str | None = Field(default=None, max_length=20, pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]+)*$",
                             examples=["en"], description="Language tag (en, fr); detected from the text when absent")


class RefusedOut(ApiModel):
    """A fact or entity that was not written, and why."""

    description: str = Field(description="What was refused", examples=["Igor Babuschkin —HIRED_FROM→ xAI"])
    reason: str = Field(description="Why", examples=["HIRED_FROM cannot have a Product as object (allowed: "
                                                     "Organization)."])


class ArticleResultOut(ApiModel):
    """What became of one article."""

    article_id: str = Field(description="The article's id", examples=["lemonde-2023-04-14-xai"])
    status: Literal["written", "unchanged"] = Field(description="`unchanged` when the same text was already written "
                                                                "by the same extractor version", examples=["written"])
    facts: list[FactOut] = Field(description="The facts this article supports, as now stored (with all evidence)")
    refused: list[RefusedOut] = Field(default_factory=list, description="What was not written, and why")


class IngestOut(ApiModel):
    """What an ingest request wrote."""

    articles: list[ArticleResultOut] = Field(description="One result per article, in request order")
    facts_written: int = Field(description="Facts written across the articles", examples=[3])


# ------------------------------------------------------------------------------------------------ stats, health
class StatsOut(ApiModel):
    """What the graph holds."""

    entities: int = Field(description="Entities", examples=[21])
    articles: int = Field(description="Articles", examples=[4])
    evidence: int = Field(description="Pieces of evidence", examples=[30])
    facts: int = Field(description="Facts", examples=[25])
    entities_by_type: dict[str, int] = Field(description="Entities per type",
                                             examples=[{"Organization": 12, "Person": 9}])
    facts_by_predicate: dict[str, int] = Field(description="Facts per predicate",
                                               examples=[{"HIRED_FROM": 2, "SIGNED": 1}])
    articles_by_language: dict[str, int] = Field(description="Articles per language", examples=[{"en": 3, "fr": 1}])

    @field_validator("entities_by_type", "facts_by_predicate", "articles_by_language", mode="before")
    @classmethod
    def _counts(cls, value: Any) -> Any:
        """The reader's list of key counts, as a map."""
        if isinstance(value, list):
            return {c.key: c.count for c in value}
        return value


class Neo4jHealth(ApiModel):
    """Whether Neo4j answers."""

    connected: bool = Field(description="True when Neo4j answered")
    version: str | None = Field(default=None, description="Neo4j's version", examples=["5.26.30"])
    error: str | None = Field(default=None, description="What went wrong, when it did not answer")


class HealthOut(ApiModel):
    """The API's health."""

    status: Literal["ok", "degraded"] = Field(description="`degraded` when Neo4j does not answer", examples=["ok"])
    neo4j: Neo4jHealth = Field(alias="neo4j", description="Neo4j's state")


class StatePeriodOut(ApiModel):
    """A state that holds over a validity interval derived from dated events (JOINED, LEFT, HIRED_FROM, ACQUIRED,
    or the state's own dated reports); each bound comes with the evidence it came from."""

    state: Predicate = Field(description="WORKS_FOR, OWNS or SUBSIDIARY_OF", examples=["WORKS_FOR"])
    role: Literal["subject", "object"] = Field(description="The entity's side of the state", examples=["subject"])
    counterpart: EntityRef = Field(description="The employer, owner, owned company, parent or subsidiary")
    subject: EntityRef = Field(description="The state's subject")
    object: EntityRef = Field(description="The state's object")
    valid_from: str | None = Field(default=None, examples=["2018-03"],
                                   description="When it started (ISO prefix); null when no dated event says")
    valid_from_precision: DatePrecisionValue | None = Field(default=None, examples=["month"],
                                                            description="Precision of `validFrom`")
    valid_to: str | None = Field(default=None, examples=["2021-05"],
                                 description="When it ended; null while it holds as far as the graph knows")
    valid_to_precision: DatePrecisionValue | None = Field(default=None, examples=["month"],
                                                          description="Precision of `validTo`")
    from_candidates: list[str] = Field(description="Every start reported, side by side when sources disagree")
    to_candidates: list[str] = Field(description="Every end reported, side by side when sources disagree")
    opened_by: list[str] = Field(description="Ids of the facts that open it")
    closed_by: list[str] = Field(description="Ids of the facts that close it")
    job_role: str | None = Field(default=None, description="The role the opening event gives", examples=["engineer"])
    evidence: list[EvidenceOut] = Field(description="The evidence of both bounds, oldest article first")


class EntityStateOut(ApiModel):
    """What held for an entity at a date: employer and role, owner, owned companies, parent, subsidiaries."""

    entity: EntityRef = Field(description="The entity")
    as_of: str | None = Field(default=None, description="The date asked (every period when absent)",
                              examples=["2019-06"])
    states: list[StatePeriodOut] = Field(description="By state, then start")


class RetractOut(ApiModel):
    """What taking an article out of the graph removed."""

    article_id: str = Field(description="The article", examples=["example-xai-2023"])
    articles_removed: int = Field(description="1 when the article was stored, 0 when it was not (idempotent)")
    facts_removed: int = Field(description="Facts left without evidence, removed")
    facts_recomputed: int = Field(description="Facts that kept evidence from other articles, recomputed")


# ------------------------------------------------------------------------------------------------ mapping
def entity_ref(e: reader.EntitySummary | reader.GraphNode) -> EntityRef:
    return EntityRef.model_validate(e, from_attributes=True)


def entity_hit(e: reader.EntitySummary) -> EntityHit:
    return EntityHit.model_validate(e, from_attributes=True)


def entity_detail_out(d: reader.EntityDetail) -> EntityDetailOut:
    entity = EntityOut.model_validate(d.entity, from_attributes=True)
    merged = [MergedOut(id=m.source_id, names=m.names, score=m.score, rule=m.rule, by=m.by, at=m.at, why=m.why)
              for m in d.merged]
    return EntityDetailOut.model_validate({**dict(entity), "fact_counts": d.fact_counts, "fact_total": d.fact_total,
                                           "merged": merged})


def fact_out(f: reader.FactView) -> FactOut:
    return FactOut.model_validate(f, from_attributes=True)


def timeline_entry_out(t: reader.TimelineEntry) -> TimelineEntryOut:
    return TimelineEntryOut.model_validate(t, from_attributes=True)


def graph_out(g: reader.Subgraph) -> GraphOut:
    return GraphOut.model_validate(g, from_attributes=True)


def state_out(entity: reader.EntitySummary, as_of: str | None, periods: list[reader.StatePeriod]) -> EntityStateOut:
    return EntityStateOut.model_validate({"entity": entity, "as_of": as_of, "states": periods}, from_attributes=True)


def stats_out(s: reader.GraphStats) -> StatsOut:
    return StatsOut.model_validate(s, from_attributes=True)


# ------------------------------------------------------------------------------------------------ curation
WHY = Field(min_length=1, max_length=2000, description="Why: kept in the audit log", examples=["the same company"])
ENTITY_IN = Field(min_length=1, max_length=300, description=ENTITY_ID, examples=["organization:giant-company-software"])


class MergeIn(ApiModel):
    """Merge one entity into another: `merge` disappears from every read, its facts move onto `into`."""

    into: str = ENTITY_IN
    merge: str = Field(min_length=1, max_length=300, description="The entity merged away",
                       examples=["organization:giant"])
    why: str = WHY


class SplitIn(ApiModel):
    """Undo a merge: `merged` is an entity again and gets its facts back from `entity`."""

    entity: str = ENTITY_IN
    merged: str = Field(min_length=1, max_length=300, description="The entity once merged into `entity`",
                        examples=["organization:giant"])
    why: str = WHY


class RenameIn(ApiModel):
    """A new canonical name (the old one stays as an alias)."""

    entity: str = ENTITY_IN
    name: str = Field(min_length=1, max_length=300, description="The new name",
                      examples=["Giant Company Software Inc."])
    why: str = WHY


class RetypeIn(ApiModel):
    """A new type, checked against the ontology and the entity's facts (409 when a fact cannot have it)."""

    entity: str = ENTITY_IN
    type: EntityType = Field(description="The new type", examples=["Product"])
    why: str = WHY


class AliasIn(ApiModel):
    """One more name the entity is known by (search finds it)."""

    entity: str = ENTITY_IN
    alias: str = Field(min_length=1, max_length=300, description="The alias", examples=["GCS"])
    why: str = WHY


class WikidataIn(ApiModel):
    """The entity's Wikidata QID."""

    entity: str = ENTITY_IN
    wikidata_id: str = Field(pattern=r"^Q[1-9][0-9]*$", max_length=20, description="A Wikidata QID",
                             examples=["Q2283"])
    why: str = WHY


class VerdictIn(ApiModel):
    """Why a fact is rejected or confirmed."""

    why: str = WHY


class LogEntryOut(ApiModel):
    """One curation action in the audit log."""

    id: str = Field(description="The entry's id", examples=["5d41402abc4b2a76b9719d911017c592"])
    at: str = Field(description="When (ISO 8601, UTC)", examples=["2026-12-01T18:00:00.000000+00:00"])
    by: str = Field(description="Who: the `X-Curator` header, `cli`, or `resolver`", examples=["alice"])
    action: Literal["merge", "split", "rename", "retype", "alias", "wikidata", "reject", "confirm"] = Field(
        description="What was done", examples=["merge"])
    entity_ids: list[str] = Field(description="The entities it concerns", examples=[["organization:giant"]])
    fact_ids: list[str] = Field(description="The facts it concerns (added, changed or removed)",
                                examples=[["3f2a9c0d1e4b5a6f7c8d"]])
    why: str = Field(description="The reason given", examples=["the same company"])
    detail: str = Field(description="What changed, in a sentence",
                        examples=["merged organization:giant (Giant) into organization:giant-company-software"])


class CurationAccessOut(ApiModel):
    """The API key is this server's: curation actions will be logged under `curator`."""

    curator: str = Field(description="Who the actions are logged as (the X-Curator header, `api` without it)",
                         examples=["gina"])


class CurationOut(ApiModel):
    """What a curation action did: its audit log entry and the fact ids it added, changed and removed."""

    entry: LogEntryOut = Field(description="The audit log entry written with the action")
    facts_added: list[str] = Field(default_factory=list, description="Facts that now exist and did not")
    facts_updated: list[str] = Field(default_factory=list, description="Facts whose evidence or marks changed")
    facts_removed: list[str] = Field(default_factory=list, description="Facts that no longer exist (or are rejected)")


class CurationLogPage(ApiModel):
    """One page of the audit log, newest first."""

    items: list[LogEntryOut] = Field(description="The entries of this page")
    next_cursor: str | None = Field(default=None, description=NEXT_CURSOR)
