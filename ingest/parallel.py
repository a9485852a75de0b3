"""Extraction on several processes (`kg ingest --workers N`) or on a Dask cluster (`kg ingest --cluster ADDRESS`).

Only extraction moves out: articles go to the workers in chunks, extractions come back *in input order*, and the
calling process writes them with the usual batched, idempotent `GraphWriter` (one writer per ingest run; several
runs against one Neo4j are safe because every write is a MERGE on a unique key, in a transaction the driver retries
on transient errors such as deadlocks). Each worker process loads the spaCy pipelines once and keeps them for every
chunk it is given. At most `workers × IN_FLIGHT_PER_WORKER` chunks are out at a time, so memory stays bounded
whatever the size of the input.

Why Dask rather than Ray for more than one machine: `distributed` is pure Python from PyPI (no compiled core, no
object store to size), a cluster is `dask scheduler` plus `dask worker ADDRESS` on each machine, and its futures
API is all this needs. See docs/scaling.md."""

from __future__ import annotations

import logging
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice

from ingest.batch import BATCH_SIZE, extract_articles
from ingest.loaders import RefusedInput
from kg.errors import ConfigurationError, KgError
from kg.model import Article, ArticleExtraction

log = logging.getLogger(__name__)

IN_FLIGHT_PER_WORKER = 2
Extracted = ArticleExtraction | RefusedInput
Extractor = Callable[[Iterable[Article]], Iterator[Extracted]]


class ParallelExtractionError(KgError):
    """A worker process or the cluster failed while extracting."""


def extract_chunk(articles: list[Article]) -> list[Extracted]:
    """What a worker runs: one chunk of articles through the ordinary extraction path."""
    return list(extract_articles(articles, batch_size=len(articles) or 1))


def _chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(articles)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _in_order(submit: Callable[[list[Article]], Future], articles: Iterable[Article], chunk_size: int,
              in_flight: int, result_of: Callable[[Future], list[Extracted]]) -> Iterator[Extracted]:
    """Submit chunks ahead (at most `in_flight` waiting) and yield their results in the order of the input."""
    pending: deque[Future] = deque()
    for chunk in _chunks(articles, chunk_size):
        pending.append(submit(chunk))
        while len(pending) >= in_flight:
            yield from result_of(pending.popleft())
    while pending:
        yield from result_of(pending.popleft())


def extract_with_processes(articles: Iterable[Article], workers: int,
                           chunk_size: int = BATCH_SIZE) -> Iterator[Extracted]:
    """Extract on `workers` local processes (spawned: no driver or thread state is copied into them)."""
    if workers < 1:
        raise ConfigurationError(f"--workers must be 1 or more, not {workers}.")
    if workers == 1:
        yield from extract_articles(articles, batch_size=chunk_size)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:

        def result_of(future: Future) -> list[Extracted]:
            try:
                return future.result()
            except BrokenProcessPool as exc:
                raise ParallelExtractionError(
                    "An extraction worker process died (often: out of memory); run again with fewer --workers."
                ) from exc

        yield from _in_order(lambda chunk: pool.submit(extract_chunk, chunk), articles, chunk_size,
                             workers * IN_FLIGHT_PER_WORKER, result_of)


def cluster_client(address: str, timeout: float = 20.0):
    """A Dask client for the scheduler at `address` (tcp://host:8786), with a clear error when none answers."""
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - distributed is a dependency
        raise ConfigurationError("Dask distributed is not installed: run `pip install distributed`.") from exc
    try:
        return Client(address, timeout=f"{timeout}s")
    except (OSError, TimeoutError) as exc:
        raise ConfigurationError(
            f"No Dask scheduler answers at {address}: start one with `dask scheduler` and workers with "
            f"`dask worker {address}` (same Python environment as here), or check the address."
        ) from exc


def extract_on_cluster(articles: Iterable[Article], client, chunk_size: int = BATCH_SIZE) -> Iterator[Extracted]:
    """Extract on the workers of a Dask cluster; results in input order."""
    workers = max(1, len(client.scheduler_info().get("workers", {})))

    def result_of(future) -> list[Extracted]:
        try:
            return future.result()
        except KgError:
            raise
        except Exception as exc:  # a lost worker, a failed task: say where to look
            raise ParallelExtractionError(
                f"A Dask task failed ({type(exc).__name__}: {exc}); check the workers' logs and that they run "
                "the same version of this project."
            ) from exc

    # pure=False: the same chunk submitted twice (re-ingest) is extracted again rather than served from a cache.
    yield from _in_order(lambda chunk: client.submit(extract_chunk, chunk, pure=False), articles, chunk_size,
                         workers * IN_FLIGHT_PER_WORKER, result_of)


def parallel_extractor(workers: int = 1, cluster: str | None = None, chunk_size: int = BATCH_SIZE,
                       cluster_timeout: float = 20.0) -> Extractor:
    """The extraction function `ingest_paths` should use for these options (`cluster` wins over `workers`)."""
    if cluster:
        def on_cluster(articles: Iterable[Article]) -> Iterator[Extracted]:
            client = cluster_client(cluster, cluster_timeout)
            try:
                yield from extract_on_cluster(articles, client, chunk_size)
            finally:
                client.close()

        return on_cluster
    if workers < 1:
        raise ConfigurationError(f"--workers must be 1 or more, not {workers}.")
    return lambda articles: extract_with_processes(articles, workers, chunk_size)
