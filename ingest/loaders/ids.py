"""Stable article ids: the id the source gives, else one derived from the article's url, else from its path.

A derived id reads as a slug (for people) plus a short hash (for uniqueness), so `kg ingest` run twice on the same
files, or a feed fetched twice, names each article the same way and the graph stays unchanged."""

from __future__ import annotations

import hashlib
from pathlib import PurePath
from urllib.parse import urlsplit

from kg.model import slugify

MAX_SLUG = 60


def _short_hash(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def _clip(slug: str) -> str:
    return slug[:MAX_SLUG].rstrip("-") or "article"


def article_id_from_url(url: str) -> str:
    """`https://www.example.com/tech/2023/musk-gpus.html?utm=x` → `example-com-musk-gpus-<hash>`.

    Query strings and fragments are left out of both parts: they track readers, not articles."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    last = PurePath(path).stem if path else ""
    return f"{_clip(slugify(f'{host} {last}'))}-{_short_hash(host + path)}"


def article_id_from_path(relative_path: str, suffix: str = "") -> str:
    """`tech/001.txt` (relative to the folder given on the command line) → `001-<hash>`; `suffix` tells apart
    several articles of one file (a JSONL line, a feed entry)."""
    stem = PurePath(relative_path).stem
    key = relative_path + (f"#{suffix}" if suffix else "")
    label = f"{stem} {suffix}" if suffix else stem
    return f"{_clip(slugify(label))}-{_short_hash(key)}"


def clean_given_id(value: object) -> str | None:
    """An id given by the source, as a string, or None when it is missing or blank."""
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip()
    return text or None


