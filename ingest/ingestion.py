"""Files to graph: read every input, extract facts in batches, write each article in its own transaction.

A file, line or entry that cannot be read, and an article the extractor fails on, are refused with a reason and
the run goes on; nothing of a refused article reaches Neo4j, and each article is all-or-nothing (the writer's one
transaction per article). Progress goes to a callback, so the command line can draw a bar and tests can listen."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from kg.store import GraphWriter, WriteResult
from kg.store.connection import GraphConnection

from ingest.batch import InputBatch, ReadProgress, extract_articles, extractor_version
from ingest.loaders import RefusedInput


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

    @property
    def nothing_read(self) -> bool:
        return self.articles_read == 0


def ingest_paths(conn: GraphConnection, paths: Iterable[Path],
                 on_progress: Callable[[IngestProgress], None] | None = None) -> IngestReport:
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

    writer = GraphWriter(conn, extractor_version=extractor_version())
    for item in extract_articles(batch.articles(reading)):
        if isinstance(item, RefusedInput):
            report.refused.append(item)
        else:
            report.written.add(writer.write(item))
        progress.articles_done += 1
        tick()
    tick()
    report.articles_read = reading.articles_read
    report.refused[:0] = batch.refused
    report.elapsed = progress.elapsed
    return report
