"""Article metadata given beside the text: `kg ingest --published --source --lang --url --title`, and sidecar files.

The sidecar format (docs/ingest-and-eval.md, "Article metadata"): next to an input file `NAME.EXT`, a file
`NAME.meta.json` holding one JSON object with any of `published`, `source`, `lang`, `url`, `title`, e.g.

    bbc/tech/001.txt
    bbc/tech/001.meta.json   {"published": "2005-02-14", "source": "BBC", "url": "https://bbc.co.uk/..."}

Sidecar values win over what the file says itself (a feed's or an HTML page's own date), and the command line's
options win over both. A sidecar is never read as an article; a malformed one refuses its file with the reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from ingest.language import supported_languages
from ingest.loaders.article import language_code, normalise_published
from kg.errors import InputError
from kg.model import Article

SIDECAR_SUFFIX = ".meta.json"


@dataclass(frozen=True)
class ArticleMetadata:
    published: str | None = None
    source: str | None = None
    lang: str | None = None
    url: str | None = None
    title: str | None = None

    @classmethod
    def checked(cls, values: dict[str, Any], origin: str) -> ArticleMetadata:
        """Metadata from loose values (a sidecar's, the command line's), each checked."""
        unknown = set(values) - {f.name for f in fields(cls)}
        if unknown:
            raise InputError(f"{origin} has unknown key(s) {sorted(unknown)}; use published, source, lang, url, "
                             "title")
        text = {k: (str(v).strip() or None) if v is not None else None for k, v in values.items()}
        lang = text.get("lang")
        code = language_code(lang)
        if lang is not None and (code is None or code not in supported_languages()):
            raise InputError(f"{origin}: lang {lang!r} is not supported; supported: "
                             f"{', '.join(supported_languages())}")
        return cls(published=normalise_published(text.get("published")), source=text.get("source"), lang=code,
                   url=text.get("url"), title=text.get("title"))

    def __bool__(self) -> bool:
        return any(getattr(self, f.name) is not None for f in fields(self))

    def applied_to(self, article: Article) -> Article:
        """The article with every value given here in place of its own."""
        given = {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}
        return replace(article, **given) if given else article


def is_sidecar(path: Path) -> bool:
    return path.name.endswith(SIDECAR_SUFFIX)


def sidecar_of(path: Path) -> Path:
    """Where the sidecar of an input file would be: `NAME.EXT` -> `NAME.meta.json`."""
    stem = path.name[: -len(path.suffix)] if path.suffix else path.name
    return path.with_name(stem + SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> ArticleMetadata:
    """The metadata of the sidecar next to `path` (empty when there is none)."""
    sidecar = sidecar_of(path)
    if not sidecar.is_file():
        return ArticleMetadata()
    try:
        values = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"its metadata file {sidecar.name} cannot be read as JSON ({exc})") from exc
    if not isinstance(values, dict):
        raise InputError(f"its metadata file {sidecar.name} must hold one JSON object")
    return ArticleMetadata.checked(values, f"its metadata file {sidecar.name}")
