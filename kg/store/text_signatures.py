"""What makes two article texts near-duplicates: word shingles, their MinHash signature (datasketch) and the LSH
band keys that find candidates, then the exact Jaccard similarity that decides.

The one definition of "identical or lightly edited copy", used by the writer (kg.store.duplicates) and measured by
`kg dedup eval` (ingest.dedup). Invariants:
- a text's shingles are its runs of `SHINGLE_WORDS` consecutive words, case- and accent-folded (kg.model.fold), so
  typography and case do not matter and word order does;
- two texts are candidates when they share at least `MIN_SHARED_BANDS` LSH band keys: MinHash LSH with `NUM_PERM`
  permutations cut into datasketch's optimal bands for `LSH_THRESHOLD`; two shared bands, not one, so that the
  many unrelated pairs that share one band by chance (about 1 in 200 at Jaccard 0.01) are not read at all;
- a candidate is a copy when the exact Jaccard similarity of the shingle sets is >= `DUPLICATE_THRESHOLD`
  (identical or lightly edited), or when >= `CONTAINED_THRESHOLD` of the shorter text's shingles are in the
  longer one (a wire story republished with paragraphs added); LSH only keeps the number of candidates small, the
  thresholds are checked exactly, never estimated. Same-topic follow-ups that share a paragraph or two stay apart
  (the hardest such pairs of the BBC corpus: Jaccard <= 0.42, containment <= 0.67; docs/corroboration.md);
- texts with fewer than `MIN_SHINGLES` shingles get no band keys: a headline-sized text says too little to call
  two articles copies of each other.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from datasketch import MinHash, MinHashLSH

from kg.model import fold

SHINGLE_WORDS = 3
NUM_PERM = 128
LSH_THRESHOLD = 0.15  # datasketch's bands for it (51 of 2 rows): a pair at Jaccard 0.24 is a candidate 95% of
# the time, so texts contained in longer ones (low Jaccard) are found too
DUPLICATE_THRESHOLD = 0.5  # exact Jaccard similarity from which a candidate is a copy (docs/corroboration.md)
CONTAINED_THRESHOLD = 0.8  # share of the shorter text's shingles found in the longer one
MIN_SHINGLES = 20
MIN_SHARED_BANDS = 2  # a pair at Jaccard 0.24 shares two of 51 bands 80 % of the time, at 0.34 99 %, at 0.5 ~100 %
SEED = 1  # MinHash permutations: fixed, since band keys are stored with the graph

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class TextSignature:
    """A text's shingles (for the exact check) and its LSH band keys (for the candidate lookup)."""

    shingles: frozenset[str]
    band_keys: tuple[str, ...]  # empty for a text shorter than MIN_SHINGLES shingles


def shingles(text: str) -> frozenset[str]:
    words = _WORD.findall(fold(text))
    if len(words) < SHINGLE_WORDS:
        return frozenset([" ".join(words)]) if words else frozenset()
    return frozenset(" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1))


@cache
def _bands() -> list[tuple[int, int]]:
    """datasketch's band ranges for LSH_THRESHOLD and NUM_PERM (false positives and negatives weighed equally)."""
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    return list(lsh.hashranges)


@cache
def _permutations() -> MinHash:
    return MinHash(num_perm=NUM_PERM, seed=SEED)


def band_keys(shingle_set: frozenset[str]) -> tuple[str, ...]:
    """One key per LSH band: `b<band>x<hash of the band's MinHash values>` (letters and digits only, so a
    whitespace-analysed full-text index keeps each key as one term)."""
    if len(shingle_set) < MIN_SHINGLES:
        return ()
    minhash = _permutations().copy()
    minhash.update_batch([s.encode("utf-8") for s in sorted(shingle_set)])
    values = minhash.digest()
    return tuple(f"b{i}x{hashlib.blake2b(values[start:end].tobytes(), digest_size=8).hexdigest()}"
                 for i, (start, end) in enumerate(_bands()))


def signature(text: str) -> TextSignature:
    found = shingles(text)
    return TextSignature(shingles=found, band_keys=band_keys(found))


def are_candidates(a: Sequence[str], b: Sequence[str]) -> bool:
    """Whether two texts' band keys make them worth the exact check."""
    return len(set(a) & set(b)) >= MIN_SHARED_BANDS


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def containment(a: frozenset[str], b: frozenset[str]) -> float:
    """The share of the smaller set found in the larger one."""
    smaller = min(len(a), len(b))
    return len(a & b) / smaller if smaller else 0.0


def similar_enough(a: frozenset[str], b: frozenset[str]) -> bool:
    """The exact check on two shingle sets (each of at least MIN_SHINGLES)."""
    return jaccard(a, b) >= DUPLICATE_THRESHOLD or containment(a, b) >= CONTAINED_THRESHOLD


def is_duplicate(a: TextSignature, b: TextSignature) -> bool:
    """Whether two texts are copies of one another (both long enough to have band keys, similar enough)."""
    return bool(a.band_keys and b.band_keys) and similar_enough(a.shingles, b.shingles)
