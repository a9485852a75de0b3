"""Articles in, extractions out, in batches: the one path `kg ingest`, `kg extract` and `kg eval` share.

The extractor runs through `ingest.extractor.extract_many` (spaCy batching) when it exists, else `extract`. If a
batch fails, its articles are retried one by one so that one article the extractor cannot handle is reported on
its own (`RefusedInput`) and the others still go through. A missing model or setting (ConfigurationError) stops
the run: retrying would fail the same way for every article."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from ingest.loaders import RefusedInput, expand_paths, read_source
from ingest.loaders.source import SourceFile
from kg.errors import ConfigurationError
from kg.model import Article, ArticleExtraction

log = logging.getLogger(__name__)
BATCH_SIZE = 32


def _extractor() -> tuple[Callable[[Article], ArticleExtraction],
                          Callable[[Iterable[Article]], Iterable[ArticleExtraction]] | None]:
    from ingest import extractor

    return extractor.extract, getattr(extractor, "extract_many", None)


def extractor_version() -> str:
    from ingest.extractor import EXTRACTOR_VERSION

    return EXTRACTOR_VERSION


def _one_by_one(articles: list[Article],
                extract: Callable[[Article], ArticleExtraction]) -> Iterator[ArticleExtraction | RefusedInput]:
    for article in articles:
        try:
            yield extract(article)
        except ConfigurationError:
            raise
        except Exception as exc:  # one article's failure is reported with it; the batch goes on
            log.warning("the extractor failed on article %s", article.id, exc_info=True)
            yield RefusedInput(article.source or article.id, f"article {article.id}: the extractor failed on it "
                                                             f"({type(exc).__name__}: {exc}); please report this")


def extract_articles(articles: Iterable[Article],
                     batch_size: int = BATCH_SIZE) -> Iterator[ArticleExtraction | RefusedInput]:
    """Extractions in input order; an article the extractor fails on gives a RefusedInput instead."""
    extract, extract_many = _extractor()
    iterator = iter(articles)
    while batch := list(islice(iterator, batch_size)):
        if extract_many is None:
            yield from _one_by_one(batch, extract)
            continue
        try:
            results = list(extract_many(batch))
        except ConfigurationError:
            raise
        except Exception:  # find the culprit article by retrying one by one
            log.info("a batch of %d articles failed; retrying them one by one", len(batch), exc_info=True)
            yield from _one_by_one(batch, extract)
            continue
        if len(results) != len(batch):
            raise RuntimeError(f"extract_many returned {len(results)} extractions for {len(batch)} articles")
        yield from results


@dataclass
class ReadProgress:
    files_total: int
    files_done: int = 0
    articles_read: int = 0


@dataclass
class InputBatch:
    """The files under some paths, read lazily; refusals collect as reading goes."""

    sources: list[SourceFile]
    refused: list[RefusedInput] = field(default_factory=list)

    @classmethod
    def from_paths(cls, paths: Iterable[Path]) -> InputBatch:
        batch = cls([])
        for item in expand_paths(paths):
            (batch.refused if isinstance(item, RefusedInput) else batch.sources).append(item)
        return batch

    def articles(self, progress: ReadProgress | None = None) -> Iterator[Article]:
        """Every article of every file in order; `progress` (if given) counts files and articles as they go."""
        progress = progress or ReadProgress(len(self.sources))
        for source in self.sources:
            for item in read_source(source):
                if isinstance(item, RefusedInput):
                    self.refused.append(item)
                else:
                    progress.articles_read += 1
                    yield item
            progress.files_done += 1
