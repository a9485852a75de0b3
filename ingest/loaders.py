"""Read articles from files and folders. Each unreadable file is reported with a reason; the batch goes on."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.model import Article

SUPPORTED_SUFFIXES = {".txt", ".html", ".htm"}
MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class RefusedFile:
    path: str
    reason: str


def article_id_for(path: Path, text: str) -> str:
    return f"{path.stem}-{hashlib.sha1(path.name.encode()).hexdigest()[:8]}"


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror}); check that it exists and is readable.") from exc
    if len(raw) > MAX_BYTES:
        raise InputError(f"{path}: {len(raw)} bytes is over the {MAX_BYTES}-byte limit for one article.")
    if b"\x00" in raw[:4096]:
        raise InputError(f"{path}: looks binary, not text; give a .txt or .html article.")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def load_text(path: Path) -> Article:
    text = _read_text(path).replace("\r\n", "\n").strip()
    if not text:
        raise InputError(f"{path}: is empty.")
    return Article(id=article_id_for(path, text), text=text, source=str(path))


def load_html(path: Path) -> Article:
    import trafilatura

    html = _read_text(path)
    text = trafilatura.extract(html, include_comments=False, favor_precision=True) or ""
    meta = trafilatura.extract_metadata(html)
    if not text.strip():
        raise InputError(f"{path}: no article text found in this HTML page.")
    return Article(id=article_id_for(path, text), text=text.strip(), source=str(path),
                   title=getattr(meta, "title", None), url=getattr(meta, "url", None),
                   published=getattr(meta, "date", None))


def load_path(path: Path) -> Article:
    suffix = path.suffix.lower()
    if suffix == ".txt":
        return load_text(path)
    if suffix in (".html", ".htm"):
        return load_html(path)
    raise InputError(f"{path}: unsupported file type {suffix or '(none)'}; use {', '.join(sorted(SUPPORTED_SUFFIXES))}.")


def expand_paths(paths: list[Path]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
        else:
            yield path


def iter_articles(paths: list[Path]) -> Iterator[Article | RefusedFile]:
    for path in expand_paths(paths):
        try:
            yield load_path(path)
        except InputError as exc:
            yield RefusedFile(str(path), str(exc))
