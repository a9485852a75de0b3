"""Articles re-read by a new extractor version that found exactly what is stored: nothing of theirs is rewritten.

Re-ingesting under a new extractor version used to replace every article's evidence and recompute every fact it
supports, even when the new version reads the same facts with the same qualifiers from the same sentences (the
common case: a new version changes a few rules). The writer now compares first. An article is left as it is (only
its `extractorVersion` is written) when, read again:
- its text and metadata are the stored ones (only the extractor version differs), it has been compared for
  duplicates already and brings no entity merge (kg.store.writer checks these);
- it parks no evidence and has none parked (curation's share of the article is then untouched);
- its evidence rows are, id for id, exactly the stored Evidence nodes (every property, kg.store.stored_form).
Then every fact it supports has the same evidence set as before, so no fact, interval or change-feed entry can
change: the writer skips them (no write, no feed entry), and the graph is the one a full rewrite gives."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from neo4j import ManagedTransaction

from kg.store import cypher
from kg.store.stored_form import stored_form

Row = dict[str, Any]


def identical(tx: ManagedTransaction, candidates: Mapping[str, Mapping[str, Row]]) -> set[str]:
    """Of `candidates` (article id -> its new evidence rows by evidence id), the articles whose stored evidence is
    exactly those rows and which have no parked evidence."""
    if not candidates:
        return set()
    found: set[str] = set()
    for record in tx.run(cypher.ARTICLES_EVIDENCE, articleIds=sorted(candidates)):
        new = candidates[record["articleId"]]
        stored = {e["id"]: stored_form(e) for e in record["evidence"]}
        if (record["parked"] == 0 and len(record["evidence"]) == len(new)
                and stored == {ev_id: stored_form(row) for ev_id, row in new.items()}):
            found.add(record["articleId"])
    return found
