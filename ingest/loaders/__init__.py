"""Articles from files and folders: plain text, HTML, JSONL (and .json), RSS and Atom feeds.

`read_inputs(paths)` walks files and folders (recursively, hidden entries skipped) and yields an `Article` for each
article read and a `RefusedInput` (where, and why) for each file, JSONL line or feed entry that could not be read;
one bad input never stops the batch. Limits: one article holds at most `MAX_ARTICLE_CHARS` characters; each kind of
file has a byte limit (`FORMATS`)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ingest.loaders.article import MAX_ARTICLE_CHARS, RefusedInput, finish_article
from ingest.loaders.feeds import load_feed
from ingest.loaders.html import load_html
from ingest.loaders.jsondoc import load_json
from ingest.loaders.jsonl import load_jsonl
from ingest.loaders.metadata import SIDECAR_SUFFIX, read_sidecar
from ingest.loaders.source import SourceFile
from ingest.loaders.text import load_text
from kg.errors import InputError
from kg.model import Article

__all__ = ["FORMATS", "MAX_ARTICLE_CHARS", "Article", "InputFormat", "RefusedInput", "expand_paths",
           "finish_article", "format_for", "read_inputs", "read_source"]

MB = 1024 * 1024


@dataclass(frozen=True)
class InputFormat:
    name: str
    suffixes: tuple[str, ...]
    max_bytes: int
    load: Callable[[SourceFile], Article | Iterable[Article | RefusedInput]]


FORMATS = (
    InputFormat("text", (".txt", ".text", ".md"), 4 * MAX_ARTICLE_CHARS, load_text),
    InputFormat("HTML", (".html", ".htm", ".xhtml"), 32 * MB, load_html),
    InputFormat("JSONL", (".jsonl", ".ndjson"), 256 * MB, load_jsonl),
    InputFormat("JSON", (".json",), 256 * MB, load_json),
    InputFormat("feed", (".rss", ".atom", ".xml"), 64 * MB, load_feed),
)
_BY_SUFFIX = {suffix: fmt for fmt in FORMATS for suffix in fmt.suffixes}
_BY_NAME = {fmt.name: fmt for fmt in FORMATS}
SUPPORTED_SUFFIXES = tuple(sorted(_BY_SUFFIX))


def _sniff_format(path: Path) -> InputFormat:
    """For a file named on the command line with no known suffix: guess from its first bytes."""
    try:
        with path.open("rb") as handle:
            head = handle.read(2048).lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    except OSError:
        return _BY_NAME["text"]  # reading it again will report why it cannot be read
    if head.startswith(b"{"):
        return _BY_NAME["JSONL"]
    if head.startswith(b"<?xml") or b"<rss" in head or b"<feed" in head:
        return _BY_NAME["feed"] if (b"<rss" in head or b"<feed" in head or b"<rdf" in head) else _BY_NAME["HTML"]
    if head.startswith((b"<!doctype html", b"<html")) or b"<body" in head:
        return _BY_NAME["HTML"]
    return _BY_NAME["text"]


def format_for(path: Path, named: bool = False) -> InputFormat | None:
    """The format a file is read as: by suffix; by content for a file named directly with another suffix."""
    fmt = _BY_SUFFIX.get(path.suffix.lower())
    if fmt is None and named:
        fmt = _sniff_format(path)
    return fmt


def _unsupported(path: Path) -> RefusedInput:
    return RefusedInput(str(path), f"is not an article file ({path.suffix or 'no suffix'}); "
                                   f"supported: {', '.join(SUPPORTED_SUFFIXES)}")


def _walk(root: Path) -> Iterator[SourceFile | RefusedInput]:
    """The files under `root` sorted by relative path (hidden files and folders skipped), then unreadable folders."""
    refused: list[RefusedInput] = []

    def on_error(exc: OSError) -> None:
        refused.append(RefusedInput(str(exc.filename), "folder cannot be read (permission denied or gone); "
                                                       "give your user read access to it"))

    found: list[tuple[tuple[str, ...], Path]] = []
    for folder, dirs, names in os.walk(root, onerror=on_error):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if not name.startswith(".") and not name.endswith(SIDECAR_SUFFIX):
                path = Path(folder) / name
                found.append((path.relative_to(root).parts, path))
    for parts, path in sorted(found):
        fmt = format_for(path)
        if fmt is None:
            yield _unsupported(path)
        else:
            yield SourceFile(path, "/".join(parts), fmt.max_bytes, fmt.name)
    yield from refused


def expand_paths(paths: Iterable[Path]) -> Iterator[SourceFile | RefusedInput]:
    """Each file to read (folders walked recursively, in name order), or why a path cannot be read."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from _walk(path)
        elif path.exists():
            fmt = format_for(path, named=True)
            yield SourceFile(path, path.name, fmt.max_bytes, fmt.name)
        else:
            yield RefusedInput(str(path), "does not exist; check the path")


def read_source(source: SourceFile) -> Iterator[Article | RefusedInput]:
    """The articles of one file; a file that cannot be read at all gives one RefusedInput."""
    fmt = _BY_NAME[source.kind]
    try:
        metadata = read_sidecar(source.path)
        loaded = fmt.load(source)
        if isinstance(loaded, Article):
            yield metadata.applied_to(loaded)
        else:
            yield from (metadata.applied_to(a) if isinstance(a, Article) else a for a in loaded)
    except InputError as exc:
        yield RefusedInput(source.label, str(exc))


def read_inputs(paths: Iterable[Path]) -> Iterator[Article | RefusedInput]:
    """Every article under `paths`, and a RefusedInput for each file, line or entry that could not be read."""
    for item in expand_paths(paths):
        if isinstance(item, RefusedInput):
            yield item
        else:
            yield from read_source(item)
