"""Duplicate article clusters, kept right by every write and retraction (called by kg.store.writer in the same
transaction).

Invariants (docs/corroboration.md):
- a cluster is a root article and the members that point to it: `(member)-[:DUPLICATE_OF]->(root)`, one hop, the
  root pointing nowhere; an article is in at most one cluster;
- the root is the cluster's first-stored article: an article written later that is a copy
  (kg.store.text_signatures.is_duplicate) of any member joins that member's cluster, pointing to its root, never
  starting a new one; two clusters are never merged (a copy of members of two clusters joins the most similar);
- an article that leaves (retracted, or edited and compared again) takes only itself out: when it was a root, the
  other members stay one cluster under the earliest published of them (ties: smallest id);
- the index persists with the graph: each article's LSH band keys are stored on it (`duplicateBands`, "" for a
  text too short to compare, absent for an article never compared: see `kg dedup index`) behind a full-text
  index, so a write looks up the candidates of its articles with one index query per batch, whatever the number
  of articles stored (no signature is loaded in memory), and candidates are checked exactly on their stored text.
  Articles stored at the same time by concurrent transactions do not see each other.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from neo4j import ManagedTransaction

from kg.model import Article
from kg.store import duplicate_cypher
from kg.store.text_signatures import (
    TextSignature,
    are_candidates,
    containment,
    jaccard,
    shingles,
    signature,
    similar_enough,
)

MAX_CANDIDATES = 20  # stored articles compared with each new one (those sharing the most band keys)


@dataclass(frozen=True)
class _Candidate:
    """An article sharing a band key with the one being placed (so long enough to have band keys): only its
    shingles are needed for the exact check."""

    article_id: str
    root_id: str
    shingles: frozenset[str]


@dataclass(frozen=True)
class DuplicateLink:
    article_id: str
    root_id: str
    similarity: float  # the higher of Jaccard similarity and containment with the member it copies


def release(tx: ManagedTransaction, article_ids: Sequence[str]) -> None:
    """Take these articles out of their clusters (the other members of a cluster they rooted stay together)."""
    if article_ids:
        ids = list(article_ids)
        tx.run(duplicate_cypher.PROMOTE_HEIRS, ids=ids)
        tx.run(duplicate_cypher.UNLINK, ids=ids)


@dataclass(frozen=True)
class StoredCandidates:
    """For each article of a batch, the stored articles sharing enough band keys with it (`are_candidates`), found
    by `look_up`; their texts and roots are read by `assign`, after the batch's old places are released."""

    signatures: dict[str, TextSignature]
    pairs: list[tuple[str, str]]  # (article id, candidate id)


def look_up(tx: ManagedTransaction, articles: Sequence[Article]) -> StoredCandidates:
    """The band lookup of `assign`, for a writer to run before it writes these articles (the full-text query is
    then not slowed by the transaction's own changes to the index)."""
    signatures = {a.id: signature(a.text) for a in articles}
    rows = [{"id": aid, "query": " ".join(sig.band_keys)} for aid, sig in signatures.items() if sig.band_keys]
    pairs: list[tuple[str, str]] = []
    if rows:
        for record in tx.run(duplicate_cypher.CANDIDATES, rows=rows, limit=MAX_CANDIDATES,
                             batchIds=list(signatures)):
            if are_candidates(signatures[record["articleId"]].band_keys, (record["bands"] or "").split()):
                pairs.append((record["articleId"], record["candidateId"]))
    return StoredCandidates(signatures, pairs)


def assign(tx: ManagedTransaction, articles: Sequence[Article], stored_before: Sequence[str],
           compare: bool = True, found: StoredCandidates | None = None) -> dict[str, str]:
    """Put each article (already merged in this transaction) in the cluster of the stored or earlier batch article
    it copies, if any, and store its band keys. `stored_before`: those of them that were stored already (their
    old place is released first). `found`: their `look_up`, if done before they were written. Returns article id
    -> root id for the articles that joined a cluster. With `compare` off, the articles only leave their old
    clusters (and keep no band keys)."""
    release(tx, stored_before)
    if not compare:
        tx.run(duplicate_cypher.SET_BANDS, rows=[{"id": aid, "bands": None} for aid in stored_before])
        return {}
    found = found if found is not None else look_up(tx, articles)
    signatures = found.signatures
    stored = _stored_candidates(tx, found)
    links: list[DuplicateLink] = []
    roots: dict[str, str] = {}
    earlier: dict[str, list[str]] = defaultdict(list)  # band key -> batch articles having it
    for article in articles:
        sig = signatures[article.id]
        batch = {cid: _Candidate(cid, roots.get(cid, cid), signatures[cid].shingles)
                 for key in sig.band_keys for cid in earlier[key]
                 if are_candidates(sig.band_keys, signatures[cid].band_keys)}
        link = best_link(article.id, sig, [*stored.get(article.id, []), *batch.values()])
        if link is not None:
            links.append(link)
            roots[article.id] = link.root_id
        for key in sig.band_keys:
            earlier[key].append(article.id)
    tx.run(duplicate_cypher.SET_BANDS, rows=[{"id": a.id, "bands": " ".join(signatures[a.id].band_keys)}
                                             for a in articles])  # "" for a short text: compared, nothing to find
    if links:
        tx.run(duplicate_cypher.LINK_DUPLICATES, rows=[
            {"id": x.article_id, "rootId": x.root_id, "similarity": x.similarity} for x in links])
    return roots


def best_link(article_id: str, sig: TextSignature, candidates: Sequence[_Candidate]) -> DuplicateLink | None:
    """The link to the cluster of the most similar candidate that is a copy (ties: smaller root id), if any."""
    best: tuple[float, str] | None = None
    for candidate in candidates:
        if (candidate.article_id == article_id or not sig.band_keys
                or not similar_enough(sig.shingles, candidate.shingles)):
            continue
        similarity = max(jaccard(sig.shingles, candidate.shingles), containment(sig.shingles, candidate.shingles))
        key = (-similarity, candidate.root_id)
        if best is None or key < best:
            best = key
    return None if best is None else DuplicateLink(article_id, best[1], round(-best[0], 4))


def _stored_candidates(tx: ManagedTransaction, found: StoredCandidates) -> dict[str, list[_Candidate]]:
    """The candidates `look_up` found, with their cluster's root (as it is now) and their shingles (each text read
    and cut once)."""
    if not found.pairs:
        return {}
    texts: dict[str, frozenset[str]] = {}
    roots: dict[str, str] = {}
    for r in tx.run(duplicate_cypher.TEXTS, ids=sorted({cid for _, cid in found.pairs})):
        texts[r["id"]], roots[r["id"]] = shingles(r["text"] or ""), r["rootId"]
    candidates: dict[str, list[_Candidate]] = defaultdict(list)
    for article_id, cid in found.pairs:
        if cid in roots:
            candidates[article_id].append(_Candidate(cid, roots[cid], texts[cid]))
    return candidates
