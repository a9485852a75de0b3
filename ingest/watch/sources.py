"""What `kg watch` follows: feed URLs and folders, each with its polling interval.

A feeds file lists one feed a line, `URL [INTERVAL]` (`https://example.com/rss 10m`); blank lines and lines
starting with `#` are ignored. Intervals are a number with an optional unit: s, m, h or d (`90`, `30s`, `5m`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$", re.IGNORECASE)
_TRAILING_COMMENT = re.compile(r"\s#")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> float:
    """`90` → 90.0, `30s` → 30.0, `5m` → 300.0, `1.5h` → 5400.0; zero or a malformed text is refused."""
    match = _DURATION.match(text)
    seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()] if match else 0.0
    if seconds <= 0:
        raise InputError(f"{text!r} is not a duration; give a positive number with an optional unit, such as "
                         "90, 30s, 5m, 1h or 1d")
    return seconds


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


@dataclass(frozen=True)
class FeedSource:
    """An RSS or Atom feed; `interval` is None to use the command's."""

    url: str
    interval: float | None = None

    @property
    def key(self) -> str:
        return self.url


@dataclass(frozen=True)
class FolderSource:
    """A folder (or one file) whose new and changed article files are ingested."""

    path: Path
    interval: float | None = None

    @property
    def key(self) -> str:
        return str(self.path)


WatchSource = FeedSource | FolderSource


def source_from_argument(argument: str) -> WatchSource:
    """A command-line argument: an http(s) URL is a feed, anything else an existing folder or file."""
    if is_url(argument):
        return FeedSource(argument)
    path = Path(argument).expanduser()
    if not path.exists():
        raise InputError(f"{argument} is neither an http(s) feed URL nor an existing folder; check it")
    return FolderSource(path.resolve())


def _feed_line(line: str, where: str) -> FeedSource | None:
    """One feed, or None for a blank or comment line (`#` at the start, or after a blank: URLs may hold `#`)."""
    fields = [] if line.lstrip().startswith("#") else _TRAILING_COMMENT.split(line, maxsplit=1)[0].split()
    if not fields:
        return None
    if len(fields) > 2 or not is_url(fields[0]):
        raise InputError(f"{where} should be `URL [INTERVAL]` with an http(s) URL, not {line.strip()!r}")
    try:
        return FeedSource(fields[0], parse_duration(fields[1]) if len(fields) == 2 else None)
    except InputError as exc:
        raise InputError(f"{where}: {exc}") from None


def read_feeds_file(path: Path) -> list[FeedSource]:
    """The feeds a feeds file lists, in order; a malformed line is refused with its line number."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"feeds file {path} cannot be read ({exc.strerror or exc}); check the path") from exc
    found = [_feed_line(line, f"{path}, line {number}") for number, line in enumerate(lines, start=1)]
    return [feed for feed in found if feed is not None]
