"""Gold files (`shared/eval/SCORING.md`): one article a line with its entities and hand-checked facts."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.evaluation.names import fold_name
from kg.errors import InputError
from kg.model import Article


@dataclass(frozen=True)
class GoldEntity:
    name: str
    type: str | None = None
    aliases: tuple[str, ...] = ()
    kind: str | None = None

    def folded_names(self) -> frozenset[str]:
        return frozenset(fold_name(n) for n in (self.name, *self.aliases))


@dataclass(frozen=True)
class GoldFact:
    subject: str
    predicate: str
    object: str
    alt_subjects: tuple[str, ...] = ()
    alt_objects: tuple[str, ...] = ()
    qualifiers: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    optional: bool = False

    def describe(self) -> str:
        return f"{self.subject} —{self.predicate}→ {self.object}"


@dataclass(frozen=True)
class GoldArticle:
    id: str
    text: str
    lang: str | None = None
    published: str | None = None
    title: str | None = None
    source: str | None = None
    entities: tuple[GoldEntity, ...] = ()
    facts: tuple[GoldFact, ...] = ()

    def to_article(self) -> Article:
        """The article the extractor reads: the gold text exactly, with the gold language and date."""
        return Article(id=self.id, text=self.text, title=self.title, published=self.published, lang=self.lang,
                       source=self.source)

    def names_for(self, name: str) -> frozenset[str]:
        """Every folded form that counts as `name`: the gold entity it names with its aliases, or the name alone."""
        folded = fold_name(name)
        for entity in self.entities:
            names = entity.folded_names()
            if folded in names:
                return names
        return frozenset({folded})


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(str(v) for v in value or ())


def gold_article_from_dict(data: dict[str, Any]) -> GoldArticle:
    entities = tuple(GoldEntity(e["name"], e.get("type"), _strings(e.get("aliases")), e.get("kind"))
                     for e in data.get("entities", []))
    facts = tuple(GoldFact(f["subject"], f["predicate"], f["object"], _strings(f.get("alt_subjects")),
                           _strings(f.get("alt_objects")), dict(f.get("qualifiers") or {}), bool(f.get("optional")))
                  for f in data.get("facts", []))
    return GoldArticle(str(data["id"]), data["text"], data.get("lang"), data.get("published"), data.get("title"),
                       data.get("source"), entities, facts)


def load_gold(path: Path) -> list[GoldArticle]:
    """Every article of a gold file; a malformed line stops the evaluation with its line number."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise InputError(f"Gold file {path} cannot be read ({exc.strerror or exc}); check the path.") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"Gold file {path} is not UTF-8 text; save it as UTF-8.") from exc
    articles = []
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            articles.append(gold_article_from_dict(json.loads(line)))
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
            raise InputError(f"Gold file {path}, line {line_no}, is not a gold article ({type(exc).__name__}: "
                             f"{exc}); each line needs id, text, entities and facts as SCORING.md describes.") from exc
    if not articles:
        raise InputError(f"Gold file {path} holds no articles; give a JSONL file with one gold article a line.")
    return articles
