"""`kg dedup index`: an existing graph's articles compared and clustered as if written now, and the facts they
support given their sources (`sourceCount`, `languages`), idempotently.

Articles written before duplicate detection (or with it off) carry no `duplicateBands`; they are taken oldest
publication first, `batch_size` per transaction, each put in the cluster of the article it copies among those
compared before it (kg.store.duplicates.assign, the writer's own step), and every fact they support is recomputed
by the writer's rule. A second run finds nothing left to compare.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from neo4j import ManagedTransaction

from kg.model import Article
from kg.store import duplicate_cypher, duplicates
from kg.store.connection import GraphConnection
from kg.store.schema import apply_schema
from kg.store.writer import recompute_facts

DEFAULT_BATCH_SIZE = 200


@dataclass
class IndexReport:
    articles: int = 0  # compared
    joined: int = 0  # of them, put in a cluster
    facts: int = 0  # recomputed


def _index_batch(tx: ManagedTransaction, articles: list[Article]) -> IndexReport:
    roots = duplicates.assign(tx, articles, [])
    by_predicate: dict[str, set[str]] = defaultdict(set)
    for record in tx.run(duplicate_cypher.FACTS_OF_ARTICLES, ids=[a.id for a in articles]):
        by_predicate[record["predicate"]].add(record["factId"])
    for predicate, fact_ids in sorted(by_predicate.items()):
        recompute_facts(tx, predicate, sorted(fact_ids))
    return IndexReport(len(articles), len(roots), sum(len(ids) for ids in by_predicate.values()))


def index_stored_articles(conn: GraphConnection, batch_size: int = DEFAULT_BATCH_SIZE,
                          on_batch: Callable[[IndexReport], None] | None = None) -> IndexReport:
    apply_schema(conn)
    total = IndexReport()
    while rows := conn.read(duplicate_cypher.UNCOMPARED_ARTICLES, {"limit": batch_size}):
        articles = [Article(id=r["id"], text=r["text"] or "", published=r["published"]) for r in rows]
        done = conn.write(_index_batch, articles)
        total.articles += done.articles
        total.joined += done.joined
        total.facts += done.facts
        if on_batch:
            on_batch(total)
    return total
