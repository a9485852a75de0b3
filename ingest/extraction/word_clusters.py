"""Word clusters from a spaCy pipeline's static vectors, as sparse features for the relation classifier.

A word's cluster is the sign pattern of its vector projected on `bits` random hyperplanes (random-projection
hashing, seeded): words with close vectors ("racheter", "acquérir") tend to share a cluster, so what training
teaches about one reaches the other. Only static vectors count (`fr_core_news_md` has them; a pipeline without
them, like `en_core_web_sm`, gives no cluster rather than its context-dependent tensor, which would make a word's
cluster depend on its sentence). Deterministic: the hyperplanes depend on the seed and the width alone."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

CONTENT_POS = frozenset({"NOUN", "VERB", "ADJ", "ADV"})


class WordClusters:
    """Cluster ids of the words of a vocabulary with static vectors (None when it has none)."""

    def __init__(self, vocab: Vocab, bits: int, seed: int = 0) -> None:
        self.vectors = vocab.vectors
        width = self.vectors.shape[1] if self.vectors.size else 0
        self.planes = np.random.default_rng(seed).standard_normal((width, bits)).astype(np.float32)
        self._cache: dict[int, str | None] = {}

    @property
    def available(self) -> bool:
        return self.planes.shape[0] > 0 and self.planes.shape[1] > 0

    def of(self, tok: Token) -> str | None:
        key = tok.lex.orth if tok.lex.orth in self.vectors else tok.lex.lower
        if key not in self._cache:
            if not self.available or key not in self.vectors:
                self._cache[key] = None
            else:
                signs = (np.asarray(self.vectors[key], dtype=np.float32) @ self.planes) > 0
                self._cache[key] = "".join("1" if s else "0" for s in signs)
        return self._cache[key]


def cluster_features(clusters: WordClusters, doc: Doc, between: Sequence[int], ancestor: int | None) -> list[str]:
    """Clusters of the content words between the two mentions and of their lowest common ancestor, each at two
    grains: the full code and its first half (a prefix of the bits is a coarser projection)."""
    out = set()
    for i in between:
        if doc[i].pos_ in CONTENT_POS and (c := clusters.of(doc[i])) is not None:
            out.update((f"bwc={c}", f"bwc={c[:len(c) // 2]}"))
    if ancestor is not None and (c := clusters.of(doc[ancestor])) is not None:
        out.update((f"lcac={c}", f"lcac={c[:len(c) // 2]}"))
    return sorted(out)
