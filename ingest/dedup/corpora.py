"""The corpora's texts and their own duplicate lists (../shared/corpora, README.txt there).

- BBC: one article per file, line 1 the headline; `bbc_exact_duplicate_pairs.txt` lists pairs of byte-identical
  files (`tech/131.txt tech/179.txt`).
- OrangeSum: one JSON object per line (`id`, `category`, `title`, `article`); `list_of_duplicates_fullOrangeSum.txt`
  lists groups of ids of the whole corpus (`1447.json,1491.json`), of which only pairs inside the three copied
  categories can be checked.
Files withheld for independent evaluation are missing: pairs that name one are left out.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError

BBC_PAIRS = "bbc_exact_duplicate_pairs.txt"
ORANGESUM_LINES = "orangesum_fr/orangesum_fr_hightech_media_auto.jsonl"
ORANGESUM_GROUPS = "orangesum_fr/list_of_duplicates_fullOrangeSum.txt"


@dataclass(frozen=True)
class CorpusText:
    id: str  # "bbc:tech/131.txt", "orangesum:1447"
    category: str  # "bbc/tech", "orangesum/high-tech"
    headline: str
    text: str


@dataclass(frozen=True)
class Corpus:
    name: str
    texts: dict[str, CorpusText]
    listed_pairs: list[tuple[str, str]]  # the corpus's own duplicate list, both texts present


def _need(path: Path) -> Path:
    if not path.exists():
        raise InputError(f"{path} is missing: give --corpora the folder of the shared corpora (../shared/corpora).")
    return path


def load_bbc(corpora: Path) -> Corpus:
    root = _need(corpora / "bbc")
    texts = {}
    for path in sorted(root.rglob("*.txt")):
        relative = path.relative_to(root).as_posix()
        body = path.read_bytes().decode("utf-8", errors="replace")
        texts[f"bbc:{relative}"] = CorpusText(f"bbc:{relative}", f"bbc/{path.parent.name}",
                                              body.split("\n", 1)[0].strip(), body)
    pairs = []
    for line in _need(corpora / BBC_PAIRS).read_text(encoding="utf-8").splitlines():
        if len(names := line.split()) == 2:
            a, b = (f"bbc:{name}" for name in names)
            if a in texts and b in texts:
                pairs.append((a, b))
    return Corpus("bbc", texts, pairs)


def load_orangesum(corpora: Path) -> Corpus:
    texts = {}
    for line in _need(corpora / ORANGESUM_LINES).read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        key = f"orangesum:{record['id']}"
        texts[key] = CorpusText(key, f"orangesum/{record['category']}", record["title"], record["article"])
    pairs = []
    for line in _need(corpora / ORANGESUM_GROUPS).read_text(encoding="utf-8").splitlines():
        ids = [f"orangesum:{name.strip().removesuffix('.json')}" for name in line.split(",") if name.strip()]
        pairs.extend(itertools.combinations([i for i in ids if i in texts], 2))
    return Corpus("orangesum", texts, pairs)
