"""The seeded, stratified sample of articles to annotate, with its split and batch fixed at draw time.

Drawn once (`python -m ingest.annotation sample`) and committed as `annotations/sample.tsv`:
- articles drawn at random *within* each stratum (corpus x category) with `SEED`, in the quotas of `STRATA`;
- exact duplicates (same text after folding whitespace and case) drawn once, and never an article of the shared
  dev set or a duplicate of one;
- the split is fixed by rank within the stratum (`SPLIT_CYCLE`), so each split keeps the strata's proportions and
  the test split is decided before anybody annotates or trains;
- the annotation order interleaves the strata, so any prefix of the order is a proportional sample; batches are
  `BATCH_SIZE` consecutive articles, and every `DOUBLE_EVERY`-th article is annotated twice, blind.
"""

from __future__ import annotations

import csv
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from ingest.annotation.corpus import Corpus, corpora_root, list_ids, load_doc

SEED = 20261201
STRATA: tuple[tuple[Corpus, str, int], ...] = (
    ("venturebeat", "tech", 100),
    ("bbc", "business", 85),
    ("bbc", "tech", 75),
    ("bbc", "entertainment", 20),
    ("bbc", "politics", 20),
    ("orangesum", "high-tech", 130),
    ("orangesum", "media", 110),
    ("orangesum", "auto", 60),
)
SPLIT_CYCLE = ("test", "train", "valid", "train", "test", "train", "train", "train")  # 25 % test, 12.5 % valid
BATCH_SIZE = 10
DOUBLE_EVERY = 6  # one article in six (16.7 %) gets a second, independent annotation
FIELDS = ("order", "id", "lang", "corpus", "category", "split", "batch", "double")


@dataclass(frozen=True)
class SampledDoc:
    order: int
    id: str
    lang: str
    corpus: str
    category: str
    split: str
    batch: int
    double: bool


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def _dev_texts(dev_path: Path) -> set[str]:
    if not dev_path.is_file():
        return set()
    return {_fold(json.loads(line)["text"]) for line in dev_path.read_text(encoding="utf-8").splitlines()
            if line.strip()}


def draw_sample(dev_path: Path) -> list[SampledDoc]:
    rng = random.Random(SEED)
    seen = _dev_texts(dev_path)
    ranked: list[tuple[float, str, str, str, str, str]] = []
    for corpus, category, quota in STRATA:
        ids = list_ids(corpus, category)
        rng.shuffle(ids)
        taken = 0
        for doc_id in ids:
            if taken == quota:
                break
            doc = load_doc(doc_id)
            folded = _fold(doc.text)
            if folded in seen:
                continue
            seen.add(folded)
            split = SPLIT_CYCLE[taken % len(SPLIT_CYCLE)]
            ranked.append(((taken + rng.random()) / quota, doc_id, doc.lang, corpus, category, split))
            taken += 1
    ranked.sort()
    return [SampledDoc(order, doc_id, lang, corpus, category, split, order // BATCH_SIZE, order % DOUBLE_EVERY == 0)
            for order, (_, doc_id, lang, corpus, category, split) in enumerate(ranked)]


def write_sample(docs: list[SampledDoc], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(FIELDS)
        for d in docs:
            writer.writerow((d.order, d.id, d.lang, d.corpus, d.category, d.split, d.batch, int(d.double)))


def read_sample(path: Path) -> list[SampledDoc]:
    with path.open(encoding="utf-8", newline="") as src:
        rows = list(csv.DictReader(src, delimiter="\t"))
    return [SampledDoc(int(r["order"]), r["id"], r["lang"], r["corpus"], r["category"], r["split"], int(r["batch"]),
                       r["double"] == "1") for r in rows]


def default_dev_path() -> Path:
    return corpora_root().parent / "eval" / "dev.jsonl"
