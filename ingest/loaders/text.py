"""Plain-text articles: the whole file is the text; a short first line followed by a blank line is its title."""

from __future__ import annotations

from ingest.loaders.article import finish_article
from ingest.loaders.ids import article_id_from_path
from ingest.loaders.source import SourceFile
from kg.model import Article

MAX_TITLE_CHARS = 200


def title_of(text: str) -> str | None:
    first, sep, rest = text.strip().partition("\n")
    if sep and rest.startswith("\n") and len(first.strip()) <= MAX_TITLE_CHARS:
        return first.strip()
    return None


def load_text(source: SourceFile) -> Article:
    text = source.read_text().strip()
    return finish_article(article_id=article_id_from_path(source.relative), text=text, source=source.label,
                          title=title_of(text))
