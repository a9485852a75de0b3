"""Precision and recall of near-duplicate detection, with the writer's own rule: two texts are linked when they
share two LSH band keys (`are_candidates`: what the writer keeps of its index lookup) and `is_duplicate` holds.

Labelled pairs:
- positives: the corpora's duplicate lists, and lightly edited copies (ingest.dedup.edits) of a seeded sample of
  articles, each kind of edit on its own line;
- negatives: same-topic different articles: for each sampled article, the article of its category with the most
  words in common that is neither listed as its duplicate nor under the same headline.
A corpus-wide scan also links every pair of each corpus, as ingesting the whole corpus would, and says how many
of the pairs found are on the corpus's list.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from ingest.dedup.corpora import Corpus, CorpusText
from ingest.dedup.edits import EDIT_KINDS, edited_copy
from kg.model import fold
from kg.store.text_signatures import TextSignature, are_candidates, containment, is_duplicate, jaccard, signature

DEFAULT_SEED = 16
DEFAULT_SAMPLE = 200  # articles per corpus given edited copies and a same-topic negative
SAMPLED_CATEGORIES = ("bbc/tech", "bbc/business", "orangesum/high-tech", "orangesum/media")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class PairSet:
    """How many pairs of one labelled set the rule links."""

    name: str
    positive: bool
    pairs: int
    linked: int

    @property
    def rate(self) -> float:
        return self.linked / self.pairs if self.pairs else 0.0


@dataclass(frozen=True)
class LinkedPair:
    a: str
    b: str
    jaccard: float
    containment: float


@dataclass(frozen=True)
class Scan:
    """Every pair of a corpus the rule links, against the corpus's own list."""

    corpus: str
    articles: int
    linked: int
    listed: int
    listed_linked: int
    unlisted_examples: list[LinkedPair]


@dataclass
class DedupReport:
    sets: list[PairSet] = field(default_factory=list)
    false_positives: list[LinkedPair] = field(default_factory=list)  # negatives linked
    missed: list[LinkedPair] = field(default_factory=list)  # listed duplicates not linked
    scans: list[Scan] = field(default_factory=list)

    def _total(self, positive: bool, linked: bool) -> int:
        return sum(s.linked if linked else s.pairs for s in self.sets if s.positive == positive)

    @property
    def recall(self) -> float:
        return self._total(True, True) / max(1, self._total(True, False))

    @property
    def precision(self) -> float:
        found = self._total(True, True)
        return found / max(1, found + self._total(False, True))


class _Signatures:
    """Signatures computed once per text."""

    def __init__(self) -> None:
        self._by_key: dict[str, TextSignature] = {}

    def of(self, key: str, text: str) -> TextSignature:
        if key not in self._by_key:
            self._by_key[key] = signature(text)
        return self._by_key[key]


def linked(a: TextSignature, b: TextSignature) -> bool:
    """What the writer does with a stored article and a new one."""
    return are_candidates(a.band_keys, b.band_keys) and is_duplicate(a, b)


def _pair(a: str, b: str, sa: TextSignature, sb: TextSignature) -> LinkedPair:
    return LinkedPair(a, b, round(jaccard(sa.shingles, sb.shingles), 3),
                      round(containment(sa.shingles, sb.shingles), 3))


def _listed_set(corpus: Corpus, sigs: _Signatures, report: DedupReport) -> PairSet:
    found = 0
    for a, b in corpus.listed_pairs:
        sa, sb = sigs.of(a, corpus.texts[a].text), sigs.of(b, corpus.texts[b].text)
        if linked(sa, sb):
            found += 1
        else:
            report.missed.append(_pair(a, b, sa, sb))
    return PairSet(f"{corpus.name}: the corpus's duplicate list", True, len(corpus.listed_pairs), found)


def _sample(corpus: Corpus, size: int, rng: random.Random) -> list[CorpusText]:
    pool = sorted((t for t in corpus.texts.values() if t.category in SAMPLED_CATEGORIES), key=lambda t: t.id)
    return rng.sample(pool, min(size, len(pool)))


def _edited_sets(corpus: Corpus, sample: list[CorpusText], sigs: _Signatures, seed: int) -> list[PairSet]:
    sets = []
    for kind in EDIT_KINDS:
        rng = random.Random(f"{seed}:{corpus.name}:{kind}")
        found = sum(linked(sigs.of(t.id, t.text), signature(edited_copy(t.text, kind, rng))) for t in sample)
        sets.append(PairSet(f"{corpus.name}: edited copies, {kind}", True, len(sample), found))
    return sets


def _closest_other_article(text: CorpusText, corpus: Corpus, listed: dict[str, set[str]],
                           words: dict[str, frozenset[str]]) -> str | None:
    """The same-category article sharing most words with `text` (word-set Jaccard) that is not its listed
    duplicate, not the same text and not under the same headline."""
    best: tuple[float, str] | None = None
    for other in corpus.texts.values():
        if (other.category != text.category or other.id == text.id or other.id in listed[text.id]
                or other.text == text.text or fold(other.headline) == fold(text.headline)):
            continue
        score = jaccard(words[text.id], words[other.id])
        if best is None or (score, other.id) > best:
            best = (score, other.id)
    return best[1] if best else None


def _negative_set(corpus: Corpus, sample: list[CorpusText], sigs: _Signatures,
                  report: DedupReport) -> PairSet:
    listed: dict[str, set[str]] = defaultdict(set)
    for a, b in corpus.listed_pairs:
        listed[a].add(b)
        listed[b].add(a)
    words = {t.id: frozenset(_WORD.findall(fold(t.text))) for t in corpus.texts.values()}
    pairs, found = 0, 0
    for text in sample:
        other = _closest_other_article(text, corpus, listed, words)
        if other is None:
            continue
        pairs += 1
        sa, sb = sigs.of(text.id, text.text), sigs.of(other, corpus.texts[other].text)
        if linked(sa, sb):
            found += 1
            report.false_positives.append(_pair(text.id, other, sa, sb))
    return PairSet(f"{corpus.name}: same-topic different articles", False, pairs, found)


def scan(corpus: Corpus, sigs: _Signatures, examples: int = 8) -> Scan:
    """Link every pair of the corpus that shares a band key and passes the check."""
    buckets: dict[str, list[str]] = defaultdict(list)
    for key, text in sorted(corpus.texts.items()):
        for band in sigs.of(key, text.text).band_keys:
            buckets[band].append(key)
    candidates = {pair for ids in buckets.values() for pair in combinations(ids, 2)}
    found = {(a, b) for a, b in candidates
             if linked(sigs.of(a, corpus.texts[a].text), sigs.of(b, corpus.texts[b].text))}
    listed = {tuple(sorted(p)) for p in corpus.listed_pairs}
    unlisted = sorted(found - listed)
    shown = [_pair(a, b, sigs.of(a, ""), sigs.of(b, "")) for a, b in unlisted[:examples]]
    return Scan(corpus.name, len(corpus.texts), len(found), len(listed), len(found & listed), shown)


def evaluate(corpora: list[Corpus], sample_size: int = DEFAULT_SAMPLE, seed: int = DEFAULT_SEED,
             with_scan: bool = True) -> DedupReport:
    report = DedupReport()
    for corpus in corpora:
        sigs = _Signatures()
        sample = _sample(corpus, sample_size, random.Random(f"{seed}:{corpus.name}"))
        report.sets.append(_listed_set(corpus, sigs, report))
        report.sets.extend(_edited_sets(corpus, sample, sigs, seed))
        report.sets.append(_negative_set(corpus, sample, sigs, report))
        if with_scan:
            report.scans.append(scan(corpus, sigs))
    return report
