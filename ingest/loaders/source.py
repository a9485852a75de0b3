"""One input file: where it is, how to name it, and reading it within a size limit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ingest.loaders.article import MAX_ARTICLE_CHARS
from ingest.loaders.decoding import decode_bytes
from kg.errors import InputError

LIMIT_NOTE = f"one article may hold at most {MAX_ARTICLE_CHARS:,} characters"


@dataclass(frozen=True)
class SourceFile:
    path: Path
    relative: str  # posix path relative to the folder (or file) named on the command line: the id key
    max_bytes: int
    kind: str = "input"  # what the file is read as, for messages: "text", "HTML", "JSONL", "feed"

    @property
    def label(self) -> str:
        return str(self.path)

    def read_bytes(self) -> bytes:
        try:
            size = self.path.stat().st_size
            if size > self.max_bytes:
                raise InputError(f"{size:,} bytes is over the {self.max_bytes:,}-byte limit for a {self.kind} file "
                                 f"({LIMIT_NOTE}); split it into smaller files")
            raw = self.path.read_bytes()
        except PermissionError as exc:
            raise InputError("cannot be read (permission denied); give your user read access to it") from exc
        except IsADirectoryError as exc:
            raise InputError("is a folder where a file was expected") from exc
        except FileNotFoundError as exc:
            raise InputError("does not exist (any more); check the path") from exc
        except OSError as exc:
            raise InputError(f"cannot be read ({exc.strerror or exc}); check the file") from exc
        if not raw.strip():
            raise InputError("is empty")
        return raw

    def read_text(self, declared_encoding: Callable[[bytes], str | None] | None = None) -> str:
        """The file's text; `declared_encoding` may read the encoding a format names inside its own bytes."""
        raw = self.read_bytes()
        text = decode_bytes(raw, declared_encoding(raw) if declared_encoding else None)
        if not text.strip():
            raise InputError("is empty (only blanks)")
        return text
