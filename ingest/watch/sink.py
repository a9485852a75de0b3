"""Where the watcher's articles go: the same extractor and writer as `kg ingest`, one article per transaction.

An article stored unchanged (same text, extractor version and metadata) is skipped before extraction, as
`kg ingest` does, so a restart that meets an article again costs one lookup."""

from __future__ import annotations

from ingest.batch import extract_articles, extractor_version
from ingest.loaders import RefusedInput
from ingest.watch.events import Stored
from kg.errors import InputError
from kg.model import Article
from kg.store import GraphWriter
from kg.store.connection import GraphConnection


class ArticleSink:
    def __init__(self, conn: GraphConnection) -> None:
        self._writer = GraphWriter(conn, extractor_version=extractor_version())

    def put(self, article: Article) -> Stored:
        """Extract and write `article` unless it is stored unchanged; InputError when the extractor fails on it
        (nothing is written). Graph errors (Neo4j down) propagate: the caller retries later."""
        if self._writer.unchanged([article]):
            return "unchanged"
        [extraction] = list(extract_articles([article]))
        if isinstance(extraction, RefusedInput):
            raise InputError(extraction.reason)
        result = self._writer.write(extraction)
        return "unchanged" if result.articles_unchanged else "written"
