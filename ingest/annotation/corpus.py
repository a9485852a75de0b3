"""Articles of `../shared/corpora` by a stable id, with the exact text an annotation's offsets refer to.

Ids and texts follow the shared dev set (`../shared/eval/dev.jsonl`):
- BBC `bbc-<category>-<NNN>`: the whole file (headline, blank line, paragraphs); no publication date;
- OrangeSum `orangesum-<category>-<id>`: title + blank line + heading + blank line + article; its date;
- VentureBeat `vb-<n>`: title + blank line + body; its date.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from kg.errors import InputError

Corpus = Literal["bbc", "orangesum", "venturebeat"]
CORPORA_ENV = "KG_CORPORA"
DEFAULT_CORPORA = Path(__file__).resolve().parents[2].parent / "shared" / "corpora"
BBC_CATEGORIES = ("business", "tech", "entertainment", "politics", "sport")
ORANGESUM_CATEGORIES = ("high-tech", "media", "auto")


@dataclass(frozen=True)
class CorpusDoc:
    id: str
    corpus: Corpus
    category: str
    lang: str
    text: str
    title: str | None
    published: str | None
    url: str | None = None

    @property
    def sha256(self) -> str:
        return text_sha256(self.text)

    @property
    def source(self) -> str:
        return f"corpora/{self.corpus}/{self.category}/{self.id}"


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def corpora_root() -> Path:
    root = Path(os.environ.get(CORPORA_ENV) or DEFAULT_CORPORA)
    if not root.is_dir():
        raise InputError(f"The corpora folder {root} is missing; put ../shared/corpora beside the project "
                         f"or set {CORPORA_ENV}.")
    return root


def _bbc(category: str, number: str) -> CorpusDoc:
    path = corpora_root() / "bbc" / category / f"{number}.txt"
    text = path.read_text(encoding="utf-8")
    return CorpusDoc(f"bbc-{category}-{number}", "bbc", category, "en", text, text.split("\n", 1)[0].strip(), None)


@lru_cache(maxsize=1)
def _orangesum_records() -> dict[str, dict[str, object]]:
    path = corpora_root() / "orangesum_fr" / "orangesum_fr_hightech_media_auto.jsonl"
    records = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return {f"orangesum-{r['category']}-{r['id']}": r for r in records}


@lru_cache(maxsize=1)
def _venturebeat_records() -> dict[str, dict[str, object]]:
    path = corpora_root() / "venturebeat_en" / "venturebeat_en.jsonl"
    records = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return {str(r["id"]): r for r in records}


def _orangesum(doc_id: str) -> CorpusDoc:
    r = _orangesum_records()[doc_id]
    text = f"{r['title']}\n\n{r['heading']}\n\n{r['article']}"
    return CorpusDoc(doc_id, "orangesum", str(r["category"]), "fr", text, str(r["title"]), str(r["date"]),
                     str(r["url"]))


def _venturebeat(doc_id: str) -> CorpusDoc:
    r = _venturebeat_records()[doc_id]
    text = f"{r['title']}\n\n{r['text']}"
    return CorpusDoc(doc_id, "venturebeat", "tech", "en", text, str(r["title"]), str(r["published"]), str(r["url"]))


def load_doc(doc_id: str) -> CorpusDoc:
    """The article with this id; an unknown id is an InputError naming the id forms."""
    try:
        if doc_id.startswith("bbc-"):
            category, number = doc_id[len("bbc-"):].rsplit("-", 1)
            return _bbc(category, number)
        if doc_id.startswith("orangesum-"):
            return _orangesum(doc_id)
        if doc_id.startswith("vb-"):
            return _venturebeat(doc_id)
    except (KeyError, ValueError, FileNotFoundError) as exc:
        raise InputError(f"No corpus article has the id {doc_id!r}.") from exc
    raise InputError(f"{doc_id!r} is not a corpus id; ids look like bbc-tech-042, orangesum-media-4123, vb-1234.")


def list_ids(corpus: Corpus, category: str) -> list[str]:
    """Every article id of one stratum, in a stable order."""
    if corpus == "bbc":
        return sorted(f"bbc-{category}-{p.stem}" for p in (corpora_root() / "bbc" / category).glob("*.txt"))
    if corpus == "orangesum":
        return sorted(i for i in _orangesum_records() if i.startswith(f"orangesum-{category}-"))
    return sorted(_venturebeat_records())
