"""Cross-article entity resolution: after extraction, each article's entities are linked to the entities already
in the graph (or earlier in the run) that they are, as `EntityMerge` decisions the writer applies.

On by default in `kg ingest` and `POST /v1/articles`; `KG_RESOLUTION=off` turns it off. See docs/resolution.md."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from ingest.resolution.index import GraphCandidates
from ingest.resolution.resolver import MERGE_THRESHOLD, Resolver, curated_ids
from kg.model import ArticleExtraction
from kg.store.connection import GraphConnection

RESOLUTION_SETTING = "KG_RESOLUTION"
_OFF_VALUES = frozenset({"off", "0", "false", "no"})

__all__ = ["MERGE_THRESHOLD", "Resolver", "resolution_enabled", "resolve_extractions"]


def resolution_enabled() -> bool:
    return os.environ.get(RESOLUTION_SETTING, "on").strip().lower() not in _OFF_VALUES


def resolve_extractions(conn: GraphConnection,
                        extractions: Iterable[ArticleExtraction]) -> Iterator[ArticleExtraction]:
    """The same extractions, in order, each with its merges appended (unchanged when resolution is off). One
    resolver serves the whole run, so an article is linked to the earlier ones even before they are written."""
    if not resolution_enabled():
        yield from extractions
        return
    resolver = Resolver()
    resolver.graph = GraphCandidates(conn, curated_ids(resolver.kb))
    for extraction in extractions:
        yield resolver.resolve(extraction)
