"""What one poll of any source needs: where articles go, how to fetch, whom to tell, when to stop, how to save."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ingest.watch.events import Notify
from ingest.watch.fetch import PoliteClient
from ingest.watch.sink import ArticleSink
from ingest.watch.stop import StopFlag


@dataclass(frozen=True)
class PollContext:
    sink: ArticleSink
    client: PoliteClient
    notify: Notify
    stop: StopFlag
    save: Callable[[], None]  # persists the whole watch state (atomically)
    max_seen_per_feed: int
