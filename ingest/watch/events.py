"""What the watcher reports while it runs: the command line draws them, tests collect them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

Stored = Literal["written", "unchanged"]  # what writing an article did


@dataclass(frozen=True)
class ArticleStored:
    source: str  # the feed URL or folder
    article_id: str
    outcome: Stored


@dataclass(frozen=True)
class InputRefused:
    """An item or file that will not become an article (no text, unreadable, the extractor failed on it)."""

    source: str
    what: str
    reason: str


@dataclass(frozen=True)
class SourcePolled:
    source: str
    not_modified: bool  # the server answered 304
    new_items: int  # new or changed items or files found


@dataclass(frozen=True)
class SourceFailed:
    """A poll failed: the source is tried again after `retry_in` seconds (backoff)."""

    source: str
    reason: str
    errors: int  # consecutive failures, this one included
    retry_in: float


WatchEvent = ArticleStored | InputRefused | SourcePolled | SourceFailed
Notify = Callable[[WatchEvent], None]
