"""The watch loop: poll each source when it is due, record success or failure, sleep until the next one is due.

A source's failure (HTTP error, timeout, not a feed, folder gone, Neo4j unreachable) is reported once per poll
and puts that source in backoff; the other sources go on. Errors that no retry can mend (a missing model, wrong
Neo4j credentials, an unusable state folder) end the run."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from ingest.watch.context import PollContext
from ingest.watch.events import Notify, SourceFailed
from ingest.watch.feed_poll import poll_feed
from ingest.watch.fetch import FetchFailed, PoliteClient
from ingest.watch.folder_poll import poll_folder
from ingest.watch.schedule import due_at, record_failure, record_success
from ingest.watch.settings import WatchSettings
from ingest.watch.sink import ArticleSink
from ingest.watch.sources import FeedSource, WatchSource
from ingest.watch.state import SourceState, StateFile, WatchState, graph_key
from ingest.watch.stop import StopFlag
from kg.errors import GraphQueryError, InputError, KgError, Neo4jUnavailableError
from kg.store.connection import GraphConnection

RETRIED_ERRORS = (FetchFailed, InputError, Neo4jUnavailableError, GraphQueryError)


class Watcher:
    def __init__(self, sources: Sequence[WatchSource], state: WatchState, ctx: PollContext,
                 settings: WatchSettings, clock: Callable[[], float] = time.time) -> None:
        self.sources = list(sources)
        self.state = state
        self.ctx = ctx
        self.settings = settings
        self.clock = clock

    def interval_of(self, source: WatchSource) -> float:
        return source.interval or self.settings.interval

    def state_of(self, source: WatchSource) -> SourceState:
        if isinstance(source, FeedSource):
            return self.state.feed(source.key)
        return self.state.folder(source.key)

    def due_at(self, source: WatchSource) -> float:
        return due_at(self.state_of(source), self.interval_of(source), self.settings.backoff_cap)

    def poll(self, source: WatchSource) -> None:
        """Poll one source now; a failure is recorded, reported and scheduled for a retry, never raised."""
        state = self.state_of(source)
        started = self.clock()
        try:
            if isinstance(source, FeedSource):
                poll_feed(source, self.state.feed(source.key), self.ctx)
            else:
                poll_folder(source, self.state.folder(source.key), self.ctx)
        except RETRIED_ERRORS as exc:
            self._failed(source, state, started, exc)
        else:
            record_success(state, started)
        self.ctx.save()

    def _failed(self, source: WatchSource, state: SourceState, started: float, error: KgError) -> None:
        record_failure(state, started, error, error.retry_after if isinstance(error, FetchFailed) else None)
        self.ctx.notify(SourceFailed(source.key, str(error), state.errors, self.due_at(source) - started))

    def run_pass(self, due_only: bool) -> None:
        """Poll every source (or only those due), in order, until a stop is requested."""
        for source in self.sources:
            if self.ctx.stop.requested:
                return
            if not due_only or self.due_at(source) <= self.clock():
                self.poll(source)

    def next_due(self) -> float:
        return min(self.due_at(source) for source in self.sources)

    def run(self, once: bool) -> None:
        """`once`: poll every source one time, due or not. Otherwise poll what is due, sleep until the next
        source is due, and again, until a stop is requested."""
        if once:
            self.run_pass(due_only=False)
            return
        while not self.ctx.stop.requested:
            self.run_pass(due_only=True)
            self.ctx.stop.sleep(max(0.0, self.next_due() - self.clock()))


def run_watch(conn: GraphConnection, sources: Sequence[WatchSource], settings: WatchSettings, notify: Notify,
              stop: StopFlag, once: bool = False) -> Path:
    """Watch `sources` into the graph behind `conn` until done (`once`) or stopped; returns the state file.
    The state is saved after every item and on the way out, whatever the way out."""
    with StateFile(settings.state_dir, graph_key(conn.uri, conn.database)) as store, \
            PoliteClient(settings) as client:
        state = store.load()
        ctx = PollContext(sink=ArticleSink(conn), client=client, notify=notify, stop=stop,
                          save=lambda: store.save(state), max_seen_per_feed=settings.max_seen_per_feed)
        try:
            Watcher(sources, state, ctx, settings).run(once)
        finally:
            store.save(state)
        return store.path
