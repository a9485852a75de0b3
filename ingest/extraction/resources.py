"""The data the extractor runs on: the knowledge base and the lexicon of each language, loaded once."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

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
        raise ConfigurationError(f"{source}: a knowledge-base line lacks {exc.args[0]!r}; every line needs name and type.") from exc
    return KbEntry(
        id=row.get("id") or entity_id_for(type_name, name),
        name=name,
        type=type_name,
        kind=row.get("kind"),
        aliases=tuple(row.get("aliases", ())),
        wikidata=row.get("wikidata"),
        ambiguous=bool(row.get("ambiguous", False)),
    )


@lru_cache(maxsize=None)
def knowledge_base(folder: Path = DATA_DIR / "kb") -> KnowledgeBase:
    kb = KnowledgeBase()
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ConfigurationError(f"{path}:{number} is not valid JSON ({exc.msg}); fix or remove that line.") from exc
            kb.add(_entry(row, path))
    return kb


@lru_cache(maxsize=None)
def lexicon(lang: str) -> dict[str, Any]:
    path = DATA_DIR / lang / "lexicon.json"
    if not path.exists():
        raise ConfigurationError(f"No extraction lexicon for language {lang!r}: add {path}.")
    return json.loads(path.read_text(encoding="utf-8"))
