"""The domain: articles, entities, facts with qualifiers, and the evidence behind each fact."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, fields
from typing import Any, cast

from kg.terms import DatePrecision, DealStatus, EntityTypeName, Modality, PredicateName

# An ISO 8601 date prefix: a year, a year and month, or a full day (groups: year, month, day). The one pattern
# for fact dates and date filters; `kg.validation.check_date` also checks that the day exists.
ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
# Length of an ISO 8601 date prefix -> its precision (2023 -> year, 2023-03 -> month, 2023-03-18 -> day).
_PRECISION_BY_LENGTH: dict[int, DatePrecision] = {4: "year", 7: "month", 10: "day"}
DEFAULT_MODALITY: Modality = "asserted"
_ID_HASH_CHARS = 20  # hex characters kept of a fact's sha1
_EVIDENCE_ID_HASH_CHARS = 24  # hex characters kept of an evidence's sha1


def fold(text: str) -> str:
    """Lowercase, strip diacritics and collapse whitespace: the form names are compared in."""
    decomposed = unicodedata.normalize("NFKD", text)
    no_marks = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(no_marks.lower().split())


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "x"


def entity_id_for(type_name: str, name: str) -> str:
    """Stable id of an entity with no curated id: its type and its folded canonical name."""
    return f"{type_name.lower()}:{slugify(name)}"


def date_precision(date: str | None) -> DatePrecision | None:
    """The precision of an ISO 8601 date prefix (year, month or day), None for no date or another form."""
    if not date or not ISO_DATE.match(date):
        return None
    return _PRECISION_BY_LENGTH.get(len(date))


def date_bounds(date: str | None) -> tuple[dt.date, dt.date] | None:
    """The first and last day an ISO 8601 date prefix covers ("2023-03" -> 2023-03-01 .. 2023-03-31), None for no
    date, another form or a day that does not exist. The one rule behind `dateStart`/`dateEnd` in Neo4j and RDF."""
    match = ISO_DATE.match(date or "")
    if match is None:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    try:
        if month is None:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        if day is None:
            return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
        return dt.date(year, month, day), dt.date(year, month, day)
    except ValueError:
        return None


def date_properties(date: str | None) -> dict[str, dt.date | None]:
    """The native DATE bounds stored beside a text date (`dateStart`, `dateEnd`), from `date_bounds`."""
    bounds = date_bounds(date)
    return {"dateStart": bounds[0] if bounds else None, "dateEnd": bounds[1] if bounds else None}


# Predicates that describe a state holding over a period (they get validity intervals, see kg.intervals); every
# other predicate is an event.
STATE_PREDICATES: frozenset[str] = frozenset({"WORKS_FOR", "OWNS", "SUBSIDIARY_OF"})


def fact_id_for(subject_id: str, predicate: str, object_id: str, date: str | None = None) -> str:
    """The one fact identity: subject, predicate and object (ends sorted for a symmetric predicate), and for an
    event (not a state) the year of its date, so two lawsuits in 2004 and 2020, or a leave and a rejoin years apart,
    are distinct facts while "2023" and "2023-03" stay one. An undated event keeps the plain key."""
    from kg.vocabulary import vocabulary  # the ontology says which predicates are symmetric

    ends = [subject_id, object_id]
    if vocabulary().is_symmetric(predicate):
        ends.sort()
    key = f"{ends[0]}|{predicate}|{ends[1]}"
    match = ISO_DATE.match(date or "")
    if match is not None and predicate not in STATE_PREDICATES:
        key += f"|{match.group(1)}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:_ID_HASH_CHARS]


def camel_case(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def evidence_id(fact_id: str, article_id: str, start: int, end: int) -> str:
    """The one id of a piece of evidence: a span of one article supporting one fact (the same span supporting two
    facts is two pieces of evidence; two extractors finding the same span for one fact are one)."""
    key = f"{fact_id}|{article_id}|{start}|{end}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:_EVIDENCE_ID_HASH_CHARS]


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None  # ISO 8601 date (or date-time) as given by the source
    lang: str | None = None
    source: str | None = None  # file path, feed url or outlet

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass
class Entity:
    id: str
    name: str
    type: EntityTypeName  # checked by kg.validation before any write (extractors give plain text)
    kind: str | None = None
    aliases: set[str] = field(default_factory=set)
    wikidata_id: str | None = None

    @classmethod
    def named(cls, name: str, type_name: str, **kwargs: Any) -> Entity:
        """An entity of a type given as text (an extractor's): kg.validation checks it before any write."""
        return cls(id=kwargs.pop("id", None) or entity_id_for(type_name, name), name=name,
                   type=cast(EntityTypeName, type_name), **kwargs)

    def all_names(self) -> list[str]:
        return sorted({self.name, *self.aliases})


@dataclass
class Qualifiers:
    date: str | None = None
    quantity: float | None = None
    approximate: bool | None = None
    amount: float | None = None
    currency: str | None = None
    role: str | None = None
    status: DealStatus | None = None  # checked by kg.validation (the extractor's values are plain text)
    modality: Modality = DEFAULT_MODALITY  # checked by kg.validation
    reported_by: str | None = None
    vendor: str | None = None
    round: str | None = None
    # An explicit span the text gives a state (WORKS_FOR, OWNS, SUBSIDIARY_OF): "from 2015 to 2019", "depuis 2018".
    # ISO 8601 prefixes whose length is their precision, as `date`; kg.intervals turns them into interval bounds.
    stated_from: str | None = None
    stated_to: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """Only the qualifiers that carry a value (modality always)."""
        # fields() + getattr, not asdict(): qualifiers are flat values, and asdict deep-copies each one
        return {f.name: v for f in fields(self) if (v := getattr(self, f.name)) is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Qualifiers:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__ and v is not None}
        return cls(**known)


# Qualifiers field (Python) -> property name in Neo4j and RDF (reported_by -> reportedBy), and back: the one map.
QUALIFIER_PROPERTIES: dict[str, str] = {f.name: camel_case(f.name) for f in fields(Qualifiers)}
QUALIFIER_FIELDS: dict[str, str] = {prop: name for name, prop in QUALIFIER_PROPERTIES.items()}


def qualifier_properties(qualifiers: Qualifiers) -> dict[str, Any]:
    """The qualifiers that carry a value, under their property names."""
    return {QUALIFIER_PROPERTIES[key]: value for key, value in qualifiers.as_dict().items()}


@dataclass(frozen=True)
class Evidence:
    article_id: str
    sentence: str
    start: int
    end: int
    extractor: str
    confidence: float

    def id_in(self, fact_id: str) -> str:
        """This evidence's id as stored, under the fact it supports (`evidence_id`)."""
        return evidence_id(fact_id, self.article_id, self.start, self.end)

    @property
    def id(self) -> str:
        """What tells two pieces of evidence of one fact apart (its article and span), from the same `evidence_id`
        as the stored id; use `id_in(fact.id)` for the id in the graph."""
        return evidence_id("", self.article_id, self.start, self.end)


@dataclass
class Fact:
    subject: Entity
    predicate: PredicateName  # checked by kg.validation before any write (extractors give plain text)
    object: Entity
    qualifiers: Qualifiers = field(default_factory=Qualifiers)
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Stable: the same subject, predicate and object (and, for an event, year) from any article is the same
        fact (`fact_id_for`)."""
        return fact_id_for(self.subject.id, self.predicate, self.object.id, self.qualifiers.date)

    def to_output(self, article_id: str) -> dict[str, Any]:
        """The extractor's output line, as `shared/eval/SCORING.md` reads it."""
        ev = self.evidence[0] if self.evidence else None
        return {
            "article_id": article_id,
            "fact_id": self.id,
            "subject": {"id": self.subject.id, "name": self.subject.name, "type": self.subject.type},
            "predicate": self.predicate,
            "object": {"id": self.object.id, "name": self.object.name, "type": self.object.type},
            "qualifiers": self.qualifiers.as_dict(),
            "evidence": None
            if ev is None
            else {
                "sentence": ev.sentence,
                "start": ev.start,
                "end": ev.end,
                "extractor": ev.extractor,
                "confidence": ev.confidence,
            },
        }


MergeRule = str  # which resolution rule decided a merge ("kb-id", "alias", "acronym", "fuzzy", "curator", ...)


@dataclass(frozen=True)
class EntityMerge:
    """A decision that the entity extracted as `source_id` is the entity `target_id`, kept as provenance so that it
    can be undone (`kg entities split`). The extractor's ids are never rewritten by the resolver: the writer applies
    merges when it stores facts, and keeps each evidence's extracted ends so a split can put its fact back.

    names: the surface names that were compared; score: the resolver's similarity in [0, 1] (1.0 for a curator's
    decision); by: "resolver" or the curator's name; why: free text (a curator's reason, a rule's detail)."""

    source_id: str
    target_id: str
    names: tuple[str, ...] = ()
    score: float = 1.0
    rule: MergeRule = "curator"
    by: str = "resolver"
    why: str = ""


@dataclass
class ArticleExtraction:
    """What the extractor drew from one article: the unit written to the graph in one transaction. `merges` are the
    cross-article resolver's decisions for this article's entities (ingest.resolution), applied by the writer."""

    article: Article
    entities: list[Entity] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    merges: list[EntityMerge] = field(default_factory=list)
