"""The data the extractor runs on: the knowledge base and the lexicon of each language, loaded once."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kg.errors import ConfigurationError
from kg.model import entity_id_for, fold

DATA_DIR = Path(__file__).resolve().parents[1] / "data"


@dataclass(frozen=True)
class KbEntry:
    id: str
    name: str
    type: str
    kind: str | None
    aliases: tuple[str, ...]
    wikidata: str | None
    ambiguous: bool = False

    @property
    def generic(self) -> bool:
        """Common-noun entries (GPU, open letter) match whatever the case."""
        return self.type in ("Document",) or (self.type == "Product" and self.name.isupper()) or self.name.islower()


@dataclass
class KnowledgeBase:
    entries: list[KbEntry] = field(default_factory=list)
    by_alias: dict[str, KbEntry] = field(default_factory=dict)

    def add(self, entry: KbEntry) -> None:
        self.entries.append(entry)
        for alias in (entry.name, *entry.aliases):
            self.by_alias.setdefault(fold(alias), entry)

    def lookup(self, name: str) -> KbEntry | None:
        return self.by_alias.get(fold(name))


def _entry(row: dict[str, Any], source: Path) -> KbEntry:
    try:
        name, type_name = row["name"], row["type"]
    except KeyError as exc:
        raise ConfigurationError(f"{source}: a knowledge-base line lacks {exc.args[0]!r}; every line needs name "
                                 "and type.") from exc
    return KbEntry(
        id=row.get("id") or entity_id_for(type_name, name),
        name=name,
        type=type_name,
        kind=row.get("kind"),
        aliases=tuple(row.get("aliases", ())),
        wikidata=row.get("wikidata"),
        ambiguous=bool(row.get("ambiguous", False)),
    )


@cache
def knowledge_base(folder: Path = DATA_DIR / "kb") -> KnowledgeBase:
    kb = KnowledgeBase()
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ConfigurationError(f"{path}:{number} is not valid JSON ({exc.msg}); fix or remove that "
                                         "line.") from exc
            kb.add(_entry(row, path))
    return kb


@cache
def lexicon(lang: str) -> dict[str, Any]:
    """The language's word lists (roles, relational nouns, modality cues, dates…), plus its trigger patterns
    under "frames" as plain dicts (the trained model reads their lemmas as features)."""
    path = DATA_DIR / lang / "lexicon.json"
    if not path.exists():
        raise ConfigurationError(f"No extraction lexicon for language {lang!r}: add {path}.")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    data["frames"] = [p.model_dump(exclude={"example", "expect"}) for p in trigger_patterns(lang)]
    return data


# -- trigger patterns: the rule registry ----------------------------------------------------------------------

PatternPredicate = Literal[
    "ACQUIRED", "FOUNDED", "HIRED_FROM", "INVESTED_IN", "JOINED", "LAUNCHED", "LEFT", "OWNS", "PARTNERED_WITH",
    "PURCHASED", "SIGNED", "SUBSIDIARY_OF", "SUED", "WORKS_FOR", "_REPLACES", "_SUCCEEDS"]
SlotType = Literal["Person", "Organization", "Product", "Document"]
Confidence = Literal["high", "medium", "low"]
CONFIDENCE: dict[Confidence, float] = {"high": 0.7, "medium": 0.6, "low": 0.5}


class ExpectedFact(BaseModel):
    """A fact the pattern's example sentence must give (tests/test_rule_patterns.py checks every one)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    subject: str
    predicate: str
    object: str


class TriggerPattern(BaseModel):
    """One rule: a trigger (verb lemmas or nouns) and where its arguments sit.

    Verbs: the subject is the clause subject (or, when `subject_prep` is set, the object of that preposition);
    the object is a dependent with a label in `object` or the object of a preposition in `object_prep`.
    `passive` lets "Y was bought by X" give the same fact as "X bought Y"; `passive_only` fires only in the
    passive ("was fired"). Nouns: the object is the complement in `object_prep` ("the takeover of Y"), the
    subject the possessor or the governing clause's subject ("X's takeover of Y", "X announced the takeover
    of Y"), or the complement in `subject_prep` ("the resignation of X", "a round led by X");
    `object_is_clause_subject` takes the object from the governing clause instead, when its verb is one of
    `clause_verbs` ("Y raised $5m in a round led by X"; not "X led the round, with participation from Z").
    `swap` exchanges the two after reading them ("Y hired X" → X JOINED Y). `uncatalogued_object` types
    a name that the knowledge base does not know by its slot (what was launched is a product, whatever NER
    guessed). `object_heads` makes the object slot a noun among these whose own possessor or complement is
    the object ("X led Beta's round": the round is Beta's). Every pattern carries an invented example sentence and
    the facts it must give."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^(en|fr)\.[a-z0-9-]+$")
    predicate: PatternPredicate
    lemmas: tuple[str, ...] = ()
    nouns: tuple[str, ...] = ()
    object: tuple[str, ...] = ()
    object_prep: tuple[str, ...] = ()
    subject_prep: tuple[str, ...] = ()
    object_is_clause_subject: bool = False
    clause_verbs: tuple[str, ...] = ()  # with object_is_clause_subject: the governing verbs that may give it
    passive: bool = False
    passive_only: bool = False
    swap: bool = False
    deal: bool = False
    allow_missing_object: bool = False
    subject_types: tuple[SlotType, ...] | None = None
    object_types: tuple[SlotType, ...] | None = None
    object_heads: tuple[str, ...] = ()  # the object slot is one of these nouns and names its owner ("Beta's round")
    uncatalogued_object: SlotType | None = None
    require_words: tuple[str, ...] | None = None
    confidence: Confidence = "high"
    example: str = Field(min_length=10)
    expect: tuple[ExpectedFact, ...] = Field(min_length=1)

    @property
    def score(self) -> float:
        return CONFIDENCE[self.confidence]


@cache
def trigger_patterns(lang: str) -> tuple[TriggerPattern, ...]:
    """The language's trigger patterns (`ingest/data/<lang>/patterns.jsonl`, one pattern a line), validated."""
    path = DATA_DIR / lang / "patterns.jsonl"
    if not path.exists():
        raise ConfigurationError(f"No trigger patterns for language {lang!r}: add {path}.")
    out: list[TriggerPattern] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            out.append(TriggerPattern.model_validate_json(line))
        except ValidationError as exc:
            raise ConfigurationError(f"{path}:{number} is not a valid pattern ({exc.errors()[0]['msg']}: "
                                     f"{exc.errors()[0]['loc']}); fix that line.") from exc
    ids = [p.id for p in out]
    if len(set(ids)) != len(ids):
        raise ConfigurationError(f"{path}: pattern ids repeat ({sorted({i for i in ids if ids.count(i) > 1})}); "
                                 "give each pattern its own id.")
    return tuple(out)
