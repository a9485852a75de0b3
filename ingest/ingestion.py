"""Files to graph: read every input, extract facts in batches, write them a batch of articles per transaction.

A file, line or entry that cannot be read, and an article the extractor fails on, are refused with a reason and
the run goes on; nothing of a refused article reaches Neo4j, and each transaction (a batch of articles) is all or
nothing. Progress goes to a callback, so the command line can draw a bar and tests can listen."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from ingest.batch import InputBatch, ReadProgress, extract_articles, extractor_version
from ingest.loaders import RefusedInput
from ingest.loaders.metadata import ArticleMetadata
from ingest.resolution import resolve_extractions
from kg.errors import KgError
from kg.model import Article, ArticleExtraction
from kg.store import GraphWriter, WriteResult
from kg.store.connection import GraphConnection

SKIP_LOOKUP_SIZE = 256  # articles looked up at once to skip the unchanged ones before extraction
WRITE_BATCH_SIZE = 64  # articles per transaction: a failed transaction leaves none of them half-written


@dataclass
class IngestProgress:
    files_total: int
    files_done: int = 0
    articles_done: int = 0
    elapsed: float = 0.0

    @property
    def articles_per_second(self) -> float:
        return self.articles_done / self.elapsed if self.elapsed > 0 else 0.0


@dataclass
class IngestReport:
    articles_read: int = 0
    written: WriteResult = field(default_factory=WriteResult)
    refused: list[RefusedInput] = field(default_factory=list)  # files, lines, entries and failed articles
    elapsed: float = 0.0
    skipped_before_extraction: int = 0  # stored unchanged: never extracted

    @property
    def nothing_read(self) -> bool:
        return self.articles_read == 0


def _changed_only(articles: Iterable[Article], writer: GraphWriter, report: IngestReport,
                  on_skip: Callable[[], None]) -> Iterator[Article]:
    """The articles not already stored exactly so (same text, extractor version and metadata), looked up
    `SKIP_LOOKUP_SIZE` at a time: the others are counted unchanged and never reach the extractor."""
    iterator = iter(articles)
    while chunk := list(islice(iterator, SKIP_LOOKUP_SIZE)):
        unchanged = writer.unchanged(chunk)
        for article in chunk:
            if article.id in unchanged:
                report.written.articles_unchanged += 1
                report.skipped_before_extraction += 1
                on_skip()
            else:
                yield article


def ingest_paths(conn: GraphConnection, paths: Iterable[Path],
                 on_progress: Callable[[IngestProgress], None] | None = None,
                 write_batch_size: int = WRITE_BATCH_SIZE,
                 extract_with: Callable[[Iterable], Iterable] | None = None,
                 metadata: ArticleMetadata | None = None) -> IngestReport:
    """Ingest every article under `paths`; articles are written `write_batch_size` to a transaction.
    `extract_with` replaces in-process extraction (ingest.parallel: worker processes or a Dask cluster);
    `metadata` (the command line's --published, --source, ...) is given to every article read. Articles stored
    unchanged are skipped before extraction."""
    batch = InputBatch.from_paths(paths)
    report = IngestReport()
    progress = IngestProgress(files_total=len(batch.sources))
    reading = ReadProgress(len(batch.sources))
    started = time.perf_counter()

    def tick() -> None:
        progress.files_done = reading.files_done
        progress.elapsed = time.perf_counter() - started
        if on_progress:
            on_progress(progress)

    def skipped() -> None:
        progress.articles_done += 1
        tick()

    writer = GraphWriter(conn, extractor_version=extractor_version())
    read = (metadata.applied_to(a) if metadata else a for a in batch.articles(reading))

    def extractions() -> Iterator[ArticleExtraction]:
        for item in (extract_with or extract_articles)(_changed_only(read, writer, report, skipped)):
            if isinstance(item, RefusedInput):
                report.refused.append(item)
                progress.articles_done += 1
                tick()
            else:
                yield item

    def on_article(_: ArticleExtraction, result: WriteResult) -> None:
        report.written.add(result)
        progress.articles_done += 1
        tick()

    writer.write_all(resolve_extractions(conn, extractions()), on_article=on_article, batch_size=write_batch_size)
    tick()
    report.articles_read = reading.articles_read
    report.refused[:0] = batch.refused
    report.elapsed = progress.elapsed
    return report


@dataclass
class ArticleWritten:
    """One article of `ingest_articles`: its extraction and what writing it did."""

    extraction: ArticleExtraction
    written: WriteResult


class ExtractionFailed(KgError):
    """The extractor failed on an article given to `ingest_articles`; nothing was written."""


def ingest_articles(conn: GraphConnection, articles: Sequence[Article],
                    write_batch_size: int = WRITE_BATCH_SIZE,
                    extract_with: Callable[[Iterable[Article]], Iterable[ArticleExtraction | RefusedInput]]
                    | None = None) -> list[ArticleWritten]:
    """Articles already read (the API's `POST /v1/articles`) to graph, through the same extraction and writer as
    `ingest_paths`: every article is extracted before any is written (an extractor failure raises
    `ExtractionFailed` and writes nothing), then they are written `write_batch_size` to a transaction. Returns one
    entry per article, in order."""
    extractions: list[ArticleExtraction] = []
    for item in (extract_with or extract_articles)(articles):
        if isinstance(item, RefusedInput):
            raise ExtractionFailed(f"The extractor failed on {item.reason.split(':')[0]}: nothing was written; send "
                                   "the other articles without it, and report it.")
        extractions.append(item)
    outcome: list[ArticleWritten] = []
    writer = GraphWriter(conn, extractor_version=extractor_version())
    writer.write_all(resolve_extractions(conn, extractions), on_article=lambda extraction, written: outcome.append(
        ArticleWritten(extraction, written)), batch_size=write_batch_size)
    return outcome
