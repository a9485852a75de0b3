"""What the watcher remembers between passes and across restarts, in one JSON file per graph.

The file lives in the state folder (`--state-dir`, KG_WATCH_STATE_DIR) and is named after the graph's address, so
watching into another graph starts from nothing instead of skipping items that graph never received. It is
replaced atomically (written beside, flushed to disk, renamed over): a crash leaves the old or the new state,
never half of one. A lock file keeps a second `kg watch` off the same state while the first runs.

Invariant kept by the pollers: an item or file enters `seen`/`files` only after its article is written."""

from __future__ import annotations

import fcntl
import os
import tempfile
from pathlib import Path
from typing import IO, Literal

from pydantic import BaseModel, Field, ValidationError

from kg.errors import KgError
from kg.model import slugify


class WatchStateError(KgError):
    """The state folder cannot be used: locked by another `kg watch`, unreadable, or holding a damaged file."""


class SourceState(BaseModel):
    """When a source was last polled and how many polls in a row failed (the schedule reads these)."""

    last_attempt: float = 0.0  # epoch seconds of the last poll, successful or not; 0 = never
    errors: int = 0  # consecutive failed polls; 0 after a success
    retry_not_before: float = 0.0  # a server's Retry-After, as epoch seconds
    last_error: str | None = None


class FeedState(SourceState):
    etag: str | None = None
    last_modified: str | None = None
    seen: dict[str, str] = Field(default_factory=dict)  # item key -> fingerprint of the version written, oldest first

    def forget_oldest(self, keep: int, in_feed: set[str]) -> None:
        """Keep at most `keep` fingerprints, dropping the oldest of the items no longer in the feed; an item that
        comes back after being forgotten is read again and skipped by the writer as unchanged."""
        excess = len(self.seen) - keep
        for key in [k for k in self.seen if k not in in_feed][:max(excess, 0)]:
            del self.seen[key]


class FolderState(SourceState):
    files: dict[str, str] = Field(default_factory=dict)  # path relative to the folder -> fingerprint read


class WatchState(BaseModel):
    version: Literal[1] = 1
    graph: str = ""
    feeds: dict[str, FeedState] = Field(default_factory=dict)  # by feed URL
    folders: dict[str, FolderState] = Field(default_factory=dict)  # by absolute path

    def feed(self, url: str) -> FeedState:
        return self.feeds.setdefault(url, FeedState())

    def folder(self, path: str) -> FolderState:
        return self.folders.setdefault(path, FolderState())


def graph_key(uri: str, database: str) -> str:
    """`bolt://127.0.0.1:7687` + `neo4j` → `bolt-127-0-0-1-7687-neo4j`: the state file's name."""
    return slugify(f"{uri} {database}")


class StateFile:
    """The state of one graph's watcher. Use as a context manager: it holds the folder's lock while open."""

    def __init__(self, folder: Path, graph: str) -> None:
        self.folder = folder
        self.graph = graph
        self.path = folder / f"{graph}.json"
        self._lock: IO[str] | None = None

    def __enter__(self) -> StateFile:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._lock = (self.folder / f"{self.graph}.lock").open("w")
        except OSError as exc:
            raise WatchStateError(f"state folder {self.folder} cannot be used ({exc.strerror or exc}); give "
                                  "another one with --state-dir or KG_WATCH_STATE_DIR") from exc
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            self._lock.close()
            raise WatchStateError(f"another kg watch is using {self.path}; stop it, or give this one another "
                                  "--state-dir") from exc
        return self

    def __exit__(self, *exc: object) -> None:
        if self._lock is not None:
            self._lock.close()  # closing releases the lock
            self._lock = None

    def load(self) -> WatchState:
        """The saved state, or an empty one the first time."""
        try:
            return WatchState.model_validate_json(self.path.read_bytes())
        except FileNotFoundError:
            return WatchState(graph=self.graph)
        except (OSError, ValidationError) as exc:
            raise WatchStateError(f"the watch state {self.path} cannot be read ({type(exc).__name__}); move it "
                                  "aside to start afresh (every item is then read again and skipped by the "
                                  "writer if unchanged)") from exc

    def save(self, state: WatchState) -> None:
        """Replace the file atomically: a temporary file in the same folder, fsynced, renamed over the old one."""
        data = state.model_dump_json(indent=1).encode("utf-8")
        handle, temporary = tempfile.mkstemp(prefix=f".{self.graph}.", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
