"""One poll of one folder: every article file that is new or changed since it was last read (size and
modification time, its sidecar's included) is read by the normal loaders, its articles written, and only then
the file is marked read. Deleted files are left alone: their articles stay in the graph (`kg retract` takes
them out)."""

from __future__ import annotations

from pathlib import Path

from ingest.loaders import RefusedInput, expand_paths, read_source
from ingest.loaders.metadata import sidecar_of
from ingest.loaders.source import SourceFile
from ingest.watch.context import PollContext
from ingest.watch.events import ArticleStored, InputRefused, SourcePolled
from ingest.watch.sources import FolderSource
from ingest.watch.state import FolderState
from kg.errors import InputError


class FolderMissing(InputError):
    """A watched folder is gone or cannot be listed."""


def _stat_key(path: Path) -> str:
    try:
        info = path.stat()
    except OSError:
        return "-"
    return f"{info.st_size}:{info.st_mtime_ns}"


def file_fingerprint(path: Path) -> str:
    """Size and modification time of the file and of its sidecar: a change to either is a change to read."""
    return f"{_stat_key(path)}/{_stat_key(sidecar_of(path))}"


def _take_file(file: SourceFile, fingerprint: str, source: FolderSource, state: FolderState,
               ctx: PollContext) -> None:
    for item in read_source(file):
        if isinstance(item, RefusedInput):
            ctx.notify(InputRefused(source.key, item.source, item.reason))
            continue
        try:
            ctx.notify(ArticleStored(source.key, item.id, ctx.sink.put(item)))
        except InputError as exc:
            ctx.notify(InputRefused(source.key, item.id, str(exc)))
    state.files[file.relative] = fingerprint
    ctx.save()


def poll_folder(source: FolderSource, state: FolderState, ctx: PollContext) -> None:
    """Raises FolderMissing when the folder is gone; a file that cannot be read is refused on its own."""
    if not source.path.exists():
        raise FolderMissing(f"{source.path} does not exist (any more); check the path")
    changed: list[tuple[SourceFile, str]] = []
    for file in expand_paths([source.path]):
        if isinstance(file, RefusedInput):  # an unreadable subfolder, or a file of another kind
            if state.files.get(file.source) != "refused":
                ctx.notify(InputRefused(source.key, file.source, file.reason))
                state.files[file.source] = "refused"
            continue
        fingerprint = file_fingerprint(file.path)
        if state.files.get(file.relative) != fingerprint:
            changed.append((file, fingerprint))
    ctx.notify(SourcePolled(source.key, not_modified=False, new_items=len(changed)))
    for file, fingerprint in changed:
        if ctx.stop.requested:
            return
        _take_file(file, fingerprint, source, state, ctx)
